import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { accountBody, startTestApi, type TestApi } from '../support/api.js';
import { ScanCommand } from '@aws-sdk/lib-dynamodb';

let api: TestApi;
let key: string;
beforeAll(async () => {
  api = await startTestApi();
  key = (await api.workspace()).key;
});
afterAll(() => api.close());

async function expectProblem(r: { status: number; headers: Headers; body: any }, status: number, path?: string) {
  expect(r.status).toBe(status);
  expect(r.headers.get('content-type')).toBe('application/problem+json');
  expect(r.body).toMatchObject({ type: expect.any(String), title: expect.any(String), status });
  if (path) expect(r.body.errors.map((e: { path: string }) => e.path)).toContain(path);
}

describe('bad input gets a clear problem+json naming the field', () => {
  it('invalid JSON', async () => {
    const r = await api.call('POST', '/v1/voices', { key, body: '{"name": "Anna",' });
    await expectProblem(r, 400);
    expect(r.body.detail).toContain('not valid JSON');
  });

  it('unknown fields', async () => {
    await expectProblem(await api.call('POST', '/v1/voices', { key, body: { name: 'A', affiliation: 'agency', nickname: 'x' } }), 400, 'nickname');
  });

  it('missing required fields', async () => {
    const r = await api.call('POST', '/v1/voices', { key, body: {} });
    await expectProblem(r, 400, 'name');
    expect(r.body.errors).toContainEqual({ path: 'affiliation', message: 'required' });
  });

  it('a value of the wrong type, told apart from a missing one', async () => {
    const r = await api.call('POST', '/v1/voices', { key, body: { name: 5, affiliation: 'agency' } });
    await expectProblem(r, 400, 'name');
    expect(r.body.errors[0].message).toContain('expected string');
  });

  it('a bad time zone', async () => {
    await expectProblem(await api.call('POST', '/v1/accounts', { key, body: accountBody({ timezone: 'Europe/Atlantis' }) }), 400, 'timezone');
  });

  it('a bad RRULE', async () => {
    const r = await api.call('POST', '/v1/accounts', { key, body: accountBody({ cadence: { slots: ['FREQ=WEEKLY', 'FREQ=FORTNIGHTLY'] } }) });
    await expectProblem(r, 400, 'cadence.slots.1');
  });

  it('an RFC 7529 rule (RSCALE), which slots do not follow: refused, not expanded as Gregorian', async () => {
    const r = await api.call('POST', '/v1/accounts', { key, body: accountBody({ cadence: { slots: ['FREQ=DAILY;BYHOUR=9', 'FREQ=YEARLY;RSCALE=HEBREW;BYMONTHDAY=1'] } }) });
    await expectProblem(r, 400, 'cadence.slots.1');
    expect(r.body.errors[0].message).toContain('RSCALE');
  });

  it('a bad ISO duration', async () => {
    await expectProblem(await api.call('POST', '/v1/accounts', { key, body: accountBody({ cadence: { slots: [], maxGap: '2 days' } }) }), 400, 'cadence.maxGap');
  });

  it('a bad channel type or URL', async () => {
    await expectProblem(await api.call('POST', '/v1/accounts', { key, body: accountBody({ channel: { type: 'fax' } }) }), 400, 'channel.type');
    await expectProblem(
      await api.call('POST', '/v1/accounts', { key, body: accountBody({ channel: { type: 'webhook', url: 'ftp://x' } }) }),
      400,
      'channel.url',
    );
  });

  it('an oversized body', async () => {
    const r = await api.call('POST', '/v1/voices', { key, body: { name: 'x'.repeat(70 * 1024), affiliation: 'agency' } });
    await expectProblem(r, 413);
  });

  it('the wrong content type', async () => {
    const r = await api.call('POST', '/v1/voices', { key, body: 'name=Anna', headers: { 'Content-Type': 'application/x-www-form-urlencoded' } });
    await expectProblem(r, 415);
    expect(r.body.detail).toContain('application/json');
  });

  it('a JSON body without a Content-Type, or of a media type that only looks like JSON: 415', async () => {
    const noType = await api.app.request('/v1/voices', {
      method: 'POST',
      headers: { Authorization: `Bearer ${key}` },
      // bytes, not a string: fetch would label a string text/plain
      body: new TextEncoder().encode(JSON.stringify({ name: 'Anna', affiliation: 'agency' })),
    });
    expect(noType.headers.get('content-type')).toBe('application/problem+json');
    await expectProblem({ status: noType.status, headers: noType.headers, body: await noType.json() }, 415);
    const jsonx = await api.call('POST', '/v1/voices', { key, body: { name: 'Anna', affiliation: 'agency' }, headers: { 'Content-Type': 'application/jsonx' } });
    await expectProblem(jsonx, 415);
  });

  it('a structured +json media type (application/merge-patch+json) is read as JSON, as before', async () => {
    const r = await api.call('POST', '/v1/voices', { key, body: { name: 'Merge', affiliation: 'agency' }, headers: { 'Content-Type': 'application/merge-patch+json' } });
    expect(r.status).toBe(201);
    expect(r.body).toMatchObject({ name: 'Merge', affiliation: 'agency' });
    await expectProblem(await api.call('POST', '/v1/voices', { key, body: { name: 5 }, headers: { 'Content-Type': 'application/merge-patch+json' } }), 400, 'name');
  });

  it('an empty body sent as application/json: 400 naming the body', async () => {
    const r = await api.call('POST', '/v1/voices', { key, body: '' });
    await expectProblem(r, 400);
    expect(r.body.detail).toBe('the request body is not valid JSON');
  });

  it('a body that is JSON null or an array, where an object is expected: 400 naming the body', async () => {
    for (const body of ['null', '[]', '[{"name":"Anna","affiliation":"agency"}]']) {
      const r = await api.call('POST', '/v1/voices', { key, body });
      await expectProblem(r, 400, '(body)');
      expect(r.body.errors[0].message).toMatch(/expected object, received (null|array)/);
    }
    await expectProblem(await api.call('POST', '/v1/app-links', { key, body: 'null' }), 400, '(body)');
  });

  it('an optional body may be left out: POST /v1/posts/{id}/published without one records it now', async () => {
    const voice = (await api.call('POST', '/v1/voices', { key, body: { name: 'Manual', affiliation: 'agency' } })).body.id;
    const acc = (await api.call('POST', '/v1/accounts', { key, body: accountBody({ handle: '@manual', channel: { type: 'manual' } }) })).body.id;
    const at = new Date(api.clock.now().getTime() + 86_400_000).toISOString();
    const post = (await api.call('POST', `/v1/accounts/${acc}/posts`, { key, body: { text: 'by hand', voiceId: voice, at } })).body.id;
    const res = await api.app.request(`/v1/posts/${post}/published`, { method: 'POST', headers: { Authorization: `Bearer ${key}` } });
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ id: post, status: 'published', publishedAt: api.clock.now().toISOString() });
  });

  it('a bad query parameter', async () => {
    await expectProblem(await api.call('GET', '/v1/voices?limit=0', { key }), 400, 'limit');
    await expectProblem(await api.call('GET', '/v1/voices?limit=abc', { key }), 400, 'limit');
    await expectProblem(await api.call('GET', '/v1/voices?cursor=not-a-cursor', { key }), 400, 'cursor');
  });

  it('a path id that cannot exist is a 404, even a huge one', async () => {
    await expectProblem(await api.call('GET', `/v1/voices/${'x'.repeat(5000)}`, { key }), 404);
    await expectProblem(await api.call('GET', '/v1/voices/vce_nothere', { key }), 404);
    await expectProblem(await api.call('GET', '/v1/voices/%F0%9F%A6%84', { key }), 404);
  });

  it('unknown routes and methods are 404 problems', async () => {
    await expectProblem(await api.call('GET', '/v1/nothing', { key }), 404);
    await expectProblem(await api.call('GET', '/nothing'), 404);
    await expectProblem(await api.call('PUT', '/v1/voices', { key }), 404);
  });

  it('a bad Idempotency-Key header', async () => {
    const r = await api.call('POST', '/v1/voices', { key, body: { name: 'A', affiliation: 'agency' }, headers: { 'Idempotency-Key': 'x'.repeat(300) } });
    await expectProblem(r, 400, 'Idempotency-Key');
  });
});

describe('Idempotency-Key', () => {
  it('replays the first response for a retried POST and creates nothing more', async () => {
    const headers = { 'Idempotency-Key': 'create-anna-1' };
    const body = { name: 'Anna', affiliation: 'agency' };
    const first = await api.call('POST', '/v1/voices', { key, body, headers });
    const again = await api.call('POST', '/v1/voices', { key, body, headers });
    expect(first.status).toBe(201);
    expect(again.status).toBe(201);
    expect(again.body).toEqual(first.body);
    expect(again.headers.get('idempotent-replayed')).toBe('true');
    const list = await api.call('GET', '/v1/voices?limit=200', { key });
    expect(list.body.items.filter((v: { name: string }) => v.name === 'Anna')).toHaveLength(1);
  });

  it('refuses the same key with a different body', async () => {
    const headers = { 'Idempotency-Key': 'create-2' };
    await api.call('POST', '/v1/voices', { key, body: { name: 'B', affiliation: 'agency' }, headers });
    const r = await api.call('POST', '/v1/voices', { key, body: { name: 'C', affiliation: 'agency' }, headers });
    await expectProblem(r, 422, 'Idempotency-Key');
  });

  it('is scoped to the workspace', async () => {
    const other = await api.workspace('Other');
    const headers = { 'Idempotency-Key': 'shared-key' };
    const a = await api.call('POST', '/v1/voices', { key, body: { name: 'D', affiliation: 'agency' }, headers });
    const b = await api.call('POST', '/v1/voices', { key: other.key, body: { name: 'D', affiliation: 'agency' }, headers });
    expect(b.status).toBe(201);
    expect(b.body.id).not.toBe(a.body.id);
  });

  it('replays a secret shown once without ever storing it readable', async () => {
    const headers = { 'Idempotency-Key': 'new-key-1' };
    const first = await api.call('POST', '/v1/keys', { key, body: { name: 'agency tool', role: 'editor' }, headers });
    const again = await api.call('POST', '/v1/keys', { key, body: { name: 'agency tool', role: 'editor' }, headers });
    expect(first.status).toBe(201);
    expect(again.body.key).toBe(first.body.key);
    const items = (await api.store.db.doc.send(new ScanCommand({ TableName: api.store.db.table }))).Items ?? [];
    const secret = first.body.key.split('.').at(-1) as string;
    expect(items.some((i) => i.type === 'IDEM')).toBe(true);
    expect(items.filter((i) => JSON.stringify(i).includes(secret))).toEqual([]);
  });

  it('will not replay one key\'s response to another key of the workspace', async () => {
    const second = (await api.call('POST', '/v1/keys', { key, body: { name: 'second', role: 'owner' } })).body.key;
    const headers = { 'Idempotency-Key': 'new-key-2' };
    const body = { name: 'shown once', role: 'viewer' };
    expect((await api.call('POST', '/v1/keys', { key, body, headers })).status).toBe(201);
    const r = await api.call('POST', '/v1/keys', { key: second, body, headers });
    await expectProblem(r, 422, 'Idempotency-Key');
    expect(JSON.stringify(r.body)).not.toContain('dbk.');
  });

  it('remembers validation failures too, so a retry sees the same answer', async () => {
    const headers = { 'Idempotency-Key': 'bad-1' };
    const a = await api.call('POST', '/v1/voices', { key, body: { name: '' , affiliation: 'agency' }, headers });
    const b = await api.call('POST', '/v1/voices', { key, body: { name: '', affiliation: 'agency' }, headers });
    expect([a.status, b.status]).toEqual([400, 400]);
  });
});

describe('system routes', () => {
  it('report health', async () => {
    const r = await api.call('GET', '/healthz');
    expect(r.body).toEqual({ ok: true, time: api.clock.now().toISOString() });
  });

  it('serve an OpenAPI 3.1 document with every route, and a reference page', async () => {
    const doc = (await api.call('GET', '/openapi.json')).body;
    expect(doc.openapi).toBe('3.1.0');
    for (const p of ['/v1/workspaces', '/v1/keys', '/v1/keys/{id}', '/v1/voices', '/v1/voices/{id}', '/v1/accounts', '/v1/accounts/{id}']) {
      expect(Object.keys(doc.paths)).toContain(p);
    }
    expect(doc.components.schemas.AccountCreate).toBeDefined();
    const page = await api.app.request('/docs');
    expect(page.headers.get('content-type')).toContain('text/html');
    expect(await page.text()).toContain('/v1/accounts/{id}');
  });
});
