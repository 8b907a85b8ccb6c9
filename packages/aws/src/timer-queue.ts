import type { SQSClient } from '@aws-sdk/client-sqs';
import { parseTimerPayload, type Clock, type TimerPayload } from '@drumbeat/core';

/**
 * The last leg of a precise timer on AWS: an SQS message whose `DelaySeconds`
 * ends at the timer's instant. EventBridge Scheduler only promises to invoke
 * within the minute after an `at()`, so a precise timer is armed `lead`
 * early and its invocation hands the payload to this queue, which delivers
 * it to the second (SQS's delay is whole seconds, at most 15 minutes).
 */

/** SQS's longest message delay. */
export const MAX_DELAY_SECONDS = 900;

/** How early a precise timer's schedule is armed: EventBridge's one-minute window, plus a margin for the relay. */
export const DEFAULT_PRECISE_LEAD_MS = 75_000;

/** What a precise timer carries, from the schedule to the relay and from the queue to its consumer: the payload and its due instant. */
export type QueuedTimer = TimerPayload & { dueAt: string };

/** The message delay that lands at `dueAt`: whole seconds rounded up (never early), 0 when due, at most 900. */
export function delaySeconds(dueAt: Date, now: Date): number {
  const seconds = Math.ceil((dueAt.getTime() - now.getTime()) / 1000);
  return Math.min(MAX_DELAY_SECONDS, Math.max(0, seconds));
}

/** The due instant a schedule's Input or a queue message carries, if any (a timer armed before precise timers has none). */
export function dueAtOf(input: unknown): Date | undefined {
  let value = input;
  if (typeof value === 'string') {
    try {
      value = JSON.parse(value);
    } catch {
      return undefined;
    }
  }
  const due = typeof value === 'object' && value !== null ? (value as { dueAt?: unknown }).dueAt : undefined;
  if (typeof due !== 'string') return undefined;
  const at = new Date(due);
  return Number.isNaN(at.getTime()) ? undefined : at;
}

/** A queued timer read back from JSON: the payload (checked by the shared guard) and its due instant; throws `Invalid` on a bad payload. */
export function parseQueuedTimer(input: unknown): { payload: TimerPayload; dueAt: Date | undefined } {
  return { payload: parseTimerPayload(input), dueAt: dueAtOf(input) };
}

/** What an SqsTimerQueue needs: its client, the queue URL per precise timer kind, a clock. */
export interface SqsTimerQueueOptions {
  /** The client, or a function making it on first use (a container that sends nothing never loads it). */
  client: SQSClient | (() => Promise<SQSClient>);
  /** The queue of each precise kind (its consumer is that kind's function); kinds without one are not precise. */
  queues: Partial<Record<TimerPayload['kind'], string>>;
  clock: Clock;
}

/** Sends precise timers to their kind's queue with the delay that lands them at their instant. */
export class SqsTimerQueue {
  private client: Promise<SQSClient> | undefined;

  constructor(private readonly opts: SqsTimerQueueOptions) {}

  /** True when timers of `kind` have a queue (they are precise). */
  handles(kind: TimerPayload['kind']): boolean {
    return !!this.opts.queues[kind];
  }

  /** Queues `payload` to be delivered at `dueAt` (at once when due); returns the delay given. */
  async send(payload: TimerPayload, dueAt: Date): Promise<{ delaySeconds: number }> {
    const queueUrl = this.opts.queues[payload.kind];
    if (!queueUrl) throw new Error(`no precise-timer queue for ${payload.kind} timers`);
    const delay = delaySeconds(dueAt, this.opts.clock.now());
    const body: QueuedTimer = { ...payload, dueAt: dueAt.toISOString() };
    const { SendMessageCommand } = await import('@aws-sdk/client-sqs');
    const given = this.opts.client;
    const client = await (this.client ??= typeof given === 'function' ? given() : Promise.resolve(given));
    await client.send(
      new SendMessageCommand({ QueueUrl: queueUrl, MessageBody: JSON.stringify(body), DelaySeconds: delay }),
    );
    return { delaySeconds: delay };
  }
}
