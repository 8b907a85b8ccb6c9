/**
 * A post whose outcome is unknown (the request went out, the answer was lost)
 * may be live: it cannot be edited or canceled until a retry settles it, and
 * the retry that finds it live records the publication, with the text that
 * went out, in the ledger. Real HTTP receivers on loopback for each channel.
 */
import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Webhook } from 'standardwebhooks';
import { tidForPost } from '@drumbeat/channels';
import { createLogger } from '@drumbeat/local';
import { dispatchTimers } from '../../packages/local/src/timer-dispatch.js';
import { accountBody, startTestApi, type TestApi } from '../support/api.js';
import { closedAfterEach } from '../support/closed-after-each.js';
import { json, startRecorder } from '../support/http-recorder.js';
import { APP_PASSWORD, blueskyStandIn, DID, HANDLE } from '../support/bluesky-stand-in.js';

let api: TestApi;
let key: string;
let ws: string;
let voiceId: string;
const keep = closedAfterEach();
beforeAll(async () => {
  // a 300 ms channel timeout: a receiver that keeps the answer costs 300 ms a try
  api = await startTestApi({ now: '2026-11-23T10:00:00Z', timeoutMs: 300 });
  const w = await api.workspace('Lost answers');
  key = w.key;
  ws = w.id;
  voiceId = (
    await api.call('POST', '/v1/voices', { key, body: { name: 'Anna Bell', affiliation: 'agency', signature: 'AB' } })
  ).body.id;
  api.scheduler.start(dispatchTimers(api.services, createLogger('silent')), { loop: false });
});
afterAll(async () => {
  await api.scheduler.stop();
  await api.close();
});

const sha = (s: string) => createHash('sha256').update(s).digest('hex');
const read = async (id: string) => (await api.call('GET', `/v1/posts/${id}`, { key })).body;
const ledgerOf = async (accountId: string) => (await api.services.ledger.list(ws, { accountId, limit: 10 })).items;

/** Creates the account and a post due at `at`, then runs its first attempt (whose answer is lost). */
async function firstAttemptLost(channel: Record<string, unknown>, at: string, text: string) {
  const acc = await api.call('POST', '/v1/accounts', {
    key,
    body: accountBody({ channel, disclosure: { signature: 'initials' } }),
  });
  expect(acc.status).toBe(201);
  api.clock.set(new Date(Date.parse(at) - 60_000).toISOString());
  const post = await api.call('POST', `/v1/accounts/${acc.body.id}/posts`, { key, body: { text, voiceId, at } });
  expect(post.status).toBe(201);
  const id = post.body.id as string;
  api.clock.set(at);
  await api.scheduler.runDue();
  const after = await read(id);
  expect(after).toMatchObject({
    status: 'scheduled',
    outcomeUnknownSince: at,
    retryAt: new Date(Date.parse(at) + 10_000).toISOString(),
  });
  return { accountId: acc.body.id as string, id, secret: acc.body.channel.secret as string | undefined };
}

/** PATCH and DELETE are refused with a 409 that says why, and the post is unchanged. */
async function expectFrozen(id: string, text: string) {
  for (const [method, body] of [
    ['PATCH', { text: 'An edit after it went out' }],
    ['PATCH', { at: '2026-12-20T10:00:00Z' }],
    ['DELETE', undefined],
  ] as const) {
    const r = await api.call(method, `/v1/posts/${id}`, { key, ...(body ? { body } : {}) });
    expect(r.status, `${method} ${JSON.stringify(body)}`).toBe(409);
    expect(r.headers.get('content-type')).toMatch(/application\/problem\+json/);
    expect(r.body.detail).toMatch(/may already be live.*answer was lost.*until the outcome is known/);
  }
  expect(await read(id)).toMatchObject({ status: 'scheduled', text });
}

describe('a post whose outcome is unknown', () => {
  it('webhook: a timeout after sending freezes the post; the retry, answered, records it with the text that went out', async () => {
    let n = 0;
    const r = await startRecorder((_req, res) =>
      ++n === 1 ? undefined : json(res, 200, { url: 'https://social.example/acme/42' }),
    );
    keep(r);
    const { accountId, id, secret } = await firstAttemptLost(
      { type: 'webhook', url: r.url },
      '2026-11-23T11:00:00.000Z',
      'Autumn blend is back',
    );
    await expectFrozen(id, 'Autumn blend is back');
    // The voice's signature changes before the retry: what went out stays what is sent and recorded.
    expect((await api.call('PATCH', `/v1/voices/${voiceId}`, { key, body: { signature: 'ZZ' } })).status).toBe(200);
    api.clock.advance(10_000);
    await api.scheduler.runDue();
    expect(await read(id)).toMatchObject({ status: 'published', externalUrl: 'https://social.example/acme/42' });
    expect((await read(id)).outcomeUnknownSince).toBeUndefined();
    expect(r.requests).toHaveLength(2);
    const sent = r.requests.map(
      (q) => (new Webhook(secret!).verify(q.body, q.headers) as { data: { post: { text: string } } }).data.post.text,
    );
    expect(sent).toEqual(['Autumn blend is back ^AB', 'Autumn blend is back ^AB']);
    expect(new Set(r.requests.map((q) => q.headers['webhook-id'])).size).toBe(1);
    const entries = await ledgerOf(accountId);
    expect(entries).toHaveLength(1);
    expect(entries[0]).toMatchObject({ postId: id, channel: 'webhook', contentHash: sha('Autumn blend is back ^AB') });
    expect((await api.services.ledger.verify(ws)).ok).toBe(true);
    await api.call('PATCH', `/v1/voices/${voiceId}`, { key, body: { signature: 'AB' } });
  });

  it('mastodon: a status created whose answer was lost is found again under its Idempotency-Key and recorded once', async () => {
    const statuses = new Map<string, { id: string; text: string }>();
    let n = 0;
    const m = await startRecorder((req, res) => {
      const idem = req.headers['idempotency-key']!;
      const text = (JSON.parse(req.body) as { status: string }).status;
      if (!statuses.has(idem)) statuses.set(idem, { id: String(110_000 + statuses.size), text });
      if (++n === 1) return; // created, the answer never comes
      const s = statuses.get(idem)!;
      json(res, 200, { id: s.id, url: `https://mastodon.example/@acme/${s.id}`, content: `<p>${s.text}</p>` });
    });
    keep(m);
    const { accountId, id } = await firstAttemptLost(
      { type: 'mastodon', instanceUrl: m.url, accessToken: 'tok' },
      '2026-11-23T12:00:00.000Z',
      'Meet the roasters',
    );
    await expectFrozen(id, 'Meet the roasters');
    api.clock.advance(10_000);
    await api.scheduler.runDue();
    expect(await read(id)).toMatchObject({
      status: 'published',
      externalId: '110000',
      externalUrl: 'https://mastodon.example/@acme/110000',
    });
    expect(statuses.size).toBe(1);
    expect(new Set(m.requests.map((q) => q.headers['idempotency-key']))).toEqual(new Set([id]));
    const entries = await ledgerOf(accountId);
    expect(entries).toHaveLength(1);
    expect(entries[0]).toMatchObject({
      postId: id,
      channel: 'mastodon',
      contentHash: sha('Meet the roasters ^AB'),
      externalUrl: 'https://mastodon.example/@acme/110000',
    });
  });

  it('bluesky: a record saved whose answer was lost is found at its rkey by the retry and recorded with the text that is live', async () => {
    const p = await blueskyStandIn({ hangCreate: 1 });
    keep(p);
    const channel = { type: 'bluesky', service: p.url, identifier: HANDLE, appPassword: APP_PASSWORD };
    const { accountId, id } = await firstAttemptLost(channel, '2026-11-23T13:00:00.000Z', 'Behind the counter');
    await expectFrozen(id, 'Behind the counter');
    api.clock.advance(10_000);
    await api.scheduler.runDue();
    const rkey = tidForPost(id);
    expect(await read(id)).toMatchObject({
      status: 'published',
      externalUrl: `https://bsky.app/profile/${DID}/post/${rkey}`,
    });
    expect(p.records.size).toBe(1);
    expect(p.records.get(rkey)!.text).toBe('Behind the counter ^AB');
    const entries = await ledgerOf(accountId);
    expect(entries).toHaveLength(1);
    expect(entries[0]).toMatchObject({ postId: id, channel: 'bluesky', contentHash: sha('Behind the counter ^AB') });
  });

  it('bluesky: a record at its rkey with other text (an earlier attempt) is the publication, and the ledger hashes that text', async () => {
    const p = await blueskyStandIn();
    keep(p);
    const channel = { type: 'bluesky', service: p.url, identifier: HANDLE, appPassword: APP_PASSWORD };
    const acc = await api.call('POST', '/v1/accounts', { key, body: accountBody({ channel }) });
    api.clock.set('2026-11-23T14:00:00.000Z');
    const post = await api.call('POST', `/v1/accounts/${acc.body.id}/posts`, {
      key,
      body: { text: 'The text planned now', voiceId, at: '2026-11-23T14:01:00.000Z' },
    });
    const id = post.body.id as string;
    p.records.set(tidForPost(id), {
      $type: 'app.bsky.feed.post',
      text: 'The text that went out before',
      createdAt: '2026-11-23T14:00:30.000Z',
    });
    api.clock.set('2026-11-23T14:01:00.000Z');
    await api.scheduler.runDue();
    expect((await read(id)).status).toBe('published');
    const alerts = (await api.call('GET', `/v1/alerts?accountId=${acc.body.id}`, { key })).body.items as {
      kind: string;
    }[];
    expect(alerts.filter((a) => a.kind === 'publish_failed')).toEqual([]);
    const entries = await ledgerOf(acc.body.id);
    expect(entries).toHaveLength(1);
    expect(entries[0]!.contentHash).toBe(sha('The text that went out before'));
  });

  it('an outcome known not to have gone out (connection refused) leaves the post editable', async () => {
    const r = await startRecorder((_req, res) => json(res, 200, {}));
    const url = r.url;
    await r.close(); // nothing listens there now: refused before sending
    const acc = await api.call('POST', '/v1/accounts', {
      key,
      body: accountBody({ channel: { type: 'webhook', url } }),
    });
    api.clock.set('2026-11-23T15:00:00.000Z');
    const post = await api.call('POST', `/v1/accounts/${acc.body.id}/posts`, {
      key,
      body: { text: 'Not sent yet', voiceId, at: '2026-11-23T15:01:00.000Z' },
    });
    api.clock.set('2026-11-23T15:01:00.000Z');
    await api.scheduler.runDue();
    const after = await read(post.body.id);
    expect(after).toMatchObject({ status: 'scheduled', attempts: 1 });
    expect(after.outcomeUnknownSince).toBeUndefined();
    expect(
      (await api.call('PATCH', `/v1/posts/${post.body.id}`, { key, body: { text: 'Edited before it went out' } }))
        .status,
    ).toBe(200);
    expect((await api.call('DELETE', `/v1/posts/${post.body.id}`, { key })).status).toBe(200);
  });
});
