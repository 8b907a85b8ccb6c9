import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AlertRecord } from '@drumbeat/core';
import type { Store } from '@drumbeat/store';
import { startTestStore } from '../support/store.js';

let store: Store;
let close: () => Promise<void>;
beforeAll(async () => ({ store, close } = await startTestStore()));
afterAll(() => close());

const WS = 'ws_claims';
const alert = (id: string): AlertRecord => ({
  id,
  workspaceId: WS,
  accountId: 'acc_1',
  kind: 'empty_slots',
  dedupeKey: `acc_1#empty_slots#${id}`,
  openedAt: '2026-11-23T10:00:00.000Z',
  details: { summary: '3 empty slots in the next 7 days' },
  updatedAt: '2026-11-23T10:00:00.000Z',
  version: 1,
});
const STALE = '2026-11-23T09:45:00.000Z';

describe("an alert email's claim (the conditional write that lets one round send it)", () => {
  it('is refused to a round that read the alert before a failed send was recorded, until the retry is due', async () => {
    await store.alerts.create(alert('alr_retry'));
    const first = await store.alerts.claimNotify(WS, 'alr_retry', '2026-11-23T10:00:03.000Z', STALE);
    expect(first?.notifyAttempts).toBe(1);
    await store.alerts.releaseNotify(
      WS,
      'alr_retry',
      '2026-11-23T10:00:03.000Z',
      'connect ECONNREFUSED',
      '2026-11-23T10:01:03.000Z',
    );
    // A concurrent round that still holds the alert as free must not send it again at once.
    expect(await store.alerts.claimNotify(WS, 'alr_retry', '2026-11-23T10:00:03.500Z', STALE)).toBeUndefined();
    expect(await store.alerts.claimNotify(WS, 'alr_retry', '2026-11-23T10:01:02.999Z', STALE)).toBeUndefined();
    const retry = await store.alerts.claimNotify(WS, 'alr_retry', '2026-11-23T10:01:03.000Z', STALE);
    expect(retry?.notifyAttempts).toBe(2);
  });

  it('is refused for good once the sends were given up', async () => {
    await store.alerts.create(alert('alr_given_up'));
    await store.alerts.claimNotify(WS, 'alr_given_up', '2026-11-23T10:00:03.000Z', STALE);
    await store.alerts.releaseNotify(WS, 'alr_given_up', '2026-11-23T10:00:03.000Z', 'mailbox unavailable', undefined);
    expect(await store.alerts.claimNotify(WS, 'alr_given_up', '2026-11-23T12:00:00.000Z', STALE)).toBeUndefined();
  });

  it('goes to one round only, and can be taken over once stale', async () => {
    await store.alerts.create(alert('alr_once'));
    expect(await store.alerts.claimNotify(WS, 'alr_once', '2026-11-23T10:00:03.000Z', STALE)).toBeDefined();
    expect(await store.alerts.claimNotify(WS, 'alr_once', '2026-11-23T10:00:03.000Z', STALE)).toBeUndefined();
    expect(
      await store.alerts.claimNotify(WS, 'alr_once', '2026-11-23T10:20:00.000Z', '2026-11-23T10:05:00.000Z'),
    ).toBeDefined();
  });
});
