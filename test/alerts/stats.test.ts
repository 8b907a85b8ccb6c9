import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { alertAccount, startAlertBench, type AlertBench } from './harness.js';

let b: AlertBench;
let acc: string;
const H = 3_600_000;

// Daily slots at 10:00 Paris (09:00 UTC). Four posts written on Monday 2 November at 08:00 UTC and
// approved after 30 min, 1 h, 2 h and 4 h; published on the 2nd, 3rd, 4th and 6th (the 5th stays empty).
beforeAll(async () => {
  b = await startAlertBench('2026-11-02T08:00:00Z');
  const author = await b.voice('Writer');
  const approver = await b.voice('Approver');
  acc = (
    await b.call('POST', '/v1/accounts', {
      body: alertAccount(b.channel.url, {
        cadence: { slots: ['FREQ=DAILY;BYHOUR=10'], maxGap: 'P3D' },
        approval: { required: true, sla: 'PT4H' },
      }),
    })
  ).body.id;
  const post = async (at: string) =>
    (await b.call('POST', `/v1/accounts/${acc}/posts`, { body: { text: `for ${at}`, voiceId: author, at } })).body
      .id as string;
  const [p1, p2, p3, p4] = [
    await post('2026-11-02T09:00:00Z'),
    await post('2026-11-03T09:00:00Z'),
    await post('2026-11-04T09:00:00Z'),
    await post('2026-11-06T09:00:00Z'),
  ];
  const approverKey = (
    await b.call('POST', '/v1/keys', { body: { name: 'Approver', role: 'approver', voiceId: approver } })
  ).body.key as string;
  const approve = async (id: string) =>
    expect((await b.call('POST', `/v1/posts/${id}/approve`, { key: approverKey, body: {} })).status).toBe(200);
  await b.at('2026-11-02T08:30:00Z');
  await approve(p1!);
  await b.at('2026-11-02T09:00:00Z');
  await approve(p4!);
  await b.at('2026-11-02T10:00:00Z');
  await approve(p2!);
  await b.at('2026-11-02T12:00:00Z');
  await approve(p3!);
  for (const day of ['03', '04', '05', '06']) await b.at(`2026-11-${day}T09:00:00Z`);
  await b.at('2026-11-06T12:00:00Z');
});
afterAll(() => b.close());

describe('GET /v1/accounts/{id}/stats', () => {
  it('reports publications per local week, the longest gap, the slot streak, time to approval and open alerts', async () => {
    const r = await b.call('GET', `/v1/accounts/${acc}/stats`);
    expect(r.status).toBe(200);
    const s = r.body;
    expect(s.weeks).toHaveLength(12);
    // 12 local weeks: the first began on Monday 17 August (summer time), the current one on Monday 2 November.
    expect(s.weeks[0]).toEqual({
      start: '2026-08-16T22:00:00.000Z',
      startLocal: '2026-08-17T00:00:00+02:00[Europe/Paris]',
      published: 0,
    });
    expect(s.weeks[11]).toEqual({
      start: '2026-11-01T23:00:00.000Z',
      startLocal: '2026-11-02T00:00:00+01:00[Europe/Paris]',
      published: 4,
    });
    expect(s.weeks.slice(0, 11).every((w: { published: number }) => w.published === 0)).toBe(true);
    expect(s.from).toBe('2026-08-16T22:00:00.000Z');
    expect(s.longestGap).toEqual({ ms: 48 * H, from: '2026-11-04T09:00:00.000Z', to: '2026-11-06T09:00:00.000Z' });
    expect(s.streak).toEqual({ slots: 1, capped: false });
    expect(s.timeToApproval).toEqual({ count: 4, medianMs: 1 * H, p90Ms: 4 * H });
    const open = (await b.call('GET', `/v1/alerts?accountId=${acc}&status=open`)).body.items;
    expect(open.map((a: { kind: string }) => a.kind)).toEqual(['empty_slots']);
    expect(s.openAlerts).toBe(1);
  });

  it('answers 404 for another workspace’s account', async () => {
    const other = await b.api.workspace('Other');
    const r = await b.call('GET', `/v1/accounts/${acc}/stats`, { key: other.key });
    expect(r.status).toBe(404);
    expect(r.headers.get('content-type')).toContain('application/problem+json');
  });
});

describe('stats figures computed by hand', () => {
  it('counts time to approval from the last edit, and the streak back from now on a cadence of 144 slots a day', async () => {
    const c = await startAlertBench('2026-11-02T08:00:00Z');
    try {
      const author = await c.voice('Writer');
      const approver = await c.voice('Approver');
      // Every 10 minutes: 12 weeks hold 12,096 slots, more than one call of the engine returns (10,000).
      const id = (
        await c.call('POST', '/v1/accounts', {
          body: alertAccount(c.channel.url, {
            cadence: { slots: ['FREQ=MINUTELY;INTERVAL=10'] },
            approval: { required: true },
          }),
        })
      ).body.id;
      const post = async (at: string) =>
        (await c.call('POST', `/v1/accounts/${id}/posts`, { body: { text: `for ${at}`, voiceId: author, at } })).body
          .id as string;
      const ids = [
        await post('2026-11-02T09:00:00Z'),
        await post('2026-11-02T09:10:00Z'),
        await post('2026-11-02T09:20:00Z'),
      ];
      // The first two posts: edited 15 s after they were written, approved 1.1 s after the edit.
      await c.at('2026-11-02T08:00:15Z');
      for (const p of ids.slice(0, 2))
        expect((await c.call('PATCH', `/v1/posts/${p}`, { body: { text: `edited ${p}` } })).status).toBe(200);
      const approverKey = (
        await c.call('POST', '/v1/keys', { body: { name: 'Approver', role: 'approver', voiceId: approver } })
      ).body.key as string;
      await c.at('2026-11-02T08:00:16.100Z');
      for (const p of ids)
        expect((await c.call('POST', `/v1/posts/${p}/approve`, { key: approverKey, body: {} })).status).toBe(200);
      await c.at('2026-11-02T09:00:00Z');
      await c.at('2026-11-02T09:10:00Z');
      await c.at('2026-11-02T09:20:00Z');
      await c.at('2026-11-02T09:25:00Z');
      const s = (await c.call('GET', `/v1/accounts/${id}/stats`)).body;
      // waits: 1.1 s, 1.1 s (from the edits) and 16.1 s (from creation); nearest-rank median 1.1 s, p90 16.1 s
      expect(s.timeToApproval).toEqual({ count: 3, medianMs: 1_100, p90Ms: 16_100 });
      const edited = (await c.call('GET', `/v1/posts/${ids[0]}`)).body;
      expect(edited.editedAt).toBe('2026-11-02T08:00:15.000Z');
      // the slots at 09:00, 09:10 and 09:20 are published; 09:20 is the last slot before now (09:25)
      expect(s.streak).toEqual({ slots: 3, capped: false });
    } finally {
      await c.close();
    }
  });
});
