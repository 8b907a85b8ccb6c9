import type { AccountRecord } from '@drumbeat/core';

export { NOTIFY_CLAIM_STALE_MS, NOTIFY_RETRY_MS, notifyStanding } from '@drumbeat/core';

/** How long an opened alert waits for others of its workspace to open before its email goes out (a digest gathers them). */
export const DIGEST_WINDOW_MS = 3_000;

/** The account's alert recipients (addresses and chat destinations) as a set: trimmed, lower-cased, sorted, without repeats. */
export function recipientSet(account: AccountRecord): string {
  // Chat destinations count as recipients: an account alerted only in chat still gets its rounds, and digests join the same audience only.
  const emails = (account.alerts?.emails ?? []).map((e) => e.trim().toLowerCase());
  const chats = (account.alerts?.chat ?? []).map((d) => `chat:${d.type}:${d.url}`);
  return [...new Set([...emails, ...chats])].sort().join('\n');
}
