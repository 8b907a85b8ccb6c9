import { Invalid, type TimerPayload } from '@drumbeat/core';
import { parseTimerPayload } from '@drumbeat/aws';

/**
 * The EventBridge Scheduler targets as factories over their use-case, so the
 * entry points (publish.ts, watchdog.ts, webhooks.ts) stay one line and tests
 * can hand in a use-case of their own. Each reads the schedule's payload with
 * the shared guard, refuses a timer of another kind, and lets the use-case's
 * failure propagate: Lambda retries, then the event goes to the DLQ.
 */

/** The event EventBridge Scheduler hands its Lambda target: the schedule's `Input`, parsed. */
export type ScheduledEvent = unknown;

type Kind = TimerPayload['kind'];
type PayloadOf<K extends Kind> = Extract<TimerPayload, { kind: K }>;

/** A handler for timers of `kind` that runs `useCase` with the parsed payload and returns its result. */
export function timerTarget<K extends Kind, R>(kind: K, useCase: (payload: PayloadOf<K>) => Promise<R>) {
  return async (event: ScheduledEvent): Promise<R> => {
    const payload = parseTimerPayload(event);
    if (payload.kind !== kind) throw new Invalid(`${kind} target: got a ${payload.kind} timer`, [{ path: 'kind', message: `expected '${kind}'` }]);
    return useCase(payload as PayloadOf<K>);
  };
}
