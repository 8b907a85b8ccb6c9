import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { egressUrlPolicy } from '@drumbeat/channels';
import { startTestApi, type TestApi } from '../support/api.js';
import { receivers, sampleEvent, startWebhookApi, subscribe } from './harness.js';

let api: TestApi;
let ws: string;
let key: string;
const servers = receivers();
beforeAll(async () => {
  api = await startWebhookApi();
  ({ id: ws, key } = await api.workspace());
});
afterAll(async () => {
  await servers.closeAll();
  await api.close();
});

async function keyWithRole(role: string): Promise<string> {
  const r = await api.call('POST', '/v1/keys', { key, body: { name: `${role} key`, role } });
  expect(r.status).toBe(201);
  return r.body.key;
}

describe('creating a subscription', () => {
  it('returns 201 with the subscription and its whsec_ secret, shown once', async () => {
    const r = await api.call('POST', '/v1/webhooks', {
      key,
      body: {
        url: 'http://127.0.0.1:9/hooks',
        events: ['post.published', 'alert.opened', 'post.published'],
        description: 'Agency dashboard',
      },
    });
    expect(r.status).toBe(201);
    expect(r.body).toEqual({
      id: expect.stringMatching(/^whk_[0-9a-z]{26}$/),
      url: 'http://127.0.0.1:9/hooks',
      events: ['post.published', 'alert.opened'],
      description: 'Agency dashboard',
      createdAt: api.clock.now().toISOString(),
      secret: expect.stringMatching(/^whsec_[A-Za-z0-9+/]{32}$/),
    });

    const list = await api.call('GET', '/v1/webhooks', { key });
    expect(list.status).toBe(200);
    const listed = list.body.items.find((w: { id: string }) => w.id === r.body.id);
    expect(listed).toBeDefined();
    expect(listed).not.toHaveProperty('secret');
    expect(JSON.stringify(list.body)).not.toContain(r.body.secret);
    expect(JSON.stringify(list.body)).not.toContain(r.body.secret.slice('whsec_'.length));
  });

  it('never shows the secret again, not even in deliveries', async () => {
    const rx = await servers.start();
    const sub = await subscribe(api, key, rx.url);
    await api.services.webhooks.emit(ws, sampleEvent(api, 'post.created'));
    await api.scheduler.runDue();
    const deliveries = await api.call('GET', `/v1/webhooks/${sub.id}/deliveries`, { key });
    expect(deliveries.body.items).toHaveLength(1);
    const bodies = JSON.stringify([(await api.call('GET', '/v1/webhooks', { key })).body, deliveries.body]);
    expect(bodies).not.toContain(sub.secret.slice('whsec_'.length));
  });

  it('lists subscriptions page by page', async () => {
    const other = await api.workspace('Paging');
    for (let i = 0; i < 3; i++) {
      await subscribe(api, other.key, `http://127.0.0.1:9/${i}`);
      api.clock.advance(1_000);
    }
    const first = await api.call('GET', '/v1/webhooks?limit=2', { key: other.key });
    expect(first.body.items.map((w: { url: string }) => w.url)).toEqual([
      'http://127.0.0.1:9/0',
      'http://127.0.0.1:9/1',
    ]);
    const second = await api.call('GET', `/v1/webhooks?limit=2&cursor=${first.body.nextCursor}`, { key: other.key });
    expect(second.body.items.map((w: { url: string }) => w.url)).toEqual(['http://127.0.0.1:9/2']);
    expect(second.body.nextCursor).toBeNull();
  });

  it('deletes a subscription (204), then it is gone (404)', async () => {
    const sub = await subscribe(api, key, 'http://127.0.0.1:9/gone');
    expect((await api.call('DELETE', `/v1/webhooks/${sub.id}`, { key })).status).toBe(204);
    expect((await api.call('DELETE', `/v1/webhooks/${sub.id}`, { key })).status).toBe(404);
    expect((await api.call('GET', `/v1/webhooks/${sub.id}/deliveries`, { key })).status).toBe(404);
    const ids = (await api.call('GET', '/v1/webhooks', { key })).body.items.map((w: { id: string }) => w.id);
    expect(ids).not.toContain(sub.id);
  });
});

describe('bad input', () => {
  async function expectProblem(body: unknown, path: string, message?: RegExp) {
    const r = await api.call('POST', '/v1/webhooks', { key, body });
    expect(r.status).toBe(400);
    expect(r.headers.get('content-type')).toContain('application/problem+json');
    const err = r.body.errors.find((e: { path: string }) => e.path === path);
    expect(err, JSON.stringify(r.body)).toBeDefined();
    if (message) expect(err.message).toMatch(message);
  }

  it('names url when it is not a URL or not http(s)', async () => {
    await expectProblem({ url: 'not a url', events: ['*'] }, 'url');
    await expectProblem({ url: 'ftp://files.example/hook', events: ['*'] }, 'url');
    await expectProblem({ events: ['*'] }, 'url', /required/);
  });

  it('names the event that does not exist, and refuses an empty list', async () => {
    await expectProblem({ url: 'http://127.0.0.1:9/', events: ['post.created', 'post.exploded'] }, 'events.1');
    await expectProblem({ url: 'http://127.0.0.1:9/', events: [] }, 'events');
    await expectProblem({ url: 'http://127.0.0.1:9/', events: 'post.created' }, 'events');
  });

  it('names an unknown field', async () => {
    await expectProblem({ url: 'http://127.0.0.1:9/', events: ['*'], secret: 'whsec_mine' }, 'secret', /unknown field/);
  });

  it('names url when the egress policy refuses it', async () => {
    const strict = await startTestApi({ urlPolicy: egressUrlPolicy({ allowPrivate: false }) });
    try {
      const owner = (await strict.workspace()).key;
      const r = await strict.call('POST', '/v1/webhooks', {
        key: owner,
        body: { url: 'https://127.0.0.1/hooks', events: ['*'] },
      });
      expect(r.status).toBe(400);
      expect(r.headers.get('content-type')).toContain('application/problem+json');
      expect(r.body.errors).toEqual([{ path: 'url', message: expect.stringContaining('127.0.0.1') }]);
      expect((await strict.call('GET', '/v1/webhooks', { key: owner })).body.items).toEqual([]);
    } finally {
      await strict.close();
    }
  });
});

describe('tenancy and roles', () => {
  it("answers 404 for another workspace's subscription and never lists it", async () => {
    const sub = await subscribe(api, key, 'http://127.0.0.1:9/mine');
    const other = await api.workspace('Rival');
    expect((await api.call('DELETE', `/v1/webhooks/${sub.id}`, { key: other.key })).status).toBe(404);
    const deliveries = await api.call('GET', `/v1/webhooks/${sub.id}/deliveries`, { key: other.key });
    expect(deliveries.status).toBe(404);
    expect(deliveries.headers.get('content-type')).toContain('application/problem+json');
    expect((await api.call('GET', '/v1/webhooks', { key: other.key })).body.items).toEqual([]);
    expect((await api.call('GET', `/v1/webhooks/${sub.id}/deliveries`, { key })).status).toBe(200);
  });

  it('lets only owners create and delete; viewers read subscriptions and deliveries', async () => {
    const sub = await subscribe(api, key, 'http://127.0.0.1:9/roles');
    const viewer = await keyWithRole('viewer');
    const editor = await keyWithRole('editor');
    const body = { url: 'http://127.0.0.1:9/x', events: ['*'] };
    for (const k of [viewer, editor]) {
      const created = await api.call('POST', '/v1/webhooks', { key: k, body });
      expect(created.status).toBe(403);
      expect(created.headers.get('content-type')).toContain('application/problem+json');
      expect((await api.call('DELETE', `/v1/webhooks/${sub.id}`, { key: k })).status).toBe(403);
    }
    expect((await api.call('GET', '/v1/webhooks', { key: viewer })).status).toBe(200);
    expect((await api.call('GET', `/v1/webhooks/${sub.id}/deliveries`, { key: viewer })).status).toBe(200);
    expect((await api.call('GET', '/v1/webhooks')).status).toBe(401);
  });
});

describe('the OpenAPI document', () => {
  it('describes every webhook route with a summary', async () => {
    const doc = (await api.call('GET', '/openapi.json')).body;
    const ops = [
      doc.paths['/v1/webhooks'].post,
      doc.paths['/v1/webhooks'].get,
      doc.paths['/v1/webhooks/{id}'].delete,
      doc.paths['/v1/webhooks/{id}/deliveries'].get,
    ];
    for (const op of ops) expect(op.summary).toEqual(expect.any(String));
    expect(doc.components.schemas).toHaveProperty('WebhookCreate');
    expect(doc.components.schemas).toHaveProperty('Delivery');
  });
});
