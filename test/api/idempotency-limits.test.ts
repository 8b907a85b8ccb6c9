import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { keys } from '@drumbeat/store';
import { accountBody, startWithVoice, type TestApi } from '../support/api.js';
import { ANNA_AT_AGENCY } from '../support/bodies.js';

let api: TestApi;
let key: string;
let ws: string;
let acc: string;
beforeAll(async () => {
  ({ api, key, ws } = await startWithVoice(ANNA_AT_AGENCY));
  acc = (
    await api.call('POST', '/v1/accounts', { key, body: accountBody({ handle: '@idem', channel: { type: 'manual' } }) })
  ).body.id;
});
afterAll(() => api.close());

const storedItem = async (k: string) =>
  (await api.store.db.doc.send(new GetCommand({ TableName: api.store.db.table, Key: keys.idempotency(ws, k) }))).Item!;

function csv(n: number): string {
  const lines = ['account,at,text,voice'];
  for (let i = 0; i < n; i++)
    lines.push(`@idem,${new Date(Date.UTC(2027, 0, 4) + i * 3_600_000).toISOString()},Post ${i},anna@agency.example`);
  return lines.join('\n');
}

describe('what an Idempotency-Key keeps', () => {
  it('keeps a response over 256 KiB as its size and digest only; a repeat is not run again and gets a 409 saying so', async () => {
    const file = csv(700);
    const first = await api.call('POST', '/v1/import?shareSlots=true', {
      key,
      body: file,
      headers: { 'Content-Type': 'text/csv', 'Idempotency-Key': 'big-import' },
    });
    expect(first.status).toBe(201);
    const bytes = Buffer.byteLength(JSON.stringify(first.body));
    expect(bytes).toBeGreaterThan(256 * 1024);
    const item = await storedItem('big-import');
    expect(item.state).toBe('done');
    expect(item.response.body).toBe('');
    expect(item.response.omitted.bytes).toBe(bytes);
    expect(item.response.omitted.sha256).toMatch(/^[0-9a-f]{64}$/);
    // Far below DynamoDB's 400 KB item limit.
    expect(Buffer.byteLength(JSON.stringify(item))).toBeLessThan(4 * 1024);

    const repeat = await api.call('POST', '/v1/import?shareSlots=true', {
      key,
      body: file,
      headers: { 'Content-Type': 'text/csv', 'Idempotency-Key': 'big-import' },
    });
    expect(repeat.status).toBe(409);
    expect(repeat.headers.get('content-type')).toBe('application/problem+json');
    expect(repeat.body).toMatchObject({
      type: 'urn:drumbeat:problem:response-not-kept',
      errors: [{ path: 'Idempotency-Key', message: 'response not kept' }],
    });
    expect(repeat.body.detail).toContain(
      `(201); its response (${bytes} bytes, sha256 ${item.response.omitted.sha256 as string})`,
    );
    const listed = await api.call('GET', `/v1/accounts/${acc}/posts?limit=200`, { key });
    const all = [...listed.body.items];
    let cursor = listed.body.nextCursor;
    while (cursor) {
      const page = await api.call('GET', `/v1/accounts/${acc}/posts?limit=200&cursor=${cursor as string}`, { key });
      all.push(...page.body.items);
      cursor = page.body.nextCursor;
    }
    expect(all).toHaveLength(700);
  }, 120_000);

  it('still replays a response under the cap, sealed', async () => {
    const first = await api.call('POST', '/v1/import', {
      key,
      body: csv(1).replace('2027-01-04T00', '2028-01-04T00'),
      headers: { 'Content-Type': 'text/csv', 'Idempotency-Key': 'small-import' },
    });
    expect(first.status).toBe(201);
    expect((await storedItem('small-import')).response.body).toMatch(/^sealed\.v1\./);
    const again = await api.call('POST', '/v1/import', {
      key,
      body: csv(1).replace('2027-01-04T00', '2028-01-04T00'),
      headers: { 'Content-Type': 'text/csv', 'Idempotency-Key': 'small-import' },
    });
    expect(again.status).toBe(201);
    expect(again.headers.get('idempotent-replayed')).toBe('true');
    expect(again.body).toEqual(first.body);
  });
});

describe('the pending lease', () => {
  const repo = () => api.store.idempotency;
  const t0 = new Date('2026-11-23T12:00:00Z');
  const at = (ms: number) => new Date(t0.getTime() + ms);

  it('answers in-progress within the 20 s lease, and lets a repeat of the same request take over once it lapsed', async () => {
    expect(await repo().begin(ws, 'lease-1', 'fp', t0, undefined, 20_000)).toEqual({ kind: 'new' });
    expect(await repo().begin(ws, 'lease-1', 'fp', at(19_999), undefined, 20_000)).toEqual({ kind: 'in-progress' });
    // Another body under the same key is still a mismatch, lapsed or not.
    expect(await repo().begin(ws, 'lease-1', 'other', at(25_000), undefined, 20_000)).toEqual({ kind: 'mismatch' });
    expect(await repo().begin(ws, 'lease-1', 'fp', at(20_001), undefined, 20_000)).toEqual({ kind: 'new' });
    // The new claim has its own lease: a third request waits again.
    expect(await repo().begin(ws, 'lease-1', 'fp', at(30_000), undefined, 20_000)).toEqual({ kind: 'in-progress' });
  });

  it('keeps a renewed lease (the request is alive), and never takes over a completed key', async () => {
    await repo().begin(ws, 'lease-2', 'fp', t0, undefined, 20_000);
    expect(await repo().renew(ws, 'lease-2', at(15_000), 20_000)).toBe(true);
    expect(await repo().begin(ws, 'lease-2', 'fp', at(30_000), undefined, 20_000)).toEqual({ kind: 'in-progress' });
    await repo().complete(ws, 'lease-2', { status: 201, contentType: 'application/json', body: 'x' });
    expect(await repo().renew(ws, 'lease-2', at(31_000), 20_000)).toBe(false);
    expect(await repo().begin(ws, 'lease-2', 'fp', at(60_000), undefined, 20_000)).toMatchObject({ kind: 'replay' });
  });

  it('lets a repeat through the API run once the first request died with its lease', async () => {
    // A claim left by a request that died (no renewal, no completion).
    const body = { name: 'Lease voice', email: 'lease@agency.example', affiliation: 'agency' };
    const now = api.clock.now();
    const fp = (await import('@drumbeat/services')).sha256Hex(
      `POST /v1/voices\njson:${JSON.stringify({ affiliation: 'agency', email: 'lease@agency.example', name: 'Lease voice' })}`,
    );
    await repo().begin(ws, 'dead-request', fp, now, undefined, 20_000);
    const waiting = await api.call('POST', '/v1/voices', { key, body, headers: { 'Idempotency-Key': 'dead-request' } });
    expect(waiting.status).toBe(409);
    expect(waiting.body.type).toBe('urn:drumbeat:problem:in-progress');
    api.clock.advance(21_000);
    const ran = await api.call('POST', '/v1/voices', { key, body, headers: { 'Idempotency-Key': 'dead-request' } });
    expect(ran.status).toBe(201);
    expect(ran.body.email).toBe('lease@agency.example');
  });
});
