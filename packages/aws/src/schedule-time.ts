/**
 * How a due instant becomes an EventBridge Scheduler `at()` expression.
 *
 * `at()` has whole-second granularity, is evaluated in a time zone we always
 * set to UTC, and a time already past is never fired; the service also only
 * promises to fire within the minute. So a due instant is rounded UP to the
 * next whole second (a timer never fires before its instant), and one earlier
 * than `now + minLeadMs` is moved to `now + minLeadMs`: an overdue timer fires
 * about `minLeadMs` late instead of never.
 */

/** The default notice given to EventBridge: one minute, its invocation precision. */
export const DEFAULT_MIN_LEAD_MS = 60_000;

/** The instant to hand EventBridge for a timer due at `at`: whole seconds, never earlier than `now + minLeadMs`. */
export function fireInstant(at: Date, now: Date, minLeadMs: number = DEFAULT_MIN_LEAD_MS): Date {
  const earliest = now.getTime() + minLeadMs;
  const ms = Math.max(at.getTime(), earliest);
  return new Date(Math.ceil(ms / 1000) * 1000);
}

/** `at(YYYY-MM-DDTHH:MM:SS)` for `date` read in UTC (seconds truncated, so pass whole seconds). */
export function atExpression(date: Date): string {
  return `at(${date.toISOString().slice(0, 19)})`;
}
