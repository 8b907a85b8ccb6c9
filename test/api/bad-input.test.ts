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
    await expectProblem(
      await api.call('POST', '/v1/voices', { key, body: { name: 'A', affiliation: 'agency', nickname: 'x' } }),
      400,
      'nickname',
    );
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
    await expectProblem(
      await api.call('POST', '/v1/accounts', { key, body: accountBody({ timezone: 'Europe/Atlantis' }) }),
      400,
      'timezone',
    );
  });

  it('a bad RRULE', async () => {
    const r = await api.call('POST', '/v1/accounts', {
      key,
      body: accountBody({ cadence: { slots: ['FREQ=WEEKLY', 'FREQ=FORTNIGHTLY'] } }),
    });
    await expectProblem(r, 400, 'cadence.slots.1');
  });

  it('an RFC 7529 rule (RSCALE), which slots do not follow: refused, not expanded as Gregorian', async () => {
    const r = await api.call('POST', '/v1/accounts', {
      key,
      body: accountBody({ cadence: { slots: ['FREQ=DAILY;BYHOUR=9', 'FREQ=YEARLY;RSCALE=HEBREW;BYMONTHDAY=1'] } }),
    });
    await expectProblem(r, 400, 'cadence.slots.1');
    expect(r.body.errors[0].message).toContain('RSCALE');
  });

  it('a bad ISO duration', async () => {
    await expectProblem(
      await api.call('POST', '/v1/accounts', { key, body: accountBody({ cadence: { slots: [], maxGap: '2 days' } }) }),
      400,
      'cadence.maxGap',
    );
  });

  it('a bad channel type or URL', async () => {
    await expectProblem(
      await api.call('POST', '/v1/accounts', { key, body: accountBody({ channel: { type: 'fax' } }) }),
      400,
      'channel.type',
    );
    await expectProblem(
      await api.call('POST', '/v1/accounts', {
        key,
        body: accountBody({ channel: { type: 'webhook', url: 'ftp://x' } }),
      }),
      400,
      'channel.url',
    );
  });

  it('an oversized body', async () => {
    const r = await api.call('POST', '/v1/voices', {
      key,
      body: { name: 'x'.repeat(70 * 1024), affiliation: 'agency' },
    });
    await expectProblem(r, 413);
  });

  it('the wrong content type', async () => {
    const r = await api.call('POST', '/v1/voices', {
      key,
      body: 'name=Anna',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    });
    await expectProblem(r, 415);
    expect(r.body.type).toBe('urn:drumbeat:problem:unsupported-media-type');
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
    const jsonx = await api.call('POST', '/v1/voices', {
      key,
      body: { name: 'Anna', affiliation: 'agency' },
      headers: { 'Content-Type': 'application/jsonx' },
    });
    await expectProblem(jsonx, 415);
  });

  it('a structured +json media type (application/merge-patch+json) is read as JSON, as before', async () => {
    const r = await api.call('POST', '/v1/voices', {
      key,
      body: { name: 'Merge', affiliation: 'agency' },
      headers: { 'Content-Type': 'application/merge-patch+json' },
    });
    expect(r.status).toBe(201);
    expect(r.body).toMatchObject({ name: 'Merge', affiliation: 'agency' });
    await expectProblem(
      await api.call('POST', '/v1/voices', {
        key,
        body: { name: 5 },
        headers: { 'Content-Type': 'application/merge-patch+json' },
      }),
      400,
      'name',
    );
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
    const voice = (await api.call('POST', '/v1/voices', { key, body: { name: 'Manual', affiliation: 'agency' } })).body
      .id;
    const acc = (
      await api.call('POST', '/v1/accounts', {
        key,
        body: accountBody({ handle: '@manual', channel: { type: 'manual' } }),
      })
    ).body.id;
    const at = new Date(api.clock.now().getTime() + 86_400_000).toISOString();
    const post = (
      await api.call('POST', `/v1/accounts/${acc}/posts`, { key, body: { text: 'by hand', voiceId: voice, at } })
    ).body.id;
    const res = await api.app.request(`/v1/posts/${post}/published`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${key}` },
    });
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({
      id: post,
      status: 'published',
      publishedAt: api.clock.now().toISOString(),
    });
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
    const r = await api.call('POST', '/v1/voices', {
      key,
      body: { name: 'A', affiliation: 'agency' },
      headers: { 'Idempotency-Key': 'x'.repeat(300) },
    });
    await expectProblem(r, 400, 'Idempotency-Key');
  });
});

describe('bounds on instants and durations: a clear 400, not work without end', () => {
  const paris = (handle: string, overrides: Record<string, unknown> = {}) =>
    api.call('POST', '/v1/accounts', { key, body: accountBody({ handle, ...overrides }) });

  it('a post `at` past year 9999 (RFC 3339 has four-digit years): 400 naming `at`', async () => {
    const voice = (await api.call('POST', '/v1/voices', { key, body: { name: 'Far', affiliation: 'agency' } })).body.id;
    const acc = (await paris('@far-post')).body.id;
    for (const at of [
      '+012026-06-01T13:00:00Z',
      '+002026-06-01T13:00:00Z',
      '-000001-01-01T00:00:00Z',
      '0001-01-01T00:30:00+01:00',
    ]) {
      const r = await api.call('POST', `/v1/accounts/${acc}/posts`, { key, body: { text: 'far', voiceId: voice, at } });
      await expectProblem(r, 400, 'at');
      expect(r.body.errors[0].message, at).toContain('0001 to 9999');
    }
  });

  it('a calendar `from` at the end of the Date range: 400 naming `from`', async () => {
    const acc = (await paris('@far-calendar')).body.id;
    await expectProblem(
      await api.call('GET', `/v1/accounts/${acc}/calendar?from=%2B275760-09-10T00:00:00Z`, { key }),
      400,
      'from',
    );
    await expectProblem(
      await api.call('GET', `/v1/accounts/${acc}/calendar?from=2026-12-01T00:00:00Z&to=%2B275760-09-10T00:00:00Z`, {
        key,
      }),
      400,
      'to',
    );
  });

  it('a year-9999 calendar answers its slots quickly, and a calendar of now still answers right after it', async () => {
    const acc = (await paris('@year-9999')).body.id; // MO, WE, FR 09:30 Paris
    const started = performance.now();
    const far = await api.call(
      'GET',
      `/v1/accounts/${acc}/calendar?from=9999-12-01T00:00:00Z&to=9999-12-31T00:00:00Z`,
      { key },
    );
    // Reading the 8,000 years in between took seconds; one year of tz data is a few milliseconds.
    expect(performance.now() - started).toBeLessThan(1500);
    expect(far.status).toBe(200);
    // Paris keeps its winter offset (+01:00) in December: 09:30 local is 08:30 UTC, on each Monday, Wednesday and Friday.
    const expected: string[] = [];
    for (let d = Date.UTC(9999, 11, 1); d < Date.UTC(9999, 11, 31); d += 86_400_000) {
      if ([1, 3, 5].includes(new Date(d).getUTCDay())) expected.push(new Date(d + 8.5 * 3_600_000).toISOString());
    }
    expect(far.body.slots.map((s: { at: string }) => s.at)).toEqual(expected);
    expect(far.body.slots[0].local).toBe(`${expected[0]!.slice(0, 10)}T09:30:00+01:00[Europe/Paris]`);
    const near = await api.call(
      'GET',
      `/v1/accounts/${acc}/calendar?from=2026-07-06T00:00:00Z&to=2026-07-07T00:00:00Z`,
      { key },
    );
    expect(near.body.slots).toEqual([
      { at: '2026-07-06T07:30:00.000Z', local: '2026-07-06T09:30:00+02:00[Europe/Paris]', postId: null },
    ]);
  });

  it('a lookahead past a year: 400 naming `cadence.lookahead`; a year is accepted', async () => {
    const r = await paris('@long-lookahead', { cadence: { slots: ['FREQ=DAILY;BYHOUR=9'], lookahead: 'P1000000W' } });
    await expectProblem(r, 400, 'cadence.lookahead');
    expect(r.body.errors[0].message).toBe('must be at most P366D');
    expect(
      (await paris('@year-lookahead', { cadence: { slots: ['FREQ=DAILY;BYHOUR=9'], lookahead: 'P366D' } })).status,
    ).toBe(201);
  });

  it('maxGap, minPosts.per and the approval sla past a year: 400 naming each', async () => {
    const r = await paris('@long-gaps', {
      cadence: { slots: [], maxGap: 'P367D', minPosts: { count: 1, per: 'P53W' } },
      approval: { required: true, sla: 'PT9000H' },
    });
    await expectProblem(r, 400);
    expect(r.body.errors).toEqual(
      expect.arrayContaining([
        { path: 'cadence.maxGap', message: 'must be at most P366D' },
        { path: 'cadence.minPosts.per', message: 'must be at most P366D' },
        { path: 'approval.sla', message: 'must be at most P366D' },
      ]),
    );
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
    const b = await api.call('POST', '/v1/voices', {
      key: other.key,
      body: { name: 'D', affiliation: 'agency' },
      headers,
    });
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

  it("will not replay one key's response to another key of the workspace", async () => {
    const second = (await api.call('POST', '/v1/keys', { key, body: { name: 'second', role: 'owner' } })).body.key;
    const headers = { 'Idempotency-Key': 'new-key-2' };
    const body = { name: 'shown once', role: 'viewer' };
    expect((await api.call('POST', '/v1/keys', { key, body, headers })).status).toBe(201);
    const r = await api.call('POST', '/v1/keys', { key: second, body, headers });
    await expectProblem(r, 422, 'Idempotency-Key');
    expect(JSON.stringify(r.body)).not.toContain('dbk.');
  });

  it('takes the same JSON with its keys in another order as the same request', async () => {
    const headers = { 'Idempotency-Key': 'reordered-1' };
    const a = await api.call('POST', '/v1/voices', {
      key,
      body: '{"name":"Reordered","affiliation":"agency","organization":"N"}',
      headers,
    });
    const b = await api.call('POST', '/v1/voices', {
      key,
      body: '{ "organization": "N", "affiliation": "agency", "name": "Reordered" }',
      headers,
    });
    expect([a.status, b.status]).toEqual([201, 201]);
    expect(b.body).toEqual(a.body);
    expect(b.headers.get('idempotent-replayed')).toBe('true');
    const c = await api.call('POST', '/v1/voices', {
      key,
      body: '{"organization":"M","affiliation":"agency","name":"Reordered"}',
      headers,
    });
    await expectProblem(c, 422, 'Idempotency-Key');
  });

  it('answers a repeat while the first is still running with its own problem type and Retry-After', async () => {
    const headers = { 'Idempotency-Key': 'slow-1' };
    let open!: () => void;
    const gate = new Promise<void>((resolve) => (open = resolve));
    const voices = api.services.voices;
    const create = voices.create.bind(voices);
    voices.create = async (...args) => {
      await gate;
      return create(...args);
    };
    try {
      const first = api.call('POST', '/v1/voices', { key, body: { name: 'Slow', affiliation: 'agency' }, headers });
      await new Promise((r) => setTimeout(r, 50));
      const again = await api.call('POST', '/v1/voices', {
        key,
        body: { name: 'Slow', affiliation: 'agency' },
        headers,
      });
      expect(again.status).toBe(409);
      expect(again.body.type).toBe('urn:drumbeat:problem:in-progress');
      expect(again.headers.get('retry-after')).toBe('1');
      open();
      expect((await first).status).toBe(201);
    } finally {
      voices.create = create;
      open();
    }
  });

  it('remembers validation failures too, so a retry sees the same answer', async () => {
    const headers = { 'Idempotency-Key': 'bad-1' };
    const a = await api.call('POST', '/v1/voices', { key, body: { name: '', affiliation: 'agency' }, headers });
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
    for (const p of [
      '/v1/workspaces',
      '/v1/keys',
      '/v1/keys/{id}',
      '/v1/voices',
      '/v1/voices/{id}',
      '/v1/accounts',
      '/v1/accounts/{id}',
    ]) {
      expect(Object.keys(doc.paths)).toContain(p);
    }
    expect(doc.components.schemas.AccountCreate).toBeDefined();
    const page = await api.app.request('/docs');
    expect(page.headers.get('content-type')).toContain('text/html');
    expect(await page.text()).toContain('<div id="reference"></div>');
  });
});
