import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { alertAccount, startAlertBench, type AlertBench } from './harness.js';

let b: AlertBench;
let other: { id: string; key: string };
let accs: string[] = [];
let foreignAlert: string;

beforeAll(async () => {
  b = await startAlertBench('2026-11-23T10:00:00Z');
  other = await b.api.workspace('Other brand');
  // Three accounts whose cadence lapses 30 s, 40 s and 50 s after creation: durations are not floored.
  accs = [];
  for (const gap of ['PT30S', 'PT40S', 'PT50S']) {
    accs.push(
      (
        await b.call('POST', '/v1/accounts', {
          body: alertAccount(b.channel.url, { cadence: { slots: [], maxGap: gap } }),
        })
      ).body.id,
    );
  }
  const foreignAcc = (
    await b.call('POST', '/v1/accounts', {
      key: other.key,
      body: alertAccount(b.channel.url, { cadence: { slots: [], maxGap: 'PT10S' } }),
    })
  ).body.id;
  await b.at('2026-11-23T10:00:29Z');
  await b.at('2026-11-23T10:00:30Z');
  await b.at('2026-11-23T10:00:40Z');
  await b.at('2026-11-23T10:00:50Z');
  foreignAlert = (await b.call('GET', `/v1/alerts?accountId=${foreignAcc}`, { key: other.key })).body.items[0].id;
});
afterAll(() => b.close());

const problem = (r: { status: number; headers: Headers; body: any }, status: number, path?: string) => {
  expect(r.status).toBe(status);
  expect(r.headers.get('content-type')).toContain('application/problem+json');
  if (path) expect(r.body.errors.map((e: { path: string }) => e.path)).toContain(path);
};

describe('GET /v1/alerts', () => {
  it('lists the workspace’s alerts newest first, a page at a time, and no other workspace’s', async () => {
    const first = await b.call('GET', '/v1/alerts?limit=2');
    expect(first.status).toBe(200);
    expect(first.body.items.map((a: { accountId: string }) => a.accountId)).toEqual([accs[2], accs[1]]);
    expect(first.body.items[1]).toMatchObject({
      kind: 'cadence_lapsed',
      status: 'open',
      openedAt: '2026-11-23T10:00:40.000Z',
    });
    const second = await b.call('GET', `/v1/alerts?limit=2&cursor=${first.body.nextCursor}`);
    expect(second.body.items.map((a: { accountId: string }) => a.accountId)).toEqual([accs[0]]);
    expect(second.body.items[0].openedAt).toBe('2026-11-23T10:00:30.000Z');
    expect(second.body.nextCursor).toBeNull();
    const all = [...first.body.items, ...second.body.items].map((a: { id: string }) => a.id);
    expect(all).not.toContain(foreignAlert);
  });

  it('filters by status and by account', async () => {
    const voiceId = await b.voice();
    await b.call('POST', `/v1/accounts/${accs[0]}/posts`, {
      body: { text: 'hello again', voiceId, at: '2026-11-23T10:01:00Z' },
    });
    await b.at('2026-11-23T10:01:00Z');
    const resolved = (await b.call('GET', '/v1/alerts?status=resolved')).body.items;
    expect(resolved.map((a: { accountId: string }) => a.accountId)).toEqual([accs[0]]);
    const open = (await b.call('GET', '/v1/alerts?status=open')).body.items;
    expect(open.map((a: { accountId: string }) => a.accountId).sort()).toEqual([accs[1], accs[2]].sort());
    const one = (await b.call('GET', `/v1/alerts?accountId=${accs[1]}&status=open`)).body.items;
    expect(one).toHaveLength(1);
    expect(one[0].accountId).toBe(accs[1]);
  });

  it('is readable with a viewer key', async () => {
    const viewer = (await b.call('POST', '/v1/keys', { body: { name: 'dashboard', role: 'viewer' } })).body.key;
    expect((await b.call('GET', '/v1/alerts', { key: viewer })).status).toBe(200);
  });

  it('refuses an unknown status, a bad cursor, a bad limit and a malformed account id, naming the field', async () => {
    problem(await b.call('GET', '/v1/alerts?status=closed'), 400, 'status');
    problem(await b.call('GET', '/v1/alerts?cursor=not-a-cursor'), 400, 'cursor');
    problem(await b.call('GET', '/v1/alerts?limit=0'), 400, 'limit');
    problem(await b.call('GET', '/v1/alerts?accountId=acme'), 400, 'accountId');
    const page = await b.call('GET', '/v1/alerts?limit=1');
    problem(await b.call('GET', `/v1/alerts?accountId=${accs[1]}&cursor=${page.body.nextCursor}`), 400, 'cursor');
  });

  it('answers 404 for another workspace’s account', async () => {
    const foreignAcc = (await b.call('GET', '/v1/accounts', { key: other.key })).body.items[0].id;
    problem(await b.call('GET', `/v1/alerts?accountId=${foreignAcc}`), 404);
  });
});

describe('POST /v1/alerts/{id}/ack', () => {
  it('records who acknowledged and when, keeps the alert open, and keeps the first acknowledgement', async () => {
    const [a] = (await b.call('GET', `/v1/alerts?accountId=${accs[1]}`)).body.items;
    const r = await b.call('POST', `/v1/alerts/${a.id}/ack`);
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ id: a.id, status: 'open', ackedAt: '2026-11-23T10:01:00.000Z' });
    await b.at('2026-11-23T10:05:00Z');
    expect((await b.call('POST', `/v1/alerts/${a.id}/ack`)).body.ackedAt).toBe('2026-11-23T10:01:00.000Z');
  });

  it('records the key that acknowledged, and its person for a personal key; a later acknowledgement changes neither', async () => {
    const [a] = (await b.call('GET', `/v1/alerts?accountId=${accs[0]}`)).body.items;
    const voiceId = await b.voice('On-call Claire');
    const personal = (await b.call('POST', '/v1/keys', { body: { name: 'Claire', role: 'approver', voiceId } })).body
      .key as string;
    const r = await b.call('POST', `/v1/alerts/${a.id}/ack`, { key: personal });
    expect(r.status).toBe(200);
    expect(r.body.ackedBy).toEqual({ keyId: personal.split('.')[2], voiceId });
    const again = await b.call('POST', `/v1/alerts/${a.id}/ack`);
    expect(again.body.ackedBy).toEqual({ keyId: personal.split('.')[2], voiceId });
  });

  it('answers 404 for another workspace’s alert, an unknown one and a malformed id, and changes nothing', async () => {
    problem(await b.call('POST', `/v1/alerts/${foreignAlert}/ack`), 404);
    problem(await b.call('POST', '/v1/alerts/alr_00000000000000000000000000/ack'), 404);
    problem(await b.call('POST', '/v1/alerts/nonsense/ack'), 404);
    const theirs = (await b.call('GET', '/v1/alerts', { key: other.key })).body.items[0];
    expect(theirs.id).toBe(foreignAlert);
    expect(theirs.ackedAt).toBeUndefined();
  });
});

describe('the OpenAPI document', () => {
  it('describes the alert and stats routes with their schemas', async () => {
    const doc = (await (await b.api.app.request('/openapi.json')).json()) as any;
    expect(Object.keys(doc.paths)).toEqual(
      expect.arrayContaining(['/v1/alerts', '/v1/alerts/{id}/ack', '/v1/accounts/{id}/stats']),
    );
    expect(doc.components.schemas.Alert.properties.kind.enum).toEqual([
      'cadence_lapsed',
      'empty_slots',
      'approval_overdue',
      'publish_failed',
      'webhook_failing',
      'email_bounced',
      'listening_failed',
      'reply_overdue',
    ]);
    expect(doc.components.schemas.AccountStats).toBeDefined();
  });
});
