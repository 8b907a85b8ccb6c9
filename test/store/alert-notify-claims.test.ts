import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decideAlert, NOTIFY_RETRY_MS, type AlertEvent, type AlertRecord } from '@drumbeat/core';
import type { Store } from '@drumbeat/store';
import { startTestStore } from '../support/store.js';

let store: Store;
let close: () => Promise<void>;
beforeAll(async () => ({ store, close } = await startTestStore()));
afterAll(() => close());

const WS = 'ws_claims';
const open = (id: string) =>
  store.alerts.apply(
    WS,
    id,
    {
      type: 'open',
      alert: {
        id,
        workspaceId: WS,
        accountId: 'acc_1',
        kind: 'empty_slots',
        dedupeKey: `acc_1#empty_slots#${id}`,
        openedAt: '2026-11-23T10:00:00.000Z',
        details: { summary: '3 empty slots in the next 7 days' },
      },
    },
    new Date('2026-11-23T10:00:00.000Z'),
  );
const claim = (id: string, at: string) => store.alerts.apply(WS, id, { type: 'claimNotify' }, new Date(at));
const release = (id: string, claimedAt: string, attempts: number, error: string) =>
  store.alerts.apply(WS, id, { type: 'releaseNotify', claimedAt, attempts, error }, new Date(claimedAt));

describe("an alert email's claim (the conditional write that lets one round send it)", () => {
  it('is refused to a round that read the alert before a failed send was recorded, until the retry is due', async () => {
    await open('alr_retry');
    const first = await claim('alr_retry', '2026-11-23T10:00:03.000Z');
    expect(first?.notifyAttempts).toBe(1);
    // The first retry is due a minute after the failure.
    expect(await release('alr_retry', '2026-11-23T10:00:03.000Z', 1, 'connect ECONNREFUSED')).toMatchObject({
      notifyRetryAt: '2026-11-23T10:01:03.000Z',
    });
    // A concurrent round that still holds the alert as free must not send it again at once.
    expect(await claim('alr_retry', '2026-11-23T10:00:03.500Z')).toBeUndefined();
    expect(await claim('alr_retry', '2026-11-23T10:01:02.999Z')).toBeUndefined();
    const retry = await claim('alr_retry', '2026-11-23T10:01:03.000Z');
    expect(retry?.notifyAttempts).toBe(2);
  });

  it('is refused for good once the sends were given up', async () => {
    await open('alr_given_up');
    let at = Date.parse('2026-11-23T10:00:03.000Z');
    for (let attempt = 1; attempt <= NOTIFY_RETRY_MS.length + 1; attempt++) {
      const claimedAt = new Date(at).toISOString();
      expect((await claim('alr_given_up', claimedAt))?.notifyAttempts).toBe(attempt);
      await release('alr_given_up', claimedAt, attempt, 'mailbox unavailable');
      at += NOTIFY_RETRY_MS[attempt - 1] ?? 0;
    }
    expect(await store.alerts.find(WS, 'alr_given_up')).not.toHaveProperty('notifyRetryAt');
    expect(await claim('alr_given_up', '2026-11-24T12:00:00.000Z')).toBeUndefined();
  });

  it('goes to one round only, and can be taken over once stale', async () => {
    await open('alr_once');
    expect(await claim('alr_once', '2026-11-23T10:00:03.000Z')).toBeDefined();
    expect(await claim('alr_once', '2026-11-23T10:00:03.000Z')).toBeUndefined();
    expect(await claim('alr_once', '2026-11-23T10:15:02.999Z')).toBeUndefined();
    expect(await claim('alr_once', '2026-11-23T10:15:03.000Z')).toBeDefined();
  });
});

describe("an alert's lifecycle decided in memory is what the store writes", () => {
  // Offsets from opening that cross the gathering window, the first retry, a stale claim and the last delay.
  const offset = fc.constantFrom(0, 3_000, 63_000, 16 * 60_000, 3 * 3_600_000, 2 * 86_400_000);
  // markNotified and releaseNotify mostly name the claim held (`held`), sometimes an old one.
  const step = fc.tuple(
    fc.oneof(
      fc.constant<AlertEvent>({ type: 'resolve' }),
      fc.record({
        type: fc.constant('ack' as const),
        by: fc.constantFrom('key_1', 'key_2'),
        byVoice: fc.constantFrom('voi_1', undefined),
      }),
      fc.record({
        type: fc.constant('refresh' as const),
        details: fc.constant({ summary: 'changed' }),
        readVersion: fc.integer({ min: 1, max: 4 }),
      }),
      fc.constant<AlertEvent>({ type: 'claimNotify' }),
      fc.constant<AlertEvent>({ type: 'markNotified', claimedAt: 'held', messageId: '<m@x>' }),
      fc.record({
        type: fc.constant('releaseNotify' as const),
        claimedAt: fc.constantFrom('held', 'held', '2026-11-23T10:00:00.000Z'),
        attempts: fc.constantFrom(0, 0, 1, 5),
        error: fc.constant('refused'),
      }),
    ),
    offset,
  );
  let n = 0;

  it('the same events are refused and the same records result (fast-check, against the engine)', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(step, { maxLength: 8 }), async (steps) => {
        const id = `alr_parity_${n++}`;
        let state = (await open(id))!;
        let now = Date.parse('2026-11-23T10:00:00.000Z');
        for (const [template, ms] of steps) {
          now += ms;
          const event = resolveHeld(template, state);
          const decided = decideAlert(state, event, new Date(now));
          const written = await store.alerts.apply(WS, id, event, new Date(now));
          expect(written !== undefined).toBe(decided.ok);
          if (decided.ok) state = decided.next;
          expect(written ?? (await store.alerts.find(WS, id))).toEqual(state);
        }
      }),
      { numRuns: 60 },
    );
  });
});

/** Fills in the claim an event names: the one held now (`held`), and the attempts it counted (0). */
function resolveHeld(e: AlertEvent, a: AlertRecord): AlertEvent {
  const claimedAt = (c: string) => (c === 'held' ? (a.notifyingAt ?? '2026-11-23T10:00:00.000Z') : c);
  if (e.type === 'markNotified') return { ...e, claimedAt: claimedAt(e.claimedAt) };
  if (e.type === 'releaseNotify')
    return { ...e, claimedAt: claimedAt(e.claimedAt), attempts: e.attempts || (a.notifyAttempts ?? 1) };
  return e;
}
