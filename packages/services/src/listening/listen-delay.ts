/** The longest a failing account waits between polls: it keeps trying, slowly, so a fixed token is noticed within hours. */
export const MAX_BACKOFF_MS = 6 * 3600_000;

/** Retryable failures in a row (5xx, timeouts, 429) before listening_failed opens: a passing outage stays quiet. */
export const RETRYABLE_FAILURES_BEFORE_ALERT = 5;

/**
 * How long until the next poll: the interval after a success (or the wait
 * the network asked for, when longer); after `failures` failures in a row,
 * the interval doubled per failure, capped at MAX_BACKOFF_MS, never less
 * than the network's wait.
 */
export function listenDelayMs(everyMs: number, failures: number, retryAfterMs?: number): number {
  const backoff =
    failures > 0 ? Math.min(everyMs * 2 ** Math.min(failures - 1, 20), Math.max(MAX_BACKOFF_MS, everyMs)) : everyMs;
  return Math.max(backoff, retryAfterMs ?? 0);
}
