import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { alertAccount, startAlertBench, type AlertBench } from './harness.js';

let b: AlertBench;
let acc: string;
let voiceId: string;
const posts: string[] = [];

// Monday 23 November 2026, 11:00 in Paris: the next 7 days hold the slots of Wed 25, Fri 27 and Mon 30 at 09:30.
beforeAll(async () => {
  b = await startAlertBench('2026-11-23T10:00:00Z');
  voiceId = await b.voice();
});
afterAll(() => b.close());

const alerts = async (q = '') => (await b.call('GET', `/v1/alerts?accountId=${acc}${q}`)).body.items as any[];

describe('empty slots within the lookahead', () => {
  it('open one empty_slots alert as soon as the account is created, listing every empty slot in UTC and local time', async () => {
    const r = await b.call('POST', '/v1/accounts', {
      body: alertAccount(b.channel.url, { cadence: { slots: ['FREQ=WEEKLY;BYDAY=MO,WE,FR;BYHOUR=9;BYMINUTE=30'] } }),
    });
    expect(r.status).toBe(201);
    acc = r.body.id;
    const open = await alerts('&status=open');
    expect(open).toHaveLength(1);
    expect(open[0]).toMatchObject({
      kind: 'empty_slots',
      openedAt: '2026-11-23T10:00:00.000Z',
      details: { emptyCount: 3, lookahead: 'P7D', summary: '3 empty slots in the next 7 days' },
    });
    expect(open[0].details.emptySlots).toEqual([
      { at: '2026-11-25T08:30:00.000Z', local: '2026-11-25T09:30:00+01:00[Europe/Paris]' },
      { at: '2026-11-27T08:30:00.000Z', local: '2026-11-27T09:30:00+01:00[Europe/Paris]' },
      { at: '2026-11-30T08:30:00.000Z', local: '2026-11-30T09:30:00+01:00[Europe/Paris]' },
    ]);
  });

  it('emails the slots in the account’s local time, from the timer armed for the end of the digest window (the request did not wait on mail)', async () => {
    expect(b.sink.received).toHaveLength(0);
    await b.at('2026-11-23T10:00:00Z');
    expect(b.sink.received).toHaveLength(0);
    await b.at('2026-11-23T10:00:03Z');
    expect(b.sink.received).toHaveLength(1);
    const { parsed } = b.sink.received[0]!;
    expect(parsed.subject).toBe('@acme on Mastodon: 3 empty slots in the next 7 days');
    for (const local of [
      'Wed, 25 Nov 2026, 09:30 (Europe/Paris)',
      'Fri, 27 Nov 2026, 09:30 (Europe/Paris)',
      'Mon, 30 Nov 2026, 09:30 (Europe/Paris)',
    ]) {
      expect(parsed.text).toContain(local);
      expect(parsed.html).toContain(`<li>${local} — `);
    }
  });

  it('updates the same alert as slots fill, without another email, and resolves it when none is empty', async () => {
    const [{ id }] = await alerts();
    posts.push(
      (await b.call('POST', `/v1/accounts/${acc}/posts`, { body: { text: 'one', voiceId, slot: 'next' } })).body.id,
    );
    let [a] = await alerts();
    expect(a).toMatchObject({ id, status: 'open', details: { emptyCount: 2 } });
    expect(a.details.emptySlots.map((s: { at: string }) => s.at)).toEqual([
      '2026-11-27T08:30:00.000Z',
      '2026-11-30T08:30:00.000Z',
    ]);
    for (const text of ['two', 'three'])
      posts.push(
        (await b.call('POST', `/v1/accounts/${acc}/posts`, { body: { text, voiceId, slot: 'next' } })).body.id,
      );
    [a] = await alerts();
    expect(a).toMatchObject({
      id,
      status: 'resolved',
      resolvedAt: '2026-11-23T10:00:03.000Z',
      details: { emptyCount: 1 },
    });
    await b.at('2026-11-23T10:00:03Z');
    expect(b.sink.received).toHaveLength(1);
    expect(b.events().map((e) => `${e.type} ${e.data.alert.kind}`)).toEqual([
      'alert.opened empty_slots',
      'alert.resolved empty_slots',
    ]);
  });

  it('costs no wake-up until the next empty slot comes within the lookahead, and then opens a new alert', async () => {
    const runs = b.watchdogRuns.get(acc) ?? 0; // the one that sent the first email
    await b.at('2026-11-25T08:29:59Z');
    expect(b.watchdogRuns.get(acc) ?? 0).toBe(runs);
    // Wed 2 Dec 09:30 Paris enters the 7-day window at Wed 25 Nov 08:30 UTC (when the Wed 25 post also goes out).
    await b.at('2026-11-25T08:30:00Z');
    expect(b.watchdogRuns.get(acc)).toBe(runs + 1);
    const open = await alerts('&status=open');
    expect(open).toHaveLength(1);
    expect(open[0].details.emptySlots).toEqual([
      { at: '2026-12-02T08:30:00.000Z', local: '2026-12-02T09:30:00+01:00[Europe/Paris]' },
    ]);
    expect(b.sink.received).toHaveLength(1);
    // Its email, the digest window later: one more wake-up.
    await b.at('2026-11-25T08:30:03Z');
    expect(b.watchdogRuns.get(acc)).toBe(runs + 2);
    expect(b.sink.received).toHaveLength(2);
  });

  it('resolves when an empty slot passes unfilled and no other is in view', async () => {
    // Fill the slots after Wed 2 Dec ahead of time (Wed 9 Dec enters the window the instant Wed 2 Dec passes).
    for (const at of ['2026-12-04T08:30:00Z', '2026-12-07T08:30:00Z', '2026-12-09T08:30:00Z']) {
      expect((await b.call('POST', `/v1/accounts/${acc}/posts`, { body: { text: at, voiceId, at } })).status).toBe(201);
    }
    await b.at('2026-11-30T08:30:00Z');
    await b.at('2026-12-02T08:30:00Z');
    const [latest] = await alerts();
    expect(latest).toMatchObject({ kind: 'empty_slots', status: 'resolved', resolvedAt: '2026-12-02T08:30:00.000Z' });
  });
});

describe('posts off the cadence', () => {
  it('cost no watchdog evaluation, while a post in a slot, an approval-bound post or a cancellation of a slot post does', async () => {
    const a = await b.call('POST', '/v1/accounts', {
      body: alertAccount(b.channel.url, {
        handle: '@acme-off',
        cadence: { slots: ['FREQ=WEEKLY;BYDAY=MO,WE,FR;BYHOUR=9;BYMINUTE=30'], maxGap: 'P30D' },
      }),
    });
    const id = a.body.id as string;
    const reads = vi.spyOn(b.services().deps.store.posts, 'allInWindow');
    try {
      const off = await b.call('POST', `/v1/accounts/${id}/posts`, {
        body: { text: 'off-slot', voiceId, at: '2026-12-24T11:00:00Z' },
      });
      expect(off.body.slot).toBe(false);
      await b.call('PATCH', `/v1/posts/${off.body.id}`, { body: { at: '2026-12-24T12:00:00Z' } });
      await b.call('DELETE', `/v1/posts/${off.body.id}`);
      expect(reads).not.toHaveBeenCalled();
      const inSlot = await b.call('POST', `/v1/accounts/${id}/posts`, {
        body: { text: 'in a slot', voiceId, slot: 'next' },
      });
      expect(inSlot.body.slot).toBe(true);
      expect(reads).toHaveBeenCalledTimes(1);
      // moving an off-slot post onto a slot fills it: evaluated
      const later = await b.call('POST', `/v1/accounts/${id}/posts`, {
        body: { text: 'later', voiceId, at: '2026-12-24T11:00:00Z' },
      });
      await b.call('PATCH', `/v1/posts/${later.body.id}`, { body: { slot: 'next' } });
      expect(reads).toHaveBeenCalledTimes(2);
      await b.call('DELETE', `/v1/posts/${inSlot.body.id}`);
      expect(reads).toHaveBeenCalledTimes(3);
      const open = (await b.call('GET', `/v1/alerts?accountId=${id}&status=open`)).body.items as {
        kind: string;
        details: { emptyCount: number };
      }[];
      expect(open.find((x) => x.kind === 'empty_slots')?.details.emptyCount).toBe(2); // three slots ahead, one filled by the moved post
    } finally {
      reads.mockRestore();
    }
  });
});
