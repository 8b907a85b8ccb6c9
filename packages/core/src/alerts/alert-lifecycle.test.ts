import { describe, expect, it } from 'vitest';
import type { AlertRecord } from '../schemas/alert.js';
import {
  alertRule,
  decideAlert,
  endsOnAck,
  NOTIFY_CLAIM_STALE_MS,
  NOTIFY_RETRY_MS,
  notifyPhase,
  notifyStanding,
  releaseKeyWhen,
  type AlertEvent,
  type NewAlert,
} from './alert-lifecycle.js';
import { guardHolds } from '../lifecycle/rule.js';
import { detailsChanged } from './condition.js';

const T0 = '2026-11-23T10:00:00.000Z';
const at = (ms: number) => new Date(Date.parse(T0) + ms);
const fresh: NewAlert = {
  id: 'alr_1',
  workspaceId: 'ws_1',
  accountId: 'acc_1',
  kind: 'cadence_lapsed',
  dedupeKey: 'acc_1#cadence_lapsed',
  openedAt: T0,
  details: { summary: 'no post for 2 days', reason: 'max_gap', silentSince: T0 },
};

/** Applies events in turn, each at its instant; throws on a refusal. */
function run(...steps: [AlertEvent, Date][]): AlertRecord {
  let state: AlertRecord | undefined;
  for (const [event, now] of steps) {
    const d = decideAlert(state, event, now);
    if (!d.ok) throw new Error(`${event.type} refused by ${JSON.stringify(d.refused)}`);
    state = d.next;
  }
  return state!;
}
const opened = () => run([{ type: 'open', alert: fresh }, at(0)]);
const claimed = (a: AlertRecord, now: Date) => {
  const d = decideAlert(a, { type: 'claimNotify' }, now);
  if (!d.ok) throw new Error('claim refused');
  return d.next;
};

describe('alert lifecycle (machine alone, no engine)', () => {
  describe('open', () => {
    it('5: opens unacknowledged and not notified, at version 1, announcing alert.opened', () => {
      const d = decideAlert(undefined, { type: 'open', alert: fresh }, at(0));
      expect(d).toEqual({
        ok: true,
        next: { ...fresh, updatedAt: T0, version: 1 },
        effects: [{ type: 'announce', event: 'alert.opened' }],
      });
      expect(notifyPhase(opened(), at(0).getTime())).toBe('not-notified');
    });

    it('5: also announces conversation.overdue for reply_overdue', () => {
      const d = decideAlert(undefined, { type: 'open', alert: { ...fresh, kind: 'reply_overdue' } }, at(0));
      expect(d.ok && d.effects).toEqual([
        { type: 'announce', event: 'alert.opened' },
        { type: 'announce', event: 'conversation.overdue' },
      ]);
    });

    it('6: is refused when the alert exists (the first writer wins)', () => {
      expect(decideAlert(opened(), { type: 'open', alert: fresh }, at(1))).toEqual({
        ok: false,
        refused: { field: 'id', absent: true },
      });
    });

    it('every other event is refused on an alert that is not there', () => {
      expect(decideAlert(undefined, { type: 'resolve' }, at(0)).ok).toBe(false);
    });
  });

  describe('episode key', () => {
    it('3, 9: is released only by the alert it names', () => {
      const key = { alertId: 'alr_1' };
      expect(releaseKeyWhen('alr_1').every((g) => guardHolds(key, g))).toBe(true);
      expect(releaseKeyWhen('alr_2').every((g) => guardHolds(key, g))).toBe(false);
    });
  });

  describe('refresh', () => {
    const details = { ...fresh.details, silentSince: '2026-11-22T10:00:00.000Z' };

    it('7: is wanted only when the fingerprint changed (a restated clock is no change)', () => {
      expect(detailsChanged(opened(), { ...fresh.details, summary: 'no post for 3 days' })).toBe(false);
      expect(detailsChanged(opened(), details)).toBe(true);
    });

    it('7: replaces the details of an open alert read at its version', () => {
      const d = decideAlert(opened(), { type: 'refresh', details, readVersion: 1 }, at(5));
      expect(d.ok && d.next).toMatchObject({ details, updatedAt: at(5).toISOString(), version: 2 });
    });

    it('8: is refused when the alert changed since it was read, or was resolved', () => {
      expect(decideAlert(opened(), { type: 'refresh', details, readVersion: 0 }, at(5))).toMatchObject({
        ok: false,
        refused: { field: 'version', eq: 0 },
      });
      const resolved = run([{ type: 'open', alert: fresh }, at(0)], [{ type: 'resolve' }, at(1)]);
      expect(decideAlert(resolved, { type: 'refresh', details, readVersion: 2 }, at(5))).toMatchObject({
        ok: false,
        refused: { field: 'resolvedAt', absent: true },
      });
    });
  });

  describe('resolve', () => {
    it('9: resolves, drops a live claim and a pending retry, releases the key and announces', () => {
      const a = { ...claimed(opened(), at(3_000)), notifyRetryAt: at(60_000).toISOString(), notifyError: 'x' };
      const d = decideAlert(a, { type: 'resolve' }, at(9_000));
      expect(d.ok).toBe(true);
      if (!d.ok) return;
      expect(d.next.resolvedAt).toBe(at(9_000).toISOString());
      expect(d.next).not.toHaveProperty('notifyingAt');
      expect(d.next).not.toHaveProperty('notifyRetryAt');
      expect(d.effects).toEqual([{ type: 'release-key' }, { type: 'announce', event: 'alert.resolved' }]);
      expect(notifyPhase(d.next, at(9_000).getTime())).toBe('resolved');
      expect(notifyStanding(d.next, at(9_000).getTime(), 3_000)).toBeUndefined();
    });

    it('10: a second resolve is refused: resolved once', () => {
      const resolved = run([{ type: 'open', alert: fresh }, at(0)], [{ type: 'resolve' }, at(1)]);
      expect(decideAlert(resolved, { type: 'resolve' }, at(2))).toEqual({
        ok: false,
        refused: { field: 'resolvedAt', absent: true },
      });
    });
  });

  describe('ack', () => {
    it('11: records when and who (key, person, recipient), leaving the alert open', () => {
      const d = decideAlert(opened(), { type: 'ack', by: 'key_1', byVoice: 'voi_1', byRecipient: 'a@x' }, at(7));
      expect(d.ok && d.next).toMatchObject({
        ackedAt: at(7).toISOString(),
        ackedBy: 'key_1',
        ackedByVoice: 'voi_1',
        ackedByRecipient: 'a@x',
      });
      expect(d.ok && d.next).not.toHaveProperty('resolvedAt');
      expect(d.ok && d.effects).toEqual([{ type: 'reevaluate-if-ended' }]);
    });

    it('12: a second ack is refused: the first is kept', () => {
      const first = run([{ type: 'open', alert: fresh }, at(0)], [{ type: 'ack', by: 'key_1' }, at(7)]);
      expect(first).not.toHaveProperty('ackedByVoice');
      expect(decideAlert(first, { type: 'ack', by: 'key_2', byVoice: 'voi_2' }, at(9))).toEqual({
        ok: false,
        refused: { field: 'ackedAt', absent: true },
      });
    });

    it('11: applies to a resolved alert too', () => {
      const resolved = run([{ type: 'open', alert: fresh }, at(0)], [{ type: 'resolve' }, at(1)]);
      expect(decideAlert(resolved, { type: 'ack', by: 'key_1' }, at(2)).ok).toBe(true);
    });

    it('11, 12: ends an open email_bounced alert only', () => {
      expect(endsOnAck({ ...opened(), kind: 'email_bounced' })).toBe(true);
      expect(endsOnAck({ ...opened(), kind: 'email_bounced', resolvedAt: T0 })).toBe(false);
      expect(endsOnAck(opened())).toBe(false);
    });
  });

  describe('notification', () => {
    it('not notified: due a gathering window after opening, free to claim', () => {
      expect(notifyStanding(opened(), at(1_000).getTime(), 3_000)).toEqual({ at: at(3_000).getTime(), free: true });
    });

    it('13: claimNotify takes a claim, counts the attempt and sends', () => {
      const d = decideAlert(opened(), { type: 'claimNotify' }, at(3_000));
      expect(d.ok && d.next).toMatchObject({ notifyingAt: at(3_000).toISOString(), notifyAttempts: 1 });
      expect(d.ok && d.effects).toEqual([{ type: 'send-email' }]);
      if (d.ok) expect(notifyPhase(d.next, at(3_000).getTime())).toBe('notifying');
    });

    it('14, 13: a held claim is refused to another round, until it is stale', () => {
      const a = claimed(opened(), at(3_000));
      expect(decideAlert(a, { type: 'claimNotify' }, at(3_000)).ok).toBe(false);
      expect(decideAlert(a, { type: 'claimNotify' }, at(3_000 + NOTIFY_CLAIM_STALE_MS - 1)).ok).toBe(false);
      expect(notifyStanding(a, at(4_000).getTime(), 3_000)).toEqual({
        at: at(3_000 + NOTIFY_CLAIM_STALE_MS).getTime(),
        free: false,
      });
      expect(notifyPhase(a, at(3_000 + NOTIFY_CLAIM_STALE_MS).getTime())).toBe('claim-stale');
      const d = decideAlert(a, { type: 'claimNotify' }, at(3_000 + NOTIFY_CLAIM_STALE_MS));
      expect(d.ok && d.next.notifyAttempts).toBe(2);
    });

    it('15, 17: markNotified records the send under this round claim only, then posts to chat; 14: never sent twice', () => {
      const a = claimed(opened(), at(3_000));
      const claimedAt = at(3_000).toISOString();
      expect(decideAlert(a, { type: 'markNotified', claimedAt: T0, messageId: 'm' }, at(4_000))).toMatchObject({
        ok: false,
        refused: { field: 'notifyingAt', eq: T0 },
      });
      const d = decideAlert(a, { type: 'markNotified', claimedAt, messageId: '<m@x>' }, at(4_000));
      expect(d.ok && d.next).toMatchObject({ notifiedAt: at(4_000).toISOString(), messageId: '<m@x>' });
      expect(d.ok && d.next).not.toHaveProperty('notifyingAt');
      expect(d.ok && d.effects).toEqual([{ type: 'post-to-chat' }]);
      if (!d.ok) return;
      expect(notifyPhase(d.next, at(4_000).getTime())).toBe('notified');
      expect(decideAlert(d.next, { type: 'claimNotify' }, at(99_000_000)).ok).toBe(false); // never sent twice
    });

    it('16, 14, 13: releaseNotify waits for the next delay; a claim before it is refused, at it taken', () => {
      const a = claimed(opened(), at(3_000));
      const claimedAt = at(3_000).toISOString();
      const release: AlertEvent = { type: 'releaseNotify', claimedAt, attempts: 1, error: 'x'.repeat(600) };
      const d = decideAlert(a, release, at(3_000));
      expect(d.ok).toBe(true);
      if (!d.ok) return;
      const retryAt = at(3_000 + NOTIFY_RETRY_MS[0]!).toISOString();
      expect(d.next).toMatchObject({ notifyRetryAt: retryAt, notifyAttempts: 1 });
      expect(d.next.notifyError).toHaveLength(500);
      expect(d.next).not.toHaveProperty('notifyingAt');
      expect(d.effects).toEqual([{ type: 'retry', at: retryAt }]);
      expect(notifyPhase(d.next, at(3_500).getTime())).toBe('retry-wait');
      expect(notifyStanding(d.next, at(3_500).getTime(), 3_000)).toEqual({ at: Date.parse(retryAt), free: false });
      expect(decideAlert(d.next, { type: 'claimNotify' }, at(3_500))).toMatchObject({ ok: false });
      expect(decideAlert(d.next, { type: 'claimNotify' }, new Date(Date.parse(retryAt) - 1)).ok).toBe(false);
      expect(notifyPhase(d.next, Date.parse(retryAt))).toBe('retry-due');
      const retry = decideAlert(d.next, { type: 'claimNotify' }, new Date(retryAt));
      expect(retry.ok && retry.next.notifyAttempts).toBe(2);
    });

    it('17: releaseNotify is refused to a round whose claim was taken over', () => {
      const a = claimed(claimed(opened(), at(3_000)), at(3_000 + NOTIFY_CLAIM_STALE_MS));
      const old: AlertEvent = { type: 'releaseNotify', claimedAt: at(3_000).toISOString(), attempts: 1, error: 'e' };
      expect(decideAlert(a, old, at(3_000 + NOTIFY_CLAIM_STALE_MS)).ok).toBe(false);
    });

    it('16, 14: gives up after the last delay: never claimed again', () => {
      let a = opened();
      let now = 3_000;
      for (let attempt = 1; attempt <= NOTIFY_RETRY_MS.length + 1; attempt++) {
        a = claimed(a, at(now));
        const release: AlertEvent = {
          type: 'releaseNotify',
          claimedAt: at(now).toISOString(),
          attempts: attempt,
          error: 'e',
        };
        const d = decideAlert(a, release, at(now));
        if (!d.ok) throw new Error('release refused');
        a = d.next;
        expect(alertRule(release, at(now)).effects).toEqual(
          attempt > NOTIFY_RETRY_MS.length ? [{ type: 'give-up' }] : [{ type: 'retry', at: a.notifyRetryAt }],
        );
        now += NOTIFY_RETRY_MS[attempt - 1] ?? 0;
      }
      expect(a).not.toHaveProperty('notifyRetryAt');
      expect(notifyPhase(a, at(now + 86_400_000).getTime())).toBe('given-up');
      expect(notifyStanding(a, at(now + 86_400_000).getTime(), 3_000)).toBeUndefined();
      expect(decideAlert(a, { type: 'claimNotify' }, at(now + 86_400_000)).ok).toBe(false);
    });

    it('14: a last attempt whose sender died is not taken over (attempts used up)', () => {
      const a = { ...claimed(opened(), at(3_000)), notifyAttempts: NOTIFY_RETRY_MS.length + 1 };
      const later = at(3_000 + NOTIFY_CLAIM_STALE_MS);
      expect(notifyPhase(a, later.getTime())).toBe('given-up');
      expect(decideAlert(a, { type: 'claimNotify' }, later)).toMatchObject({ ok: false });
    });

    it('14: a resolved alert is never claimed', () => {
      const resolved = run([{ type: 'open', alert: fresh }, at(0)], [{ type: 'resolve' }, at(1)]);
      expect(decideAlert(resolved, { type: 'claimNotify' }, at(3_000))).toEqual({
        ok: false,
        refused: { field: 'resolvedAt', absent: true },
      });
    });
  });
});
