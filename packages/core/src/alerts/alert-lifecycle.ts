import { decide, type Decision, type Guard, type Rule } from '../lifecycle/rule.js';
import type { AlertDetails, AlertRecord } from '../schemas/alert.js';

/**
 * An alert's whole lifecycle: every state, every transition, what guards it
 * and what the caller does after it. `decideAlert` decides an event in
 * memory; the store (`AlertRepo.apply`) writes the same rule as one
 * conditional write; the services (AlertBook, AlertNotifier, AlertService)
 * only carry out the effects.
 *
 * States of the record (fields of `AlertRecord`):
 * - open, unacknowledged: no `resolvedAt`, no `ackedAt`
 * - open, acknowledged: `ackedAt`, `ackedBy` (+ its person, its recipient); open until the condition clears
 * - resolved: `resolvedAt`, for good (the same problem again is a new alert, a new episode)
 * Notification sub-states (`notifyPhase`; chat follows the email and keeps no state on the alert):
 * - not notified: due a gathering window after opening (`notifyStanding`)
 * - notifying: `notifyingAt` (one round's claim), `notifyAttempts` counted; stale NOTIFY_CLAIM_STALE_MS later
 * - notified: `notifiedAt`, `messageId`; never sent twice
 * - waiting for a retry: `notifyError`, `notifyRetryAt` ahead; due once it passes
 * - given up: `notifyError` without `notifyRetryAt`, or every attempt used (NOTIFY_RETRY_MS's delays + 1)
 * An episode key (`ALERTKEY#<dedupeKey>`, a store item) is held while an alert is open: one open alert per problem.
 *
 * | # | from                          | event         | guard                                                    | to                                            | effects |
 * |---|-------------------------------|---------------|----------------------------------------------------------|-----------------------------------------------|---------|
 * | 1 | no key                        | claim key     | no key item (`putNew`)                                   | key held for a new alert id                   | open (5) |
 * | 2 | key, its alert missing        | claim key     | refused: the holder is kept                              | (an opening died) open with the key's id      | open (5) |
 * | 3 | key, its alert resolved       | claim key     | refused                                                  | key released (`releaseKeyWhen`), claim again  | — |
 * | 4 | key, its alert open           | claim key     | refused                                                  | that alert refreshed (7)                      | — |
 * | 5 | no alert                      | open          | no alert with that id                                    | open, unacknowledged, not notified, version 1 | announce alert.opened; reply_overdue: conversation.overdue |
 * | 6 | any                           | open          | refused: the first writer's alert stands                 | —                                             | — |
 * | 7 | open                          | refresh       | details changed (`detailsChanged` of condition.ts, in memory) & version = read & not resolved | new details                | — |
 * | 8 | changed since read, resolved  | refresh       | refused                                                  | — (the caller reads it again)                 | — |
 * | 9 | open                          | resolve       | not resolved                                             | resolved; a live claim and a pending retry dropped | release key (if it names this alert), announce alert.resolved |
 * |10 | resolved                      | resolve       | refused: resolved once                                   | —                                             | release key still |
 * |11 | not acknowledged (even resolved) | ack        | not acknowledged                                         | acknowledged: at, by, voice, recipient        | reevaluate-if-ended: an open email_bounced alert ends (`endsOnAck`) |
 * |12 | acknowledged                  | ack           | refused: the first ack (and who) is kept                 | —                                             | the same follow-up (it completes one that died) |
 * |13 | not notified, claim stale, retry due | claimNotify | not notified & not resolved & no live claim & (no error or retry due) & attempts left | notifying, attempts + 1 | send the email |
 * |14 | notifying (live), retry not due, notified, resolved, given up | claimNotify | refused                  | —                                             | — |
 * |15 | notifying                     | markNotified  | the claim is this round's (`notifyingAt` = claimedAt)    | notified; claim, retry, error cleared         | post to chat |
 * |16 | notifying                     | releaseNotify | this round's claim & its attempts                        | waiting for a retry (next delay), or given up (none left) | retry at / give up (logged) |
 * |17 | claim taken over, or gone     | markNotified, releaseNotify | refused                                    | —                                             | — |
 */

/** Delays before re-sending an alert email whose send failed, by attempt; after the last, it is given up. */
export const NOTIFY_RETRY_MS: readonly number[] = [60_000, 5 * 60_000, 30 * 60_000, 2 * 3_600_000];
/** A send claimed this long ago without being recorded is taken as dead (its process died) and may be retried. */
export const NOTIFY_CLAIM_STALE_MS = 15 * 60_000;
/** The stored error of a failed send is cut to this length. */
const MAX_ERROR = 500;

/** A new alert as its opener knows it (the record less what the open writes). */
export type NewAlert = Omit<AlertRecord, 'updatedAt' | 'version' | 'resolvedAt' | 'ackedAt' | 'notifiedAt'>;

export type AlertEvent =
  | { type: 'open'; alert: NewAlert }
  | { type: 'refresh'; details: AlertDetails; readVersion: number }
  | { type: 'resolve' }
  | { type: 'ack'; by: string; byVoice?: string | undefined; byRecipient?: string | undefined }
  | { type: 'claimNotify' }
  | { type: 'markNotified'; claimedAt: string; messageId: string }
  | { type: 'releaseNotify'; claimedAt: string; attempts: number; error: string };

export type AlertEffect =
  | { type: 'announce'; event: 'alert.opened' | 'alert.resolved' | 'conversation.overdue' }
  | { type: 'release-key' }
  | { type: 'reevaluate-if-ended' }
  | { type: 'send-email' }
  | { type: 'post-to-chat' }
  | { type: 'retry'; at: string }
  | { type: 'give-up' };

const notResolved: Guard = { field: 'resolvedAt', absent: true };

/** The rule of an event at `now`: its guards, its change and the caller's effects. */
export function alertRule(event: AlertEvent, now: Date): Rule<AlertEffect> {
  const at = now.toISOString();
  switch (event.type) {
    case 'open':
      return {
        when: [{ field: 'id', absent: true }],
        change: { set: { ...event.alert, updatedAt: at } },
        effects: [
          { type: 'announce', event: 'alert.opened' },
          ...(event.alert.kind === 'reply_overdue'
            ? [{ type: 'announce', event: 'conversation.overdue' } as const]
            : []),
        ],
      };
    case 'refresh':
      return {
        when: [{ field: 'version', eq: event.readVersion }, notResolved],
        change: { set: { details: event.details, updatedAt: at } },
        effects: [],
      };
    case 'resolve':
      return {
        when: [notResolved],
        change: { set: { resolvedAt: at, updatedAt: at }, remove: ['notifyingAt', 'notifyRetryAt'] },
        effects: [{ type: 'release-key' }, { type: 'announce', event: 'alert.resolved' }],
      };
    case 'ack':
      return {
        when: [{ field: 'ackedAt', absent: true }],
        change: {
          set: {
            ackedAt: at,
            ackedBy: event.by,
            ackedByVoice: event.byVoice || undefined,
            ackedByRecipient: event.byRecipient || undefined,
            updatedAt: at,
          },
        },
        effects: [{ type: 'reevaluate-if-ended' }],
      };
    case 'claimNotify':
      return {
        when: [
          { field: 'notifiedAt', absent: true },
          notResolved,
          {
            anyOf: [
              { field: 'notifyingAt', absent: true },
              { field: 'notifyingAt', atMost: new Date(now.getTime() - NOTIFY_CLAIM_STALE_MS).toISOString() },
            ],
          },
          // A round that read the alert before a failed send was recorded must not send it again at once.
          {
            anyOf: [
              { field: 'notifyError', absent: true },
              { field: 'notifyRetryAt', atMost: at },
            ],
          },
          {
            anyOf: [
              { field: 'notifyAttempts', absent: true },
              { field: 'notifyAttempts', atMost: NOTIFY_RETRY_MS.length },
            ],
          },
        ],
        change: { set: { notifyingAt: at }, add: { notifyAttempts: 1 } },
        effects: [{ type: 'send-email' }],
      };
    case 'markNotified':
      return {
        when: [{ field: 'notifyingAt', eq: event.claimedAt }],
        change: {
          set: { notifiedAt: at, messageId: event.messageId },
          remove: ['notifyingAt', 'notifyRetryAt', 'notifyError'],
        },
        effects: [{ type: 'post-to-chat' }],
      };
    case 'releaseNotify': {
      const delay = NOTIFY_RETRY_MS[event.attempts - 1];
      const retryAt = delay !== undefined ? new Date(now.getTime() + delay).toISOString() : undefined;
      return {
        when: [
          { field: 'notifyingAt', eq: event.claimedAt },
          { field: 'notifyAttempts', eq: event.attempts },
        ],
        change: {
          set: { notifyError: event.error.slice(0, MAX_ERROR), ...(retryAt ? { notifyRetryAt: retryAt } : {}) },
          remove: retryAt ? ['notifyingAt'] : ['notifyingAt', 'notifyRetryAt'],
        },
        effects: [retryAt ? { type: 'retry', at: retryAt } : { type: 'give-up' }],
      };
    }
  }
}

/** An event decided on an alert in memory (none yet: only `open` applies). */
export function decideAlert(
  state: AlertRecord | undefined,
  event: AlertEvent,
  now: Date,
): Decision<AlertRecord, AlertEffect> {
  const rule = alertRule(event, now);
  if (!state && event.type !== 'open') return { ok: false, refused: { field: 'id', present: true } };
  return decide(state ?? ({ version: 0 } as AlertRecord), rule);
}

/** The guard that lets an episode's key go: it still names this alert (a newer episode's key is kept). */
export const releaseKeyWhen = (alertId: string): Guard[] => [{ field: 'alertId', eq: alertId }];

/** Whether an acknowledgement ends the alert's condition: an email_bounced one still open (someone knows now). */
export const endsOnAck = (a: AlertRecord): boolean => a.kind === 'email_bounced' && !a.resolvedAt;

export type NotifyPhase =
  | 'not-notified'
  | 'notifying'
  | 'claim-stale'
  | 'notified'
  | 'retry-wait'
  | 'retry-due'
  | 'given-up'
  | 'resolved';

/** Where an alert stands for notification at `nowMs` (the table's sub-states). */
export function notifyPhase(a: AlertRecord, nowMs: number): NotifyPhase {
  if (a.notifiedAt) return 'notified';
  if (a.resolvedAt) return 'resolved';
  if ((a.notifyAttempts ?? 0) > NOTIFY_RETRY_MS.length) return 'given-up';
  if (a.notifyingAt && Date.parse(a.notifyingAt) + NOTIFY_CLAIM_STALE_MS > nowMs) return 'notifying';
  if (a.notifyError && !a.notifyRetryAt) return 'given-up';
  if (a.notifyRetryAt && Date.parse(a.notifyRetryAt) > nowMs) return 'retry-wait';
  return a.notifyingAt ? 'claim-stale' : a.notifyError ? 'retry-due' : 'not-notified';
}

/**
 * Where an alert stands for email at `nowMs`: undefined when no email will
 * ever go out for it (sent, resolved, given up); else the instant `at` it is
 * due, and whether a round may claim it now (`free`: no live claim, no retry
 * pending). A free alert whose `at` is ahead is still in its gathering window:
 * a round that runs meanwhile takes it along.
 */
export function notifyStanding(
  a: AlertRecord,
  nowMs: number,
  windowMs: number,
): { at: number; free: boolean } | undefined {
  switch (notifyPhase(a, nowMs)) {
    case 'notified':
    case 'resolved':
    case 'given-up':
      return undefined;
    case 'notifying':
      return { at: Date.parse(a.notifyingAt!) + NOTIFY_CLAIM_STALE_MS, free: false };
    case 'retry-wait':
      return { at: Date.parse(a.notifyRetryAt!), free: false };
    default:
      return { at: Date.parse(a.openedAt) + windowMs, free: true };
  }
}
