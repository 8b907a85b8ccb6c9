import { afterEach, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Webhook } from 'standardwebhooks';
import { createLogger, readConfig, startRuntime, type Runtime } from '@drumbeat/local';
import { json, startRecorder, type HttpRecorder } from '../support/http-recorder.js';

const cleanup: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const f of cleanup.splice(0).reverse()) await f();
});

async function start(env: Record<string, string>): Promise<Runtime> {
  const rt = await startRuntime(readConfig({ PORT: '0', ...env }), { logger: createLogger('silent') });
  cleanup.push(() => rt.stop());
  return rt;
}

async function receiver(): Promise<HttpRecorder> {
  const r = await startRecorder((req, res) =>
    json(res, 200, { url: `https://social.example/${JSON.parse(req.body).data.post.id}` }),
  );
  cleanup.push(() => r.close());
  return r;
}

async function call(rt: Runtime, key: string, method: string, path: string, body?: unknown) {
  const res = await fetch(`${rt.url}${path}`, {
    method,
    headers: { Authorization: `Bearer ${key}`, 'Content-Type': 'application/json' },
    ...(body ? { body: JSON.stringify(body) } : {}),
  });
  return { status: res.status, body: (await res.json()) as any };
}

const until = async (cond: () => Promise<boolean> | boolean, ms: number) => {
  const start = Date.now();
  while (!(await cond())) {
    if (Date.now() - start > ms) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 50));
  }
};

async function setup(rt: Runtime, key: string, url: string) {
  const voice = await call(rt, key, 'POST', '/v1/voices', { name: 'Anna', affiliation: 'in_house' });
  const acc = await call(rt, key, 'POST', '/v1/accounts', {
    name: 'Acme',
    network: 'mastodon',
    handle: '@acme',
    timezone: 'Europe/Paris',
    channel: { type: 'webhook', url },
  });
  expect(acc.status).toBe(201);
  return {
    voiceId: voice.body.id as string,
    accountId: acc.body.id as string,
    secret: acc.body.channel.secret as string,
  };
}

describe('the embedded runtime publishes on the real clock', () => {
  it('delivers a post scheduled 2 s ahead once, signed, and records it published', async () => {
    const r = await receiver();
    const rt = await start({ DRUMBEAT_MEMORY: '1' });
    const key = rt.firstWorkspace!.apiKey.key;
    const { voiceId, accountId, secret } = await setup(rt, key, r.url);
    const at = new Date(Date.now() + 2_000).toISOString();
    const post = await call(rt, key, 'POST', `/v1/accounts/${accountId}/posts`, { text: 'Two seconds', voiceId, at });
    expect(post.status).toBe(201);
    await until(() => r.requests.length > 0, 8_000);
    await until(
      async () => (await call(rt, key, 'GET', `/v1/posts/${post.body.id}`)).body.status === 'published',
      3_000,
    );
    await new Promise((res) => setTimeout(res, 500));
    expect(r.requests).toHaveLength(1);
    const verified = new Webhook(secret).verify(r.requests[0]!.body, r.requests[0]!.headers) as {
      data: { post: { id: string } };
    };
    expect(verified.data.post.id).toBe(post.body.id);
    const read = (await call(rt, key, 'GET', `/v1/posts/${post.body.id}`)).body;
    expect(Date.parse(read.publishedAt)).toBeGreaterThanOrEqual(Date.parse(at));
    expect(read.lateness).toBeLessThan(2_000);
  }, 20_000);

  it('publishes posts that came due while it was stopped, once each, after a restart, with their lateness', async () => {
    const r = await receiver();
    const dataDir = mkdtempSync(join(tmpdir(), 'drumbeat-restart-'));
    cleanup.push(async () => rmSync(dataDir, { recursive: true, force: true }));
    const first = await start({ DRUMBEAT_DATA_DIR: dataDir });
    const key = first.firstWorkspace!.apiKey.key;
    const { voiceId, accountId } = await setup(first, key, r.url);
    const at = new Date(Date.now() + 1_500).toISOString();
    const ids: string[] = [];
    for (let i = 0; i < 5; i++)
      ids.push(
        (await call(first, key, 'POST', `/v1/accounts/${accountId}/posts`, { text: `due ${i}`, voiceId, at })).body.id,
      );
    await first.stop();
    await new Promise((res) => setTimeout(res, Math.max(0, Date.parse(at) - Date.now()) + 1_000));
    expect(r.requests).toHaveLength(0);

    const second = await start({ DRUMBEAT_DATA_DIR: dataDir });
    await until(() => r.requests.length >= 5, 8_000);
    await until(async () => {
      const posts = await Promise.all(ids.map((id) => call(second, key, 'GET', `/v1/posts/${id}`)));
      return posts.every((p) => p.body.status === 'published');
    }, 5_000);
    await new Promise((res) => setTimeout(res, 500));
    expect(r.requests).toHaveLength(5);
    expect(new Set(r.requests.map((q) => JSON.parse(q.body).data.post.id))).toEqual(new Set(ids));
    for (const id of ids)
      expect((await call(second, key, 'GET', `/v1/posts/${id}`)).body.lateness).toBeGreaterThanOrEqual(900);
  }, 30_000);
});
