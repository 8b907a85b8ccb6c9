import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { simpleParser } from 'mailparser';
import { accountBody, startTestApi, type TestApi } from '../support/api.js';

let api: TestApi;
let key: string;
let ws: string;
beforeAll(async () => {
  api = await startTestApi({ now: '2026-11-23T10:00:00Z' });
  const w = await api.workspace();
  key = w.key;
  ws = w.id;
  api.scheduler.start(
    (p) => (p.kind === 'publish' ? api.services.publisher.run(p).then(() => undefined) : Promise.resolve()),
    { loop: false },
  );
});
afterAll(async () => {
  await api.scheduler.stop();
  await api.close();
});

const voice = async (body: Record<string, unknown>) =>
  (await api.call('POST', '/v1/voices', { key, body })).body.id as string;
const read = async (id: string) => (await api.call('GET', `/v1/posts/${id}`, { key })).body;

describe('the manual channel', () => {
  it('emails the author the exact text at its time, then records the publication a person reports', async () => {
    const author = await voice({ name: 'Chloé Martin', email: 'chloe@acme.example', affiliation: 'in_house' });
    const acc = (
      await api.call('POST', '/v1/accounts', {
        key,
        body: accountBody({ channel: { type: 'manual' }, disclosure: { signature: 'name' } }),
      })
    ).body.id;
    const id = (
      await api.call('POST', `/v1/accounts/${acc}/posts`, {
        key,
        body: { text: 'Shop opens at 9', voiceId: author, at: '2026-11-23T10:30:00Z' },
      })
    ).body.id;
    api.clock.set('2026-11-23T10:30:00Z');
    await api.scheduler.runDue();
    expect(await read(id)).toMatchObject({ status: 'publishing', awaiting: 'person' });
    const files = readdirSync(api.outboxDir).filter((f) => f.endsWith('.eml'));
    expect(files).toHaveLength(1);
    const mail = await simpleParser(readFileSync(join(api.outboxDir, files[0]!)));
    expect(mail.to && 'text' in mail.to ? mail.to.text : '').toContain('chloe@acme.example');
    expect(mail.subject).toContain('@acme on Mastodon: time to post');
    expect(mail.text).toContain('Shop opens at 9 — Chloé Martin');
    expect(mail.html).toContain('Shop opens at 9 — Chloé Martin');

    const done = await api.call('POST', `/v1/posts/${id}/published`, {
      key,
      body: { url: 'https://mastodon.example/@acme/1' },
    });
    expect(done.status).toBe(200);
    expect(done.body).toMatchObject({
      status: 'published',
      externalUrl: 'https://mastodon.example/@acme/1',
      publishedAt: '2026-11-23T10:30:00.000Z',
    });
    const entries = (await api.services.ledger.list(ws, { accountId: acc, limit: 10 })).items;
    expect(entries.map((e) => e.postId)).toEqual([id]);
    expect((await api.call('POST', `/v1/posts/${id}/published`, { key, body: {} })).status).toBe(409);
  });

  it('refuses to mark a non-manual post published by hand, and a future publication time', async () => {
    const author = await voice({ name: 'B', affiliation: 'in_house' });
    const hook = (await api.call('POST', '/v1/accounts', { key, body: accountBody() })).body.id;
    const p = (
      await api.call('POST', `/v1/accounts/${hook}/posts`, {
        key,
        body: { text: 'x', voiceId: author, at: '2026-12-01T10:00:00Z' },
      })
    ).body.id;
    expect((await api.call('POST', `/v1/posts/${p}/published`, { key, body: {} })).status).toBe(409);
    const manual = (await api.call('POST', '/v1/accounts', { key, body: accountBody({ channel: { type: 'manual' } }) }))
      .body.id;
    const q = (
      await api.call('POST', `/v1/accounts/${manual}/posts`, {
        key,
        body: { text: 'y', voiceId: author, at: '2026-12-01T10:00:00Z' },
      })
    ).body.id;
    const future = await api.call('POST', `/v1/posts/${q}/published`, {
      key,
      body: { publishedAt: '2030-01-01T00:00:00Z' },
    });
    expect(future.status).toBe(422);
    expect(future.body.errors[0].path).toBe('publishedAt');
  });
});

describe('a post still awaiting approval at its time', () => {
  it('becomes missed and is never published', async () => {
    const author = await voice({ name: 'C', affiliation: 'freelance' });
    const acc = (await api.call('POST', '/v1/accounts', { key, body: accountBody({ approval: { required: true } }) }))
      .body.id;
    api.clock.set('2026-11-24T10:00:00Z');
    const id = (
      await api.call('POST', `/v1/accounts/${acc}/posts`, {
        key,
        body: { text: 'needs a yes', voiceId: author, at: '2026-11-24T11:00:00Z' },
      })
    ).body.id;
    expect((await read(id)).status).toBe('pending_approval');
    api.clock.set('2026-11-24T11:00:00Z');
    await api.scheduler.runDue();
    expect((await read(id)).status).toBe('missed');
    expect((await api.services.ledger.list(ws, { accountId: acc, limit: 10 })).items).toHaveLength(0);
  });
});

describe('reporting a manual post as published', () => {
  it('writes one ledger entry however many reports arrive at once', async () => {
    const author = await voice({ name: 'D', affiliation: 'agency' });
    const acc = (await api.call('POST', '/v1/accounts', { key, body: accountBody({ channel: { type: 'manual' } }) }))
      .body.id;
    const id = (
      await api.call('POST', `/v1/accounts/${acc}/posts`, {
        key,
        body: { text: 'posted by hand', voiceId: author, at: '2026-12-02T10:00:00Z' },
      })
    ).body.id;
    const reports = await Promise.all(
      Array.from({ length: 8 }, () =>
        api.call('POST', `/v1/posts/${id}/published`, { key, body: { url: 'https://mastodon.example/@acme/2' } }),
      ),
    );
    expect(reports.filter((r) => r.status === 200)).toHaveLength(1);
    expect(
      reports
        .filter((r) => r.status !== 200)
        .every((r) => r.status === 409 && r.headers.get('content-type')?.includes('problem+json')),
    ).toBe(true);
    const entries = (await api.services.ledger.list(ws, { accountId: acc, limit: 10 })).items;
    expect(entries.map((e) => e.postId)).toEqual([id]);
    expect((await api.call('GET', '/v1/attribution/verify', { key })).body.ok).toBe(true);
  });
});

describe('a manual reminder that cannot be sent', () => {
  it('is retried on the publish backoff and reaches the author once the mail server answers', async () => {
    const sent: string[] = [];
    let down = true;
    const flaky = await startTestApi({
      now: '2026-11-23T10:00:00Z',
      mailer: {
        async send(m) {
          if (down) throw new Error('connect ECONNREFUSED 127.0.0.1:25');
          sent.push(m.subject);
          return { messageId: `<${sent.length}@test>` };
        },
      },
    });
    try {
      const k = (await flaky.workspace()).key;
      const author = (
        await flaky.call('POST', '/v1/voices', {
          key: k,
          body: { name: 'E', email: 'e@acme.example', affiliation: 'in_house' },
        })
      ).body.id;
      const acc = (
        await flaky.call('POST', '/v1/accounts', { key: k, body: accountBody({ channel: { type: 'manual' } }) })
      ).body.id;
      const id = (
        await flaky.call('POST', `/v1/accounts/${acc}/posts`, {
          key: k,
          body: { text: 'by hand', voiceId: author, at: '2026-11-23T10:30:00Z' },
        })
      ).body.id;
      flaky.scheduler.start(
        (p) => (p.kind === 'publish' ? flaky.services.publisher.run(p).then(() => undefined) : Promise.resolve()),
        { loop: false },
      );
      flaky.clock.set('2026-11-23T10:30:00Z');
      await flaky.scheduler.runDue();
      const waiting = (await flaky.call('GET', `/v1/posts/${id}`, { key: k })).body;
      expect(waiting.status).toBe('scheduled');
      expect(waiting.awaiting).toBeUndefined();
      expect(sent).toEqual([]);
      down = false;
      flaky.clock.set('2026-11-23T10:30:10Z'); // the first retry delay (10 s in the harness)
      await flaky.scheduler.runDue();
      expect((await flaky.call('GET', `/v1/posts/${id}`, { key: k })).body).toMatchObject({
        status: 'publishing',
        awaiting: 'person',
      });
      expect(sent).toHaveLength(1);
      expect(sent[0]).toContain('time to post');
    } finally {
      await flaky.scheduler.stop();
      await flaky.close();
    }
  });
});
