import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { timerName } from '@drumbeat/core';
import { alertAccount, startAlertBench, type AlertBench } from './harness.js';

let b: AlertBench;
beforeAll(async () => {
  b = await startAlertBench('2027-01-04T00:00:00Z');
});
afterAll(() => b.close());

const watchdogTimer = async (accountId: string) => {
  const name = timerName({ kind: 'watchdog', workspaceId: b.ws, accountId });
  const r = await b.api.store.db.doc.send(
    new GetCommand({ TableName: b.api.store.db.table, Key: { pk: `TIMER#${name}`, sk: 'TIMER' } }),
  );
  return r.Item as { dueAt: string } | undefined;
};

describe('an account with nothing due', () => {
  it('costs no watchdog invocation for a month, its only timer armed at the far deadline', async () => {
    const voiceId = await b.voice();
    // Quarterly slots, each filled for the year ahead; a lapse allowed after 100 days.
    const acc = (
      await b.call('POST', '/v1/accounts', {
        body: alertAccount(b.channel.url, {
          cadence: { slots: ['FREQ=MONTHLY;INTERVAL=3;BYMONTHDAY=1;BYHOUR=9'], maxGap: 'P100D' },
        }),
      })
    ).body.id;
    for (const at of ['2027-04-01T07:00:00Z', '2027-07-01T07:00:00Z', '2027-10-01T07:00:00Z', '2028-01-01T08:00:00Z']) {
      expect((await b.call('POST', `/v1/accounts/${acc}/posts`, { body: { text: at, voiceId, at } })).body.slot).toBe(
        true,
      );
    }
    expect((await b.call('GET', `/v1/alerts?accountId=${acc}`)).body.items).toEqual([]);
    for (let day = 1; day <= 30; day++)
      await b.at(new Date(Date.parse('2027-01-04T00:00:00Z') + day * 86_400_000).toISOString());
    expect(b.watchdogRuns.get(acc) ?? 0).toBe(0);
    expect(b.sink.received).toHaveLength(0);
    // The next deadline: the lapse, 100 days after the cadence was set.
    expect((await watchdogTimer(acc))?.dueAt).toBe('2027-04-14T00:00:00.000Z');
  });

  it('cancels its timer when the cadence goes', async () => {
    const acc = (
      await b.call('POST', '/v1/accounts', {
        body: alertAccount(b.channel.url, { cadence: { slots: [], maxGap: 'P1D' } }),
      })
    ).body.id;
    expect(await watchdogTimer(acc)).toBeDefined();
    expect((await b.call('PATCH', `/v1/accounts/${acc}`, { body: { cadence: null } })).status).toBe(200);
    expect(await watchdogTimer(acc)).toBeUndefined();
  });
});
