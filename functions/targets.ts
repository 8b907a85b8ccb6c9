import type { Clock, TimerPayload } from '@drumbeat/core';
import { systemClock } from '@drumbeat/core';
import { handleTimerEvent, type SqsTimerQueue } from '@drumbeat/aws';

/**
 * The timer targets as factories over their use-case, so the entry points
 * (publish.ts, watchdog.ts, webhooks.ts) stay one line and tests can hand in
 * a use-case of their own. Each reads what it is handed with the shared
 * guard and refuses a timer of another kind (packages/aws `handleTimerEvent`):
 * a schedule's payload runs now; a precise timer's schedule (it carries
 * `dueAt`) is relayed to the kind's SQS queue, delayed to its instant; a
 * batch from that queue runs each record and reports the failed ones. A
 * failure propagates: Lambda (or SQS) retries, then the event goes to its
 * dead-letter queue.
 */

/** The event a timer function receives: a schedule's `Input` (parsed by EventBridge), or an SQS batch. */
export type ScheduledEvent = unknown;

type Kind = TimerPayload['kind'];
type PayloadOf<K extends Kind> = Extract<TimerPayload, { kind: K }>;

/** A handler for timers of `kind` that runs `useCase` with the parsed payload; `queue` is the precise-timer queue, when deployed. */
export function timerTarget<K extends Kind, R>(
  kind: K,
  useCase: (payload: PayloadOf<K>) => Promise<R>,
  opts: { queue?: SqsTimerQueue | undefined; clock?: Clock } = {},
) {
  return (event: ScheduledEvent) =>
    handleTimerEvent(event, { kind, run: useCase, queue: opts.queue, clock: opts.clock ?? systemClock });
}
