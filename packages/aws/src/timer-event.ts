import { Invalid, type Clock, type TimerPayload } from '@drumbeat/core';
import { MAX_DELAY_SECONDS, parseQueuedTimer, type SqsTimerQueue } from './timer-queue.js';

/**
 * What a timer's function does with each event it can receive:
 *
 * - an SQS batch (the precise-timer queue, through its event source mapping):
 *   each record's timer runs; a record that fails is reported in
 *   `batchItemFailures`, so SQS redelivers that one alone (then its
 *   dead-letter queue), and the others are deleted;
 * - a schedule's Input with a `dueAt` (a precise timer, armed early): nothing
 *   runs yet, the payload goes to the queue with the delay that lands it at
 *   `dueAt` (after waiting out the fraction of a second SQS cannot delay);
 * - a schedule's Input without one (a timer of a kind that is not precise,
 *   or armed before precise timers existed): the timer runs now.
 *
 * A queued record that arrives before its instant (clocks of sender and
 * consumer a little apart, or a delay capped at 15 minutes) is never run
 * early: it waits here when under `maxWaitMs`, else goes back to the queue.
 */

/** One record of the event Lambda's SQS event source mapping hands its function. */
export interface SqsRecord {
  messageId: string;
  body: string;
  eventSource?: string;
  attributes?: Record<string, string>;
}

/** The event Lambda's SQS event source mapping hands its function. */
export interface SqsEvent {
  Records: SqsRecord[];
}

/** The answer of a partial batch response (ReportBatchItemFailures): the records SQS should redeliver. */
export interface BatchResponse {
  batchItemFailures: { itemIdentifier: string }[];
}

/** What `handleTimerEvent` needs. */
export interface TimerEventDeps<K extends TimerPayload['kind'], R> {
  kind: K;
  run: (payload: Extract<TimerPayload, { kind: K }>) => Promise<R>;
  /** The precise-timer queue; without it a relayed Input is refused (a deployment without the queue). */
  queue?: SqsTimerQueue | undefined;
  clock: Clock;
  /** Longest wait for a record that came in early (default 2 s); beyond it, the record is queued again. */
  maxWaitMs?: number;
  /** Waits `ms` (tests pass a clock-driven one). */
  sleep?: (ms: number) => Promise<void>;
  /** Where a failed record's error is logged (default console.error: CloudWatch). */
  log?: (message: string, err: unknown) => void;
}

/** True for the event an SQS event source mapping sends. */
export function isSqsEvent(event: unknown): event is SqsEvent {
  return (
    typeof event === 'object' &&
    event !== null &&
    Array.isArray((event as SqsEvent).Records) &&
    (event as SqsEvent).Records.every((r) => r && r.eventSource === 'aws:sqs')
  );
}

const defaultSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Handles one event of a timer function (see the module comment); returns the use-case's result, the relay's delay, or the batch response. */
export async function handleTimerEvent<K extends TimerPayload['kind'], R>(
  event: unknown,
  deps: TimerEventDeps<K, R>,
): Promise<R | BatchResponse | { relayed: true; delaySeconds: number }> {
  if (isSqsEvent(event)) return handleBatch(event, deps);
  const { payload, dueAt } = parseQueuedTimer(event);
  const own = checkKind(payload, deps.kind);
  if (!dueAt) return deps.run(own);
  if (!deps.queue?.handles(deps.kind))
    throw new Error(`a precise ${deps.kind} timer arrived, but this function has no ${deps.kind} timer queue`);
  // SQS delays in whole seconds: wait out the fraction first, so the delay ends on the instant instead of up to a second after.
  const ahead = dueAt.getTime() - deps.clock.now().getTime();
  const fraction = ahead % 1000;
  if (ahead > 1000 && ahead <= MAX_DELAY_SECONDS * 1000 && fraction > 0) await (deps.sleep ?? defaultSleep)(fraction);
  const { delaySeconds } = await deps.queue.send(own, dueAt);
  return { relayed: true, delaySeconds };
}

function checkKind<K extends TimerPayload['kind']>(payload: TimerPayload, kind: K): Extract<TimerPayload, { kind: K }> {
  if (payload.kind !== kind)
    throw new Invalid(`${kind} target: got a ${payload.kind} timer`, [{ path: 'kind', message: `expected '${kind}'` }]);
  return payload as Extract<TimerPayload, { kind: K }>;
}

async function handleBatch<K extends TimerPayload['kind'], R>(
  event: SqsEvent,
  deps: TimerEventDeps<K, R>,
): Promise<BatchResponse> {
  const log = deps.log ?? ((message, err) => console.error(message, err));
  // The records of one batch run side by side: each is one post or account, and the claim keeps each once.
  const settled = await Promise.allSettled(event.Records.map((record) => runRecord(record, deps)));
  const batchItemFailures: { itemIdentifier: string }[] = [];
  settled.forEach((s, i) => {
    if (s.status === 'fulfilled') return;
    const record = event.Records[i]!;
    log(`${deps.kind} timer message ${record.messageId} failed`, s.reason);
    batchItemFailures.push({ itemIdentifier: record.messageId });
  });
  return { batchItemFailures };
}

async function runRecord<K extends TimerPayload['kind'], R>(
  record: SqsRecord,
  deps: TimerEventDeps<K, R>,
): Promise<void> {
  const { payload, dueAt } = parseQueuedTimer(record.body);
  const own = checkKind(payload, deps.kind);
  if (dueAt) {
    const early = dueAt.getTime() - deps.clock.now().getTime();
    if (early > (deps.maxWaitMs ?? 2000)) {
      if (!deps.queue)
        throw new Error(
          `${deps.kind} timer message ${record.messageId} is ${early} ms early and there is no queue to put it back on`,
        );
      await deps.queue.send(own, dueAt);
      return;
    }
    if (early > 0) await (deps.sleep ?? defaultSleep)(early);
  }
  await deps.run(own);
}
