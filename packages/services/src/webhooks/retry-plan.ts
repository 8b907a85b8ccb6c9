import { WEBHOOK_RETRY_SCHEDULE_MS, type WebhookAttempt } from '@drumbeat/core';

/** The longest wait a receiver's Retry-After may impose: 24 h. */
export const MAX_RETRY_AFTER_MS = 24 * 3600_000;

/** What follows one delivery attempt. */
export type NextStep =
  | { kind: 'delivered' }
  | { kind: 'gone' }
  | { kind: 'retry'; delayMs: number }
  | { kind: 'exhausted' };

/**
 * Decides what follows an attempt, given how many attempts have been made
 * (this one included). A 2xx is delivered; 410 Gone means the receiver wants
 * no more. Any other failure (any status, network error, timeout, as Standard
 * Webhooks senders do) is retried after the schedule's next delay, counted from
 * this failure, or after the receiver's Retry-After when longer (capped at
 * 24 h), until the schedule runs out.
 */
export function nextStep(
  attemptsMade: number,
  result: WebhookAttempt,
  schedule: readonly number[] = WEBHOOK_RETRY_SCHEDULE_MS,
): NextStep {
  if (result.ok) return { kind: 'delivered' };
  if (result.status === 410) return { kind: 'gone' };
  if (attemptsMade >= schedule.length) return { kind: 'exhausted' };
  const asked = Math.min(result.retryAfterMs ?? 0, MAX_RETRY_AFTER_MS);
  return { kind: 'retry', delayMs: Math.max(schedule[attemptsMade]!, asked) };
}
