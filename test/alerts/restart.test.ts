import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { alertDedupeKey, newId } from '@drumbeat/core';
import { alertAccount, DownMailer, startAlertBench, type AlertBench } from './harness.js';

let b: AlertBench;
beforeAll(async () => {
  b = await startAlertBench('2026-11-23T10:00:00Z');
});
afterAll(() => b.close());

const alertsOf = async (acc: string) => (await b.call('GET', `/v1/alerts?accountId=${acc}`)).body.items as any[];
const mailsFor = (alertId: string) =>
  b.sink.received.filter((m) => (m.parsed.headers.get('x-drumbeat-alert') as string).includes(alertId));
const account = async (over: Record<string, unknown>) =>
  (await b.call('POST', '/v1/accounts', { body: alertAccount(b.channel.url, over) })).body.id as string;

describe('restarting the runtime', () => {
  it('keeps a deadline armed before the restart, and neither reopens nor re-sends after another one', async () => {
    const acc = await account({ cadence: { slots: [], maxGap: 'PT48H' } });
    await b.at('2026-11-23T11:00:00Z');
    await b.restart();
    await b.at('2026-11-25T10:00:00Z');
    await b.at('2026-11-25T10:00:03Z');
    const [a] = await alertsOf(acc);
    expect(a).toMatchObject({
      kind: 'cadence_lapsed',
      status: 'open',
      openedAt: '2026-11-25T10:00:00.000Z',
      notifiedAt: '2026-11-25T10:00:03.000Z',
    });
    expect(mailsFor(a.id)).toHaveLength(1);

    await b.restart();
    await b.at('2026-11-25T10:00:03Z');
    await b.at('2026-11-26T10:00:00Z');
    await b.services().watchdog.run({ kind: 'watchdog', workspaceId: b.ws, accountId: acc });
    expect(await alertsOf(acc)).toHaveLength(1);
    expect(mailsFor(a.id)).toHaveLength(1);
    expect(
      b
        .events()
        .filter((e) => e.data.alert.id === a.id)
        .map((e) => e.type),
    ).toEqual(['alert.opened']);
  });

  it('sends an email that failed before the restart exactly once after it', async () => {
    const down = new DownMailer();
    await b.restart(down);
    const acc = await account({ cadence: { slots: [], maxGap: 'PT1H' } });
    await b.at('2026-11-26T11:00:00Z');
    expect(down.attempts).toBe(0);
    await b.at('2026-11-26T11:00:03Z');
    const [a] = await alertsOf(acc);
    expect(a).toMatchObject({ kind: 'cadence_lapsed', status: 'open' });
    expect(a.notifiedAt).toBeUndefined();
    expect(down.attempts).toBe(1);
    expect(mailsFor(a.id)).toHaveLength(0);

    await b.restart();
    await b.at('2026-11-26T11:01:02Z');
    expect(mailsFor(a.id)).toHaveLength(0); // the retry is due a minute after the failure
    await b.at('2026-11-26T11:01:03Z');
    expect(mailsFor(a.id)).toHaveLength(1);
    await b.at('2026-11-27T11:00:00Z');
    expect(mailsFor(a.id)).toHaveLength(1);
    expect((await alertsOf(acc))[0].notifiedAt).toBe('2026-11-26T11:01:03.000Z');
  });

  it('completes an opening that died between claiming the episode and writing the alert, announcing it once', async () => {
    const acc = await account({ cadence: { slots: [], maxGap: 'PT2H' } });
    // A process claimed the episode key at the lapse instant and died before writing the alert.
    const lost = newId('alert', Date.parse('2026-11-27T13:00:00Z'));
    await b.services().deps.store.alerts.claimKey(b.ws, {
      dedupeKey: alertDedupeKey(acc, 'cadence_lapsed'),
      alertId: lost,
      accountId: acc,
      kind: 'cadence_lapsed',
      openedAt: '2026-11-27T13:00:00.000Z',
    });
    await b.at('2026-11-27T13:00:00Z');
    const all = await alertsOf(acc);
    expect(all).toHaveLength(1);
    expect(all[0]).toMatchObject({ id: lost, openedAt: '2026-11-27T13:00:00.000Z', status: 'open' });
    await b.at('2026-11-27T13:00:03Z');
    expect(mailsFor(all[0].id)).toHaveLength(1);
    expect(
      b
        .events()
        .filter((e) => e.data.alert.id === all[0].id)
        .map((e) => e.type),
    ).toEqual(['alert.opened']);
  });

  it('opens one alert and sends one email when two processes evaluate the same account at once', async () => {
    const acc = await account({ cadence: { slots: [], maxGap: 'PT3H' } }); // at 13:00:03
    const other = b.spawn();
    const payload = { kind: 'watchdog' as const, workspaceId: b.ws, accountId: acc };
    const together = () =>
      Promise.all([
        b.services().watchdog.run(payload),
        other.watchdog.run(payload),
        b.services().watchdog.run(payload),
      ]);
    b.api.clock.set('2026-11-27T16:00:03Z');
    expect((await together()).flatMap((o) => o.opened)).toHaveLength(1);
    b.api.clock.set('2026-11-27T16:00:06Z');
    expect((await together()).flatMap((o) => o.notified)).toHaveLength(1);
    const all = await alertsOf(acc);
    expect(all).toHaveLength(1);
    expect(mailsFor(all[0].id)).toHaveLength(1);
  });
});
