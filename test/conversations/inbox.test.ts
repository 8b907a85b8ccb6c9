import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Webhook } from 'standardwebhooks';
import { egressUrlPolicy } from '@drumbeat/channels';
import { createLogger } from '@drumbeat/local';
import { dispatchTimers } from '../../packages/local/src/timer-dispatch.js';
import { SmtpMailer } from '../../packages/local/src/mail/index.js';
import { accountBody, startTestApi, type TestApi } from '../support/api.js';
import { ANNA } from '../support/bodies.js';
import { json, startRecorder, type HttpRecorder } from '../support/http-recorder.js';
import { startSmtpSink, type SmtpSink } from '../support/smtp-sink.js';
import { DeleteCommand } from '@aws-sdk/lib-dynamodb';
import { wsPk } from '@drumbeat/store';

// The inbox end to end: the real embedded store through the SDK, real SMTP on
// loopback, a real HTTP receiver as the account's (webhook) channel and another
// as a webhook subscriber.
let api: TestApi;
let smtp: SmtpSink;
let channel: HttpRecorder;
let subscriber: HttpRecorder;
let subscriberSecret: string;
let key: string;
let wsId: string;
let hr: string;
let anna: string;
let accountId: string;

const item = (externalId: string, over: Record<string, unknown> = {}) => ({
  externalId,
  url: `https://mastodon.example/@jo/${externalId}`,
  kind: 'mention',
  author: { handle: '@jo@mastodon.example', displayName: 'Jo' },
  text: `@acme question ${externalId}`,
  receivedAt: '2026-11-23T09:59:00Z',
  ...over,
});

beforeAll(async () => {
  smtp = await startSmtpSink();
  api = await startTestApi({
    now: '2026-11-23T10:00:00Z',
    urlPolicy: egressUrlPolicy({ allowPrivate: true }),
    mailer: new SmtpMailer({ url: smtp.url, from: 'drumbeat@test.example' }),
  });
  api.scheduler.start(dispatchTimers(api.services, createLogger('silent')), { loop: false });
  const w = await api.workspace();
  key = w.key;
  wsId = w.id;
  channel = await startRecorder((_r, res) =>
    json(res, 200, { url: `https://mastodon.example/@acme/reply-${channel.requests.length}` }),
  );
  subscriber = await startRecorder((_r, res) => json(res, 200, {}));
  subscriberSecret = (
    await api.call('POST', '/v1/webhooks', { key, body: { url: `${subscriber.url}/events`, events: ['*'] } })
  ).body.secret;
  hr = (
    await api.call('POST', '/v1/voices', {
      key,
      body: { name: 'Hélène RH', email: 'hr@acme.example', affiliation: 'in_house', signature: 'HR' },
    })
  ).body.id;
  anna = (await api.call('POST', '/v1/voices', { key, body: ANNA })).body.id;
  const acc = await api.call('POST', '/v1/accounts', {
    key,
    body: accountBody({
      channel: { type: 'webhook', url: `${channel.url}/publish` },
      disclosure: { signature: 'name' },
      conversations: { rules: [{ match: 'emploi|job|hiring', voiceId: hr }] },
      responses: { sla: 'PT2H' },
    }),
  });
  expect(acc.status).toBe(201);
  accountId = acc.body.id;
});
afterAll(async () => {
  await api.scheduler.stop();
  await channel.close();
  await subscriber.close();
  await smtp.close();
  await api.close();
});

const events = () =>
  subscriber.requests.map(
    (r) => new Webhook(subscriberSecret).verify(r.body, r.headers) as { type: string; data: Record<string, any> },
  );
const ingest = (body: unknown, k = key) =>
  api.call('POST', `/v1/accounts/${accountId}/conversations`, { key: k, body });

describe('ingest', () => {
  it('adds one item or a batch, once per external id, with its deadline under the account SLA', async () => {
    const one = await ingest(item('100'));
    expect(one.status).toBe(200);
    expect(one.body).toMatchObject({ received: 1, created: 1 });
    const again = await ingest({ items: [item('100'), item('101'), item('101'), item('102')] });
    expect(again.status).toBe(200);
    expect(again.body.created).toBe(2);
    expect(again.body.items[0]).toEqual({ externalId: '100', id: one.body.items[0].id, created: false });
    expect(again.body.items[1].id).toBe(again.body.items[2].id);
    const got = await api.call('GET', `/v1/conversations/${one.body.items[0].id}`, { key });
    expect(got.body).toMatchObject({
      status: 'open',
      externalId: '100',
      receivedAt: '2026-11-23T09:59:00.000Z',
      dueAt: '2026-11-23T11:59:00.000Z',
      author: { handle: '@jo@mastodon.example' },
    });
    const list = await api.call('GET', `/v1/accounts/${accountId}/conversations?limit=2`, { key });
    expect(list.body.items).toHaveLength(2);
    const rest = await api.call(
      'GET',
      `/v1/accounts/${accountId}/conversations?limit=50&cursor=${list.body.nextCursor}`,
      { key },
    );
    expect(new Set([...list.body.items, ...rest.body.items].map((c: { externalId: string }) => c.externalId))).toEqual(
      new Set(['100', '101', '102']),
    );
  });

  it('refuses malformed and oversized items with a 4xx naming the field', async () => {
    const bad = await ingest({
      items: [item('200'), item('201', { text: 5 }), item('202', { receivedAt: 'yesterday' })],
    });
    expect(bad.status).toBe(400);
    expect(bad.body.errors.map((e: { path: string }) => e.path)).toEqual(
      expect.arrayContaining(['items.1.text', 'items.2.receivedAt']),
    );
    const single = await ingest(item('203', { kind: 'shout' }));
    expect(single.status).toBe(400);
    expect(single.body.errors.map((e: { path: string }) => e.path)).toContain('kind');
    const long = await ingest(item('204', { text: 'x'.repeat(10_001) }));
    expect(long.status).toBe(400);
    expect(long.body.errors[0].path).toBe('text');
    const many = await ingest({
      items: Array.from({ length: 501 }, (_, i) => ({
        externalId: `${i}`,
        kind: 'mention',
        author: { handle: 'a' },
        text: '',
        receivedAt: '2026-11-23T09:00:00Z',
      })),
    });
    expect(many.status).toBe(400);
    expect(many.body.errors[0].path).toBe('items');
    // Nothing of a refused batch was stored.
    const list = await api.call('GET', `/v1/accounts/${accountId}/conversations`, { key });
    expect(list.body.items.map((c: { externalId: string }) => c.externalId)).not.toContain('200');
  });
});

describe('roles and tenancy', () => {
  it('lets a viewer read but not act, and hides another workspace’s inbox (404)', async () => {
    const viewer = (await api.call('POST', '/v1/keys', { key, body: { name: 'v', role: 'viewer' } })).body.key;
    const id = (await ingest(item('300'))).body.items[0].id;
    expect((await api.call('GET', `/v1/conversations/${id}`, { key: viewer })).status).toBe(200);
    expect((await api.call('GET', `/v1/accounts/${accountId}/conversations`, { key: viewer })).status).toBe(200);
    expect((await ingest(item('301'), viewer)).status).toBe(403);
    expect(
      (await api.call('POST', `/v1/conversations/${id}/dismiss`, { key: viewer, body: { reason: 'spam' } })).status,
    ).toBe(403);
    expect(
      (await api.call('POST', `/v1/conversations/${id}/reply`, { key: viewer, body: { text: 'x', voiceId: anna } }))
        .status,
    ).toBe(403);
    const other = (await api.workspace('Other')).key;
    expect((await api.call('GET', `/v1/conversations/${id}`, { key: other })).status).toBe(404);
    expect((await api.call('GET', `/v1/accounts/${accountId}/conversations`, { key: other })).status).toBe(404);
    expect(
      (await api.call('POST', `/v1/accounts/${accountId}/conversations`, { key: other, body: item('302') })).status,
    ).toBe(404);
    expect(
      (await api.call('POST', `/v1/conversations/${id}/assign`, { key: other, body: { voiceId: anna } })).status,
    ).toBe(404);
    const otherVoice = (
      await api.call('POST', '/v1/voices', { key: other, body: { name: 'O', affiliation: 'agency' } })
    ).body.id;
    expect(
      (await api.call('POST', `/v1/conversations/${id}/assign`, { key: other, body: { voiceId: otherVoice } })).status,
    ).toBe(404);
    expect(
      (
        await api.call('POST', `/v1/conversations/${id}/reply`, {
          key: other,
          body: { text: 'x', voiceId: otherVoice },
        })
      ).status,
    ).toBe(404);
    // A rule naming a voice of another workspace is refused by name.
    const refused = await api.call('PATCH', `/v1/accounts/${accountId}`, {
      key,
      body: { conversations: { rules: [{ match: 'x', voiceId: otherVoice }] } },
    });
    expect(refused.status).toBe(422);
    expect(refused.body.errors[0].path).toBe('conversations.rules.0.voiceId');
  });
});

describe('routing, the answer page and the reply', () => {
  it('routes a hiring question to HR on arrival, emails them over SMTP, and their answer page publishes the reply once, in the thread, signed and recorded', async () => {
    const before = smtp.received.length;
    const r = await ingest(
      item('400', {
        text: 'Are you <b>hiring</b> in Lyon? <script>alert(1)</script>',
        inReplyTo: { externalId: '99', url: 'https://mastodon.example/@acme/99' },
      }),
    );
    const id = r.body.items[0].id;
    const c = (await api.call('GET', `/v1/conversations/${id}`, { key })).body;
    expect(c).toMatchObject({ assigneeId: hr, assignedBy: 'rule:0' });
    const mails = smtp.received.slice(before);
    expect(mails.map((m) => m.envelope.to)).toEqual([['hr@acme.example']]);
    const mail = mails[0]!.parsed;
    expect(mail.subject).toContain('A question for you');
    expect(mail.text).toContain('Are you <b>hiring</b> in Lyon?');
    expect(mail.text).toContain('In reply to: https://mastodon.example/@acme/99');
    expect(String(mail.html)).not.toContain('<script>');
    expect(String(mail.html)).toContain('&#60;script&#62;');
    const link = /(http:\/\/drumbeat\.test\/a\/\S+)/.exec(mail.text!)![1]!;

    // The page: opening it changes nothing; the network's text is escaped; no script.
    const path = link.replace('http://drumbeat.test', 'http://localhost');
    const shown = await api.app.request(path);
    const html = await shown.text();
    expect(shown.status).toBe(200);
    expect(html).not.toContain('<script>alert(1)');
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(channel.requests).toHaveLength(0);
    const formToken = /name="formToken" value="([^"]+)"/.exec(html)![1]!;
    const send = () =>
      api.app.request(path, {
        method: 'POST',
        headers: { 'Content-Type': 'application/x-www-form-urlencoded', Origin: 'http://localhost' },
        body: new URLSearchParams({ formToken, text: 'Yes! See acme.example/jobs' }).toString(),
      });
    const sent = await send();
    expect(sent.status).toBe(303);
    expect((await send()).status).toBe(200); // a second send says it is answered, and sends nothing
    expect(channel.requests).toHaveLength(1);
    const published = JSON.parse(channel.requests[0]!.body);
    expect(published.data.post.text).toBe('Yes! See acme.example/jobs — Hélène RH');
    expect(published.data.replyTo).toEqual({
      parent: { externalId: '400', url: 'https://mastodon.example/@jo/400' },
      root: { externalId: '400', url: 'https://mastodon.example/@jo/400' },
    });
    const after = (await api.call('GET', `/v1/conversations/${id}`, { key })).body;
    expect(after).toMatchObject({ status: 'answered', answeredBy: hr, answerPostId: expect.stringMatching(/^pst_/) });
    const done = await (await api.app.request(path)).text();
    expect(done).toContain('answered');

    const ledger = (await api.call('GET', `/v1/accounts/${accountId}/attribution`, { key })).body.items;
    const entry = ledger.find((e: { postId: string }) => e.postId === after.answerPostId);
    expect(entry).toMatchObject({
      kind: 'reply',
      voice: { id: hr, name: 'Hélène RH', affiliation: 'in_house' },
      answers: { conversationId: id, externalId: '400', author: '@jo@mastodon.example' },
    });
    expect((await api.call('GET', '/v1/attribution/verify', { key })).body.ok).toBe(true);

    await api.scheduler.runDue();
    const types = events()
      .filter((e) => e.data.conversation?.id === id)
      .map((e) => e.type);
    expect(types).toEqual(
      expect.arrayContaining(['conversation.received', 'conversation.assigned', 'conversation.answered']),
    );
    expect(types.filter((t) => t === 'conversation.answered')).toHaveLength(1);
  });

  it('never answers twice: a repeated request (Idempotency-Key) replays, a second call is a 409, with one publication', async () => {
    const id = (await ingest(item('500'))).body.items[0].id;
    const before = channel.requests.length;
    const call = () =>
      api.call('POST', `/v1/conversations/${id}/reply`, {
        key,
        body: { text: 'Thanks!', voiceId: anna },
        headers: { 'Idempotency-Key': 'answer-500' },
      });
    const [a, b] = [await call(), await call()];
    expect(a.status).toBe(200);
    expect(b.status).toBe(200);
    expect(b.body.answerPostId).toBe(a.body.answerPostId);
    const second = await api.call('POST', `/v1/conversations/${id}/reply`, {
      key,
      body: { text: 'Thanks again!', voiceId: anna },
    });
    expect(second.status).toBe(409);
    await api.scheduler.runDue();
    expect(channel.requests.length - before).toBe(1);
    expect((await api.call('GET', `/v1/conversations/${id}`, { key })).body.status).toBe('answered');
    expect((await api.call('POST', `/v1/conversations/${id}/dismiss`, { key, body: { reason: 'late' } })).status).toBe(
      409,
    );
  });

  it('assigns by hand with a note, and dismisses with a reason', async () => {
    const id = (await ingest(item('600'))).body.items[0].id;
    const before = smtp.received.length;
    const assigned = await api.call('POST', `/v1/conversations/${id}/assign`, {
      key,
      body: { voiceId: anna, note: 'Product question' },
    });
    expect(assigned.body).toMatchObject({ assigneeId: anna, assignNote: 'Product question' });
    expect(smtp.received.slice(before).map((m) => m.envelope.to)).toEqual([['anna@northwind.example']]);
    const mine = await api.call('GET', `/v1/accounts/${accountId}/conversations?assignee=${anna}&status=open`, { key });
    expect(mine.body.items.map((c: { id: string }) => c.id)).toEqual([id]);
    const d = await api.call('POST', `/v1/conversations/${id}/dismiss`, { key, body: { reason: 'answered by phone' } });
    expect(d.body).toMatchObject({ status: 'dismissed', dismissReason: 'answered by phone' });
    expect(
      (await api.call('POST', `/v1/conversations/${id}/reply`, { key, body: { text: 'x', voiceId: anna } })).status,
    ).toBe(409);
  });

  it('tells a poll whether an item awaits an answer (open, none on its way), the only time our own posts are read', async () => {
    const other = (await api.call('POST', '/v1/accounts', { key, body: accountBody() })).body.id as string;
    const awaiting = () => api.services.conversations.awaitingAnswer(wsId, other);
    expect(await awaiting()).toBe(false);
    const ids = (
      await api.call('POST', `/v1/accounts/${other}/conversations`, { key, body: { items: [item('a1'), item('a2')] } })
    ).body.items.map((i: { id: string }) => i.id) as string[];
    expect(await awaiting()).toBe(true);
    await api.services.conversations.answeredOutside(wsId, other, [
      { inReplyToExternalId: 'a1', externalId: 'r1', at: '2026-11-23T10:05:00Z' },
    ]);
    expect(await awaiting()).toBe(true); // a2 still waits
    // An item stored before the open index existed (its entry missing) is indexed by indexAwaiting, once asked.
    await api.store.db.doc.send(
      new DeleteCommand({ TableName: api.store.db.table, Key: { pk: wsPk(wsId), sk: `CNVOPEN#${other}#${ids[1]}` } }),
    );
    expect(await awaiting()).toBe(false);
    await api.services.conversations.indexAwaiting(wsId, other);
    expect(await awaiting()).toBe(true);
    await api.call('POST', `/v1/conversations/${ids[1]}/dismiss`, { key, body: { reason: 'spam' } });
    expect(await awaiting()).toBe(false);
    await api.services.conversations.indexAwaiting(wsId, other); // idempotent: nothing open, nothing indexed
    expect(await awaiting()).toBe(false);
  });

  it('lists overdue items, and marks items answered outside drumbeat through the InboxSink', async () => {
    const id = (await ingest(item('700', { receivedAt: '2026-11-23T07:00:00Z' }))).body.items[0].id;
    const overdue = await api.call('GET', `/v1/accounts/${accountId}/conversations?overdue=true`, { key });
    expect(overdue.body.items.map((c: { id: string }) => c.id)).toContain(id);
    expect((await api.call('GET', `/v1/conversations/${id}`, { key })).body.dueAt).toBe('2026-11-23T09:00:00.000Z');
    const r = await api.services.conversations.answeredOutside(wsId, accountId, [
      {
        inReplyToExternalId: '700',
        externalId: '701',
        url: 'https://mastodon.example/@acme/701',
        at: '2026-11-23T10:05:00Z',
      },
    ]);
    expect(r).toEqual({ updated: 1 });
    expect(
      await api.services.conversations.answeredOutside(wsId, accountId, [
        { inReplyToExternalId: '700', externalId: '701', at: '2026-11-23T10:05:00Z' },
      ]),
    ).toEqual({ updated: 0 });
    expect((await api.call('GET', `/v1/conversations/${id}`, { key })).body).toMatchObject({
      status: 'answered',
      outsideAnswer: { externalId: '701' },
    });
    // A sink's repeated poll adds nothing.
    expect(await api.services.conversations.ingest(wsId, accountId, [item('700') as never])).toEqual({ created: 0 });
  });
});
