import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { Webhook } from 'standardwebhooks';
import { egressUrlPolicy } from '@drumbeat/channels';
import { createLogger } from '@drumbeat/local';
import { dispatchTimers } from '../../packages/local/src/timer-dispatch.js';
import { accountBody, startTestApi, startWithVoice, type TestApi } from '../support/api.js';
import { json, startRecorder, type Handler, type HttpRecorder } from '../support/http-recorder.js';

let api: TestApi;
let key: string;
let voiceId: string;
const receivers: HttpRecorder[] = [];
beforeAll(async () => {
  ({ api, key, voiceId } = await startWithVoice({
    name: 'Anna Bell',
    affiliation: 'agency',
    organization: 'Northwind',
    signature: 'AB',
  }));
  api.scheduler.start(
    (p) => (p.kind === 'publish' ? api.services.publisher.run(p).then(() => undefined) : Promise.resolve()),
    { loop: false },
  );
});
afterEach(async () => {
  for (const r of receivers.splice(0)) await r.close();
});
afterAll(async () => {
  await api.scheduler.stop();
  await api.close();
});

async function receiver(answers: (n: number) => [number, unknown, Record<string, string>?]) {
  let n = 0;
  const r = await startRecorder((_req, res) => {
    const [status, body, headers] = answers(++n);
    json(res, status, body, headers);
  });
  receivers.push(r);
  return r;
}

async function webhookAccount(url: string, overrides: Record<string, unknown> = {}) {
  const r = await api.call('POST', '/v1/accounts', {
    key,
    body: accountBody({ channel: { type: 'webhook', url }, ...overrides }),
  });
  expect(r.status).toBe(201);
  return { id: r.body.id as string, secret: r.body.channel.secret as string };
}

async function postAt(accountId: string, at: string, text = 'Hello') {
  const r = await api.call('POST', `/v1/accounts/${accountId}/posts`, { key, body: { text, voiceId, at } });
  expect(r.status).toBe(201);
  return r.body.id as string;
}

const read = async (id: string) => (await api.call('GET', `/v1/posts/${id}`, { key })).body;

describe('publishing through the webhook channel', () => {
  it('posts post.publish once at its time, signed so standardwebhooks verifies it, and records the result', async () => {
    const r = await receiver(() => [200, { url: 'https://social.example/acme/1', externalId: 'ext-1' }]);
    const acc = await webhookAccount(r.url, { disclosure: { signature: 'initials' } });
    const id = await postAt(acc.id, '2026-11-23T10:05:00Z', 'Autumn blend is back');
    api.clock.set('2026-11-23T10:05:00.400Z');
    await api.scheduler.runDue();
    expect(r.requests).toHaveLength(1);
    const req = r.requests[0]!;
    const body = new Webhook(acc.secret).verify(req.body, req.headers) as {
      type: string;
      data: { post: { text: string; id: string }; voice: Record<string, unknown>; account: { id: string } };
    };
    expect(body.type).toBe('post.publish');
    expect(body.data.post).toMatchObject({ id, text: 'Autumn blend is back ^AB' });
    expect(body.data.account.id).toBe(acc.id);
    expect(body.data.voice).toMatchObject({ name: 'Anna Bell', affiliation: 'agency', organization: 'Northwind' });
    expect(JSON.stringify(body)).not.toContain('whsec_');
    const post = await read(id);
    expect(post).toMatchObject({
      status: 'published',
      externalUrl: 'https://social.example/acme/1',
      externalId: 'ext-1',
      publishedAt: '2026-11-23T10:05:00.400Z',
      lateness: 400,
    });
    await api.scheduler.runDue();
    expect(r.requests).toHaveLength(1);
  });

  it('makes 20 concurrent duplicate deliveries of one post into one channel call', async () => {
    const r = await receiver(() => [200, {}]);
    const acc = await webhookAccount(r.url);
    api.clock.set('2026-11-23T10:00:00Z');
    const id = await postAt(acc.id, '2026-11-23T10:06:00Z');
    api.clock.set('2026-11-23T10:06:00Z');
    const workspaceId = key.split('.')[1]!;
    const outcomes = await Promise.all(
      Array.from({ length: 20 }, () => api.services.publisher.run({ workspaceId, postId: id })),
    );
    expect(outcomes.filter((o) => o === 'published')).toHaveLength(1);
    expect(outcomes.filter((o) => o === 'nothing-to-do')).toHaveLength(19);
    expect(r.requests).toHaveLength(1);
    expect(new Set(r.requests.map((q) => q.headers['webhook-id'])).size).toBe(1);
  });

  it('retries a receiver that fails three times, then publishes once, with the same webhook-id each time', async () => {
    const r = await receiver((n) => (n <= 3 ? [500, { error: 'boom' }] : [200, { url: 'https://social.example/ok' }]));
    const acc = await webhookAccount(r.url);
    api.clock.set('2026-11-23T11:00:00Z');
    const id = await postAt(acc.id, '2026-11-23T11:01:00Z');
    api.clock.set('2026-11-23T11:01:00Z');
    await api.scheduler.runDue();
    expect(await read(id)).toMatchObject({
      status: 'scheduled',
      attempts: 1,
      retryAt: '2026-11-23T11:01:10.000Z',
      lastError: expect.stringContaining('500'),
    });
    api.clock.advance(10_000);
    await api.scheduler.runDue();
    api.clock.advance(60_000);
    await api.scheduler.runDue();
    expect((await read(id)).status).toBe('scheduled');
    api.clock.advance(300_000);
    await api.scheduler.runDue();
    expect(await read(id)).toMatchObject({
      status: 'published',
      attempts: 4,
      externalUrl: 'https://social.example/ok',
    });
    expect(r.requests).toHaveLength(4);
    expect(new Set(r.requests.map((q) => q.headers['webhook-id'])).size).toBe(1);
    api.clock.advance(3_600_000);
    await api.scheduler.runDue();
    expect(r.requests).toHaveLength(4);
  });

  it('honours Retry-After when it asks for longer than the backoff', async () => {
    const r = await receiver((n) => (n === 1 ? [429, {}, { 'retry-after': '120' }] : [200, {}]));
    const acc = await webhookAccount(r.url);
    api.clock.set('2026-11-23T12:00:00Z');
    const id = await postAt(acc.id, '2026-11-23T12:01:00Z');
    api.clock.set('2026-11-23T12:01:00Z');
    await api.scheduler.runDue();
    expect((await read(id)).retryAt).toBe('2026-11-23T12:03:00.000Z');
  });

  it('marks a post failed, with the reason, once its receiver has failed every attempt', async () => {
    const r = await receiver(() => [503, { error: 'down' }]);
    const acc = await webhookAccount(r.url);
    api.clock.set('2026-11-23T13:00:00Z');
    const id = await postAt(acc.id, '2026-11-23T13:01:00Z');
    api.clock.set('2026-11-23T13:01:00Z');
    for (let i = 0; i < 6; i++) {
      await api.scheduler.runDue();
      api.clock.advance(600_000);
    }
    const post = await read(id);
    expect(post).toMatchObject({ status: 'failed', attempts: 4 });
    expect(post.failure).toContain('503');
    expect(r.requests).toHaveLength(4);
  });

  it('fails at once, without retrying, on a 4xx that retrying cannot fix', async () => {
    const r = await receiver(() => [422, { error: 'text refused' }]);
    const acc = await webhookAccount(r.url);
    api.clock.set('2026-11-23T14:00:00Z');
    const id = await postAt(acc.id, '2026-11-23T14:01:00Z');
    api.clock.set('2026-11-23T14:01:00Z');
    await api.scheduler.runDue();
    expect((await read(id)).status).toBe('failed');
    expect(r.requests).toHaveLength(1);
  });

  it('appends each publication to the attribution ledger', async () => {
    const r = await receiver(() => [200, { url: 'https://social.example/x' }]);
    const acc = await webhookAccount(r.url);
    api.clock.set('2026-11-23T15:00:00Z');
    const id = await postAt(acc.id, '2026-11-23T15:01:00Z', 'On the record');
    api.clock.set('2026-11-23T15:01:00Z');
    await api.scheduler.runDue();
    const ws = key.split('.')[1]!;
    const entries = (await api.services.ledger.list(ws, { accountId: acc.id, limit: 10 })).items;
    expect(entries).toHaveLength(1);
    expect(entries[0]).toMatchObject({
      postId: id,
      channel: 'webhook',
      externalUrl: 'https://social.example/x',
      voice: { id: voiceId, affiliation: 'agency', organization: 'Northwind' },
    });
    expect((await api.services.ledger.verify(ws)).ok).toBe(true);
  });
});

describe('account changes reach the publish path at once', () => {
  it('publishes to the new channel URL right after the account changes it', async () => {
    const a = await receiver(() => [200, {}]);
    const b = await receiver(() => [200, {}]);
    const acc = await webhookAccount(a.url);
    api.clock.set('2026-11-23T16:00:00Z');
    const first = await postAt(acc.id, '2026-11-23T16:01:00Z');
    const second = await postAt(acc.id, '2026-11-23T16:02:00Z');
    api.clock.set('2026-11-23T16:01:00Z');
    await api.scheduler.runDue();
    expect(a.requests).toHaveLength(1);
    const patched = await api.call('PATCH', `/v1/accounts/${acc.id}`, {
      key,
      body: { channel: { type: 'webhook', url: b.url } },
    });
    expect(patched.status).toBe(200);
    api.clock.set('2026-11-23T16:02:00Z');
    await api.scheduler.runDue();
    expect(a.requests).toHaveLength(1);
    expect(b.requests).toHaveLength(1);
    const signed = new Webhook(patched.body.channel.secret).verify(b.requests[0]!.body, b.requests[0]!.headers) as {
      data: { post: { id: string } };
    };
    expect(signed.data.post.id).toBe(second);
    expect((await read(first)).status).toBe('published');
  });
});

describe('a receiver whose outcome is unknown (hangs, or cuts the connection)', () => {
  let slow: TestApi;
  let slowKey: string;
  let slowVoice: string;
  beforeAll(async () => {
    // a short channel timeout, so a hanging receiver costs 200 ms a try; the harness's backoff: 10 s, 60 s, 300 s (4 attempts)
    slow = await startTestApi({ now: '2026-11-23T10:00:00Z', timeoutMs: 200 });
    slowKey = (await slow.workspace('Unknown outcomes')).key;
    slowVoice = (await slow.call('POST', '/v1/voices', { key: slowKey, body: { name: 'Cara', affiliation: 'agency' } }))
      .body.id;
    slow.scheduler.start(dispatchTimers(slow.services, createLogger('silent')), { loop: false });
  });
  afterAll(async () => {
    await slow.scheduler.stop();
    await slow.close();
  });

  const alertsOf = async (acc: string) =>
    (await slow.call('GET', `/v1/alerts?accountId=${acc}`, { key: slowKey })).body.items as {
      kind: string;
      status: string;
      postId?: string;
      details: Record<string, unknown>;
    }[];

  async function retriedToFailure(handler: Handler, at: string) {
    const r = await startRecorder(handler);
    receivers.push(r);
    const acc = await slow.call('POST', '/v1/accounts', {
      key: slowKey,
      body: accountBody({ channel: { type: 'webhook', url: r.url } }),
    });
    expect(acc.status).toBe(201);
    slow.clock.set(new Date(Date.parse(at) - 60_000).toISOString());
    const post = await slow.call('POST', `/v1/accounts/${acc.body.id}/posts`, {
      key: slowKey,
      body: { text: 'Unknown outcome', voiceId: slowVoice, at },
    });
    expect(post.status).toBe(201);
    const id = post.body.id as string;
    slow.clock.set(at);
    const seen: string[] = [];
    for (const wait of [10_000, 60_000, 300_000]) {
      await slow.scheduler.runDue();
      const p = (await slow.call('GET', `/v1/posts/${id}`, { key: slowKey })).body;
      seen.push(p.status);
      expect(p.retryAt).toBe(new Date(slow.clock.now().getTime() + wait).toISOString());
      expect((await alertsOf(acc.body.id)).filter((a) => a.kind === 'publish_failed')).toEqual([]);
      slow.clock.advance(wait);
    }
    await slow.scheduler.runDue();
    expect(seen).toEqual(['scheduled', 'scheduled', 'scheduled']);
    const post4 = (await slow.call('GET', `/v1/posts/${id}`, { key: slowKey })).body;
    slow.clock.advance(3_600_000);
    await slow.scheduler.runDue();
    return { r, post: post4, id, secret: acc.body.channel.secret as string, alerts: await alertsOf(acc.body.id) };
  }

  function expectOneMessage(r: HttpRecorder, secret: string, id: string) {
    expect(r.requests).toHaveLength(4);
    expect(new Set(r.requests.map((q) => q.headers['webhook-id'])).size).toBe(1);
    for (const q of r.requests)
      expect((new Webhook(secret).verify(q.body, q.headers) as { data: { post: { id: string } } }).data.post.id).toBe(
        id,
      );
  }

  it('retries a receiver that hangs past the timeout, then fails the post with publish_failed open, all under one webhook-id', async () => {
    const { r, post, id, secret, alerts } = await retriedToFailure(() => undefined, '2026-11-23T11:00:00Z');
    expect(post).toMatchObject({ status: 'failed', attempts: 4 });
    expect(post.failure).toMatch(/timed out/);
    expectOneMessage(r, secret, id);
    expect(alerts.filter((a) => a.kind === 'publish_failed')).toEqual([
      expect.objectContaining({ status: 'open', postId: id }),
    ]);
  });

  it('retries a receiver that resets the connection, then fails the post with publish_failed open, all under one webhook-id', async () => {
    const { r, post, id, secret, alerts } = await retriedToFailure(
      (_req, _res, raw) => void raw.socket.destroy(),
      '2026-11-23T13:00:00Z',
    );
    expect(post).toMatchObject({ status: 'failed', attempts: 4 });
    expectOneMessage(r, secret, id);
    expect(alerts.filter((a) => a.kind === 'publish_failed')).toEqual([
      expect.objectContaining({ status: 'open', postId: id }),
    ]);
  });
});

describe('egress safety', () => {
  it('refuses a channel URL on a private address when private targets are not allowed', async () => {
    const strict = await startTestApi({ urlPolicy: egressUrlPolicy({ allowPrivate: false }) });
    try {
      const k = (await strict.workspace()).key;
      for (const url of [
        'https://127.0.0.1/hook',
        'https://10.1.2.3/hook',
        'https://169.254.169.254/latest',
        'https://localhost/hook',
        'http://hooks.example/plain',
      ]) {
        const r = await strict.call('POST', '/v1/accounts', {
          key: k,
          body: accountBody({ channel: { type: 'webhook', url } }),
        });
        expect(r.status, url).toBe(400);
        expect(r.body.errors[0].path).toBe('channel.url');
      }
    } finally {
      await strict.close();
    }
  });
});
