/**
 * Listening (issue 18) end to end in the embedded runtime: the account's
 * `listening` settings, one `listen-<id>` timer per listening account on the
 * durable local scheduler, the cursor kept in the table, items handed to an
 * inbox sink (a recording one here; the real inbox is the drumbeat side's),
 * backoff and `listening_failed` on a refused token — against the Mastodon
 * stand-in (test/support/mastodon-stand-in.ts), with a manual clock.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { InboundItem, InboxSink, OutsideReply } from '@drumbeat/core';
import { createLogger } from '@drumbeat/local';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { dispatchTimers } from '../../packages/local/src/timer-dispatch.js';
import { TimerStore } from '../../packages/local/src/scheduler/timer-store.js';
import { accountBody, servicesOver, startTestApi, type TestApi } from '../support/api.js';
import { MASTODON_TOKEN, mastodonStandIn, type MastodonStandIn } from '../support/mastodon-stand-in.js';

/** An inbox that records what it is handed, idempotent by external id like the real one; `down` makes it refuse. */
class RecordingSink implements InboxSink {
  readonly items = new Map<string, InboundItem>();
  readonly answered = new Map<string, OutsideReply>();
  calls = 0;
  down = false;
  async ingest(_ws: string, _acc: string, items: InboundItem[]) {
    this.calls++;
    if (this.down) throw new Error('inbox unavailable');
    let created = 0;
    for (const i of items) if (!this.items.has(i.externalId) && this.items.set(i.externalId, i)) created++;
    return { created };
  }
  async answeredOutside(_ws: string, _acc: string, replies: OutsideReply[]) {
    if (this.down) throw new Error('inbox unavailable');
    let updated = 0;
    for (const r of replies)
      if (
        this.items.has(r.inReplyToExternalId) &&
        !this.answered.has(r.inReplyToExternalId) &&
        this.answered.set(r.inReplyToExternalId, r)
      )
        updated++;
    return { updated };
  }
  async awaitingAnswer() {
    return [...this.items.keys()].some((id) => !this.answered.has(id));
  }
  indexed = 0;
  async indexAwaiting() {
    this.indexed++;
  }
}

let api: TestApi;
let m: MastodonStandIn;
let sink: RecordingSink;
let key: string;
let ws: string;

beforeEach(async () => {
  api = await startTestApi({ now: '2026-11-23T10:00:00Z' });
  m = await mastodonStandIn();
  sink = new RecordingSink();
  api.services.listening.sink = sink;
  const w = await api.workspace();
  key = w.key;
  ws = w.id;
  api.scheduler.start(dispatchTimers(api.services, createLogger('silent')), { loop: false });
});

afterEach(async () => {
  await api.scheduler.stop();
  await api.close();
  await m.close();
});

const mastodon = (token = MASTODON_TOKEN) => ({ type: 'mastodon', instanceUrl: m.url, accessToken: token });

async function listeningAccount(listening: unknown = { enabled: true }, channel = mastodon()) {
  const r = await api.call('POST', '/v1/accounts', {
    key,
    body: accountBody({ channel, listening, cadence: undefined, alerts: { emails: ['brand@acme.example'] } }),
  });
  expect(r.status).toBe(201);
  return r.body as { id: string; listening?: { enabled: boolean; every: string } };
}

async function timers() {
  const { timers } = await new TimerStore(api.store.db).due(new Date('2100-01-01T00:00:00Z'), 1000);
  return timers.filter((t) => t.payload.kind === 'listen');
}

/** Moves the clock to `iso` and fires what is due. */
async function at(iso: string) {
  api.clock.set(iso);
  await api.scheduler.runDue();
}

describe('listening settings', () => {
  it('defaults to every 5 minutes, and refuses an interval under a minute naming the field', async () => {
    const a = await listeningAccount();
    expect(a.listening).toEqual({ enabled: true, every: 'PT5M' });
    const short = await api.call('POST', '/v1/accounts', {
      key,
      body: accountBody({ channel: mastodon(), listening: { enabled: true, every: 'PT30S' } }),
    });
    expect(short.status).toBe(400);
    expect(short.body.errors).toEqual([
      expect.objectContaining({ path: 'listening.every', message: expect.stringMatching(/at least PT1M/) }),
    ]);
    const bad = await api.call('PATCH', `/v1/accounts/${a.id}`, {
      key,
      body: { listening: { enabled: true, every: 'soon' } },
    });
    expect(bad.status).toBe(400);
    expect(bad.body.errors[0].path).toBe('listening.every');
  });

  it('refuses listening on a channel that cannot poll a network, naming listening.enabled', async () => {
    const r = await api.call('POST', '/v1/accounts', { key, body: accountBody({ listening: { enabled: true } }) }); // webhook channel
    expect(r.status).toBe(400);
    expect(r.body.errors[0].path).toBe('listening.enabled');
  });

  it('arms one timer per listening account and none for the others; disabling cancels it', async () => {
    const a = await listeningAccount();
    const b = await listeningAccount({ enabled: true, every: 'PT2M' });
    await listeningAccount({ enabled: false });
    await api.call('POST', '/v1/accounts', { key, body: accountBody() }); // no listening at all
    expect((await timers()).map((t) => t.name).sort()).toEqual([`listen-${a.id}`, `listen-${b.id}`].sort());
    expect(
      (await api.call('PATCH', `/v1/accounts/${a.id}`, { key, body: { listening: { enabled: false } } })).status,
    ).toBe(200);
    expect((await timers()).map((t) => t.name)).toEqual([`listen-${b.id}`]);
    expect((await api.call('PATCH', `/v1/accounts/${b.id}`, { key, body: { listening: null } })).status).toBe(200);
    expect(await timers()).toEqual([]);
  });
});

describe('response settings', () => {
  it('keeps responses {sla, hours} on the account and refuses a span that ends before it starts, naming the field', async () => {
    const hours = [{ days: ['MO', 'TU', 'WE', 'TH', 'FR'], from: '09:00', to: '17:00' }];
    const a = await listeningAccount();
    const ok = await api.call('PATCH', `/v1/accounts/${a.id}`, { key, body: { responses: { sla: 'PT2H', hours } } });
    expect(ok.status).toBe(200);
    expect(ok.body.responses).toEqual({ sla: 'PT2H', hours });
    const bad = await api.call('PATCH', `/v1/accounts/${a.id}`, {
      key,
      body: { responses: { sla: 'PT2H', hours: [{ days: ['MO'], from: '17:00', to: '09:00' }] } },
    });
    expect(bad.status).toBe(400);
    expect(bad.body.errors).toEqual([expect.objectContaining({ path: 'responses.hours.0.to' })]);
    expect(
      (await api.call('PATCH', `/v1/accounts/${a.id}`, { key, body: { responses: null } })).body.responses,
    ).toBeUndefined();
  });
});

describe('polling', () => {
  it('polls on its timer, hands each mention to the inbox once, keeps the cursor and re-arms every interval', async () => {
    m.mention('carol', '@acme hello');
    const a = await listeningAccount({ enabled: true, every: 'PT2M' });
    await at('2026-11-23T10:00:00Z');
    expect([...sink.items.values()].map((i) => i.text)).toEqual(['@acme hello']);
    const [t] = await timers();
    expect(t!.dueAt).toBe('2026-11-23T10:02:00.000Z');
    expect((await api.store.listenStates.get(ws, a.id))!.cursor).toBeTruthy();

    m.mention('dave', '@acme are you open on Sunday?');
    await at('2026-11-23T10:01:00Z'); // not due yet
    expect(sink.items.size).toBe(1);
    await at('2026-11-23T10:02:00Z');
    await at('2026-11-23T10:04:00Z');
    expect([...sink.items.values()].map((i) => i.text)).toEqual(['@acme hello', '@acme are you open on Sunday?']);
    expect(m.calls('/api/v1/notifications')).toBe(3); // one request per poll
  });

  it('survives a restart: another process over the same table resumes from the kept cursor', async () => {
    m.mention('carol', 'before');
    const a = await listeningAccount();
    await at('2026-11-23T10:00:00Z');
    m.mention('dave', 'after');
    const other = servicesOver(api, api.clock, { channel: { publish: async () => ({}) } });
    (other.deps as { sourceFor?: unknown }).sourceFor = api.services.deps.sourceFor;
    other.listening.sink = sink;
    await other.listening.poll(ws, a.id);
    await other.listening.poll(ws, a.id); // a duplicate (the timer fired twice)
    expect([...sink.items.values()].map((i) => i.text)).toEqual(['before', 'after']);
  });

  it('keeps the cursor when the inbox refuses the items, so they come again', async () => {
    m.mention('carol', 'first');
    const a = await listeningAccount();
    sink.down = true;
    const r = await api.services.listening.poll(ws, a.id);
    expect(r.error).toMatch(/inbox unavailable/);
    expect((await api.store.listenStates.get(ws, a.id))!.cursor).toBeUndefined();
    sink.down = false;
    await api.services.listening.poll(ws, a.id);
    expect([...sink.items.values()].map((i) => i.text)).toEqual(['first']);
  });

  it('marks an item answered on the network outside drumbeat', async () => {
    const q = m.mention('carol', '@acme do you deliver?');
    const a = await listeningAccount();
    await api.services.listening.poll(ws, a.id);
    m.post(m.me, '@carol yes', q.status!.id);
    const r = await api.services.listening.poll(ws, a.id); // the item awaits an answer: our statuses are read
    expect(r.answeredOutside).toBe(1);
    expect(sink.answered.get(q.status!.id)).toMatchObject({ inReplyToExternalId: q.status!.id });
  });

  it('costs one request per poll while nothing awaits an answer: our own statuses are not read', async () => {
    const a = await listeningAccount({ enabled: true, every: 'PT1M' });
    for (let i = 0; i < 6; i++) await api.services.listening.poll(ws, a.id);
    expect(sink.indexed).toBe(1); // items stored before the inbox's open index: indexed once, at the first poll
    expect(m.calls('/api/v1/notifications')).toBe(6);
    expect(m.calls('/api/v1/accounts/verify_credentials')).toBe(1); // the first poll only
    expect(m.calls(`/api/v1/accounts/${m.me.id}/statuses`)).toBe(0);
  });

  it('with an item awaiting an answer, reads our own statuses every third poll, and misses no reply made in between', async () => {
    const q = m.mention('carol', '@acme do you ship to Lyon?');
    const a = await listeningAccount({ enabled: true, every: 'PT1M' });
    const own = () => m.calls(`/api/v1/accounts/${m.me.id}/statuses`);
    await api.services.listening.poll(ws, a.id); // takes the mention; nothing awaited an answer before it
    expect(own()).toBe(0);
    await api.services.listening.poll(ws, a.id); // the item awaits: a first look at once
    expect(own()).toBe(1);
    m.post(m.me, '@carol yes, in two days', q.status!.id); // answered on the network, right after that look
    const skipped = [await api.services.listening.poll(ws, a.id), await api.services.listening.poll(ws, a.id)];
    expect(skipped.map((r) => r.answeredOutside)).toEqual([0, 0]);
    expect(own()).toBe(1);
    const third = await api.services.listening.poll(ws, a.id);
    expect(own()).toBe(2);
    expect(third.answeredOutside).toBe(1); // the kept cursor caught the reply made between looks
    expect(sink.answered.get(q.status!.id)).toMatchObject({ inReplyToExternalId: q.status!.id });
    // Nothing awaits an answer any more: back to one request per poll.
    for (let i = 0; i < 4; i++) await api.services.listening.poll(ws, a.id);
    expect(own()).toBe(2);
    expect(m.calls('/api/v1/notifications')).toBe(9);
  });

  it('waits as long as the network asks when its rate budget is spent', async () => {
    const a = await listeningAccount({ enabled: true, every: 'PT1M' });
    await api.services.listening.poll(ws, a.id);
    m.budget(1);
    const r = await api.services.listening.poll(ws, a.id);
    expect(r.error).toBeUndefined();
    expect(Date.parse(r.next!) - Date.parse('2026-11-23T10:00:00Z')).toBeGreaterThan(250_000); // the reset, not the minute
  });
});

describe('failures', () => {
  it('a refused token opens listening_failed once, backs off, keeps the cursor, and resolves when a poll works again', async () => {
    m.mention('carol', 'kept');
    const a = await listeningAccount({ enabled: true, every: 'PT5M' });
    await at('2026-11-23T10:00:00Z');
    const cursor = (await api.store.listenStates.get(ws, a.id))!.cursor;
    // The token is revoked on the instance.
    const revoked = await api.call('PATCH', `/v1/accounts/${a.id}`, {
      key,
      body: { channel: mastodon('revoked-token') },
    });
    expect(revoked.status).toBe(200);
    await at('2026-11-23T10:00:00Z');
    const open = async () =>
      (await api.call('GET', '/v1/alerts', { key })).body.items.filter(
        (x: { kind: string; status: string }) => x.kind === 'listening_failed' && x.status === 'open',
      );
    expect(await open()).toHaveLength(1);
    const first = (await open())[0];
    expect(first.details.reason).toMatch(/401/);
    const state = (await api.store.listenStates.get(ws, a.id))!;
    expect(state.cursor).toBe(cursor);
    expect(state.nextPollAt).toBe('2026-11-23T10:05:00.000Z');
    await at('2026-11-23T10:05:00Z');
    expect((await api.store.listenStates.get(ws, a.id))!.nextPollAt).toBe('2026-11-23T10:15:00.000Z'); // doubled
    await at('2026-11-23T10:15:00Z');
    expect(await open()).toEqual([first].map((x) => expect.objectContaining({ id: x.id }))); // still the one alert
    await at('2026-11-23T10:16:00Z'); // past the digest window: the email goes out, once
    const mails = readdirSync(api.outboxDir)
      .map((f) => readFileSync(join(api.outboxDir, f), 'utf8'))
      .filter((t) => /Listening for mentions failed/i.test(t));
    expect(mails).toHaveLength(1);
    // New credentials: polled at once, the alert resolves, polling is back to every 5 minutes.
    m.mention('dave', 'new');
    await api.call('PATCH', `/v1/accounts/${a.id}`, { key, body: { channel: mastodon() } });
    await at('2026-11-23T10:16:00Z');
    expect(await open()).toEqual([]);
    expect(
      (await api.call('GET', '/v1/alerts', { key })).body.items.filter(
        (x: { kind: string }) => x.kind === 'listening_failed',
      ),
    ).toHaveLength(1); // resolved, not reopened
    expect([...sink.items.values()].map((i) => i.text)).toEqual(['kept', 'new']);
    expect((await api.store.listenStates.get(ws, a.id))!.nextPollAt).toBe('2026-11-23T10:21:00.000Z');
  });

  it('an outage is retried with backoff and stays quiet until five failures in a row', async () => {
    const a = await listeningAccount({ enabled: true, every: 'PT1M' });
    m.fail(503);
    for (let i = 0; i < 4; i++) expect((await api.services.listening.poll(ws, a.id)).error).toMatch(/503/);
    const kinds = async () =>
      (await api.call('GET', '/v1/alerts', { key })).body.items.map((x: { kind: string }) => x.kind);
    expect(await kinds()).toEqual([]);
    await api.services.listening.poll(ws, a.id);
    expect(await kinds()).toEqual(['listening_failed']);
  });
});
