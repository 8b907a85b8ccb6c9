import type { AccountRecord, AlertRecord } from '@drumbeat/core';

/** Delays before re-sending an alert email whose send failed, by attempt; after the last, it is given up. */
export const NOTIFY_RETRY_MS: readonly number[] = [60_000, 5 * 60_000, 30 * 60_000, 2 * 3_600_000];
/** A send claimed this long ago without being recorded is taken as dead (its process died) and may be retried. */
export const NOTIFY_CLAIM_STALE_MS = 15 * 60_000;
/** How long an opened alert waits for others of its workspace to open before its email goes out (a digest gathers them). */
export const DIGEST_WINDOW_MS = 3_000;

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
  if (a.resolvedAt || a.notifiedAt || (a.notifyAttempts ?? 0) > NOTIFY_RETRY_MS.length) return undefined;
  if (a.notifyingAt && Date.parse(a.notifyingAt) + NOTIFY_CLAIM_STALE_MS > nowMs)
    return { at: Date.parse(a.notifyingAt) + NOTIFY_CLAIM_STALE_MS, free: false };
  if (a.notifyError && !a.notifyRetryAt) return undefined; // given up
  if (a.notifyRetryAt && Date.parse(a.notifyRetryAt) > nowMs) return { at: Date.parse(a.notifyRetryAt), free: false };
  return { at: Date.parse(a.openedAt) + windowMs, free: true };
}

/** The account's alert recipients (addresses and chat destinations) as a set: trimmed, lower-cased, sorted, without repeats. */
export function recipientSet(account: AccountRecord): string {
  // Chat destinations count as recipients: an account alerted only in chat still gets its rounds, and digests join the same audience only.
  const emails = (account.alerts?.emails ?? []).map((e) => e.trim().toLowerCase());
  const chats = (account.alerts?.chat ?? []).map((d) => `chat:${d.type}:${d.url}`);
  return [...new Set([...emails, ...chats])].sort().join('\n');
}
