import {
  CreateScheduleCommand,
  DeleteScheduleCommand,
  ListSchedulesCommand,
  UpdateScheduleCommand,
  type CreateScheduleCommandInput,
  type SchedulerClient,
} from '@aws-sdk/client-scheduler';
import type { Clock, Scheduler, Timer, TimerPayload } from '@drumbeat/core';
import { atExpression, DEFAULT_MIN_LEAD_MS, fireInstant } from './schedule-time.js';
import { DEFAULT_PRECISE_LEAD_MS, MAX_DELAY_SECONDS, type QueuedTimer, type SqsTimerQueue } from './timer-queue.js';

/** How EventBridge retries a failed invocation before giving up (to the dead-letter queue, if any). */
export interface ScheduleRetryPolicy {
  maximumRetryAttempts: number;
  maximumEventAgeSeconds: number;
}

/** What an EventBridgeScheduler needs: its client, where schedules live, whom they invoke. */
export interface EventBridgeSchedulerOptions {
  client: SchedulerClient;
  /** The schedule group every timer is created in (made by the infrastructure). */
  groupName: string;
  /** The role EventBridge Scheduler assumes to invoke the targets. */
  roleArn: string;
  /** The Lambda each payload kind invokes; approval-request digests and import leases run in the watchdog function unless given their own. */
  targets: {
    publish: string;
    watchdog: string;
    deliver: string;
    'review-digest'?: string;
    listen?: string;
    'import-lease'?: string;
  };
  /** Where invocations that exhaust their retries go (an SQS queue ARN). */
  deadLetterArn?: string;
  clock: Clock;
  /** Earliest notice given to EventBridge for a timer; see `fireInstant`. Default one minute. */
  minLeadMs?: number;
  /** Default: 10 attempts within an hour; the handlers are idempotent. */
  retryPolicy?: ScheduleRetryPolicy;
  /**
   * Precise timers (the kinds the queue handles): armed `leadMs` early (default
   * 75 s), their target relays them to the queue with the delay that lands
   * them at their instant; one due sooner than `leadMs` plus EventBridge's
   * minimum notice goes to the queue at once.
   */
  precise?: { queue: SqsTimerQueue; leadMs?: number };
}

/** Kinds the watchdog function runs when they have no target of their own (functions/watchdog.ts routes on the kind). */
const WATCHDOG_HOSTED = new Set<TimerPayload['kind']>(['review-digest', 'import-lease']);

const DEFAULT_RETRY: ScheduleRetryPolicy = { maximumRetryAttempts: 10, maximumEventAgeSeconds: 3600 };

const isError = (err: unknown, name: string): boolean => err instanceof Error && err.name === name;

const STAMP = /^\d{8}T\d{6}$/;

/** The schedule name of `timer` armed for `when`: `<timer name>.<yyyymmddThhmmss>` (UTC), at most 64 characters. */
export function scheduleName(timerName: string, when: Date): string {
  const stamp = when.toISOString().slice(0, 19).replace(/[-:]/g, '');
  const name = `${timerName}.${stamp}`;
  if (name.length > 64) throw new Error(`timer name "${timerName}" is too long for an EventBridge schedule name`);
  return name;
}

/**
 * The Scheduler port on EventBridge Scheduler: one one-time `at()` schedule per
 * timer, deleted by EventBridge once it has fired (ActionAfterCompletion
 * DELETE). The schedule's name carries its fire instant
 * (`watchdog-acc_1.20300102T093000`): EventBridge's after-completion delete
 * removes a schedule by name, whenever it lands, so a handler that re-armed
 * the very name that was firing (the watchdog chain, publish retries,
 * delivery attempts) could see its new timer deleted under it. Re-arming
 * therefore creates a fresh name first, then deletes the timer's other
 * schedules (found by name prefix); cancelling deletes them all. A missing
 * schedule is fine either way.
 *
 * With `precise`, publish and deadline timers land to the second: the
 * schedule fires a lead early and its target relays the payload (with
 * `dueAt`) to an SQS queue delayed to the instant (`timer-event.ts`). A
 * message already queued cannot be cancelled: its handler finds nothing to
 * do (the post's claim needs it scheduled and due), as for any duplicate.
 */
export class EventBridgeScheduler implements Scheduler {
  private readonly minLeadMs: number;
  private readonly retry: ScheduleRetryPolicy;

  constructor(private readonly opts: EventBridgeSchedulerOptions) {
    this.minLeadMs = opts.minLeadMs ?? DEFAULT_MIN_LEAD_MS;
    this.retry = opts.retryPolicy ?? DEFAULT_RETRY;
  }

  /** Arms the timer under a name of its own fire instant, then removes the timer's other schedules. */
  async schedule(timer: Timer): Promise<void> {
    const precise = this.opts.precise?.queue.handles(timer.payload.kind) ? this.opts.precise : undefined;
    const leadMs = precise ? (precise.leadMs ?? DEFAULT_PRECISE_LEAD_MS) : 0;
    if (precise && this.direct(timer.at, leadMs)) {
      // Too close for EventBridge to land before its instant: the queue's delay alone does it.
      await precise.queue.send(timer.payload, timer.at);
      await this.removeSchedules(timer.name);
      return;
    }
    const input = this.scheduleInput(timer, leadMs);
    try {
      await this.opts.client.send(new CreateScheduleCommand(input));
    } catch (err) {
      // The same timer armed for the same instant already: make it match (idempotent re-arm).
      if (!isError(err, 'ConflictException')) throw err;
      try {
        await this.opts.client.send(new UpdateScheduleCommand(input));
      } catch (e) {
        // It fired and deleted itself meanwhile: its instant is at least a minute away, so it cannot have; surface anything else.
        if (!isError(e, 'ResourceNotFoundException')) throw e;
        await this.opts.client.send(new CreateScheduleCommand(input));
      }
    }
    await this.removeSchedules(timer.name, input.Name);
  }

  /** Deletes every schedule of the timer; none existing (already fired, never made) is fine. */
  async cancel(name: string): Promise<void> {
    await this.removeSchedules(name);
  }

  /** The timer's schedules: its armed instants, and a schedule named exactly after it (armed before names carried the instant). */
  private async schedulesOf(name: string): Promise<string[]> {
    const names: string[] = [];
    let token: string | undefined;
    do {
      const page = await this.opts.client.send(
        new ListSchedulesCommand({
          GroupName: this.opts.groupName,
          NamePrefix: name,
          ...(token ? { NextToken: token } : {}),
        }),
      );
      for (const s of page.Schedules ?? [])
        if (s.Name && (s.Name === name || (s.Name.startsWith(`${name}.`) && STAMP.test(s.Name.slice(name.length + 1)))))
          names.push(s.Name);
      token = page.NextToken;
    } while (token);
    return names;
  }

  private async removeSchedules(name: string, keep?: string): Promise<void> {
    for (const scheduled of await this.schedulesOf(name)) {
      if (scheduled === keep) continue;
      try {
        await this.opts.client.send(new DeleteScheduleCommand({ Name: scheduled, GroupName: this.opts.groupName }));
      } catch (err) {
        if (!isError(err, 'ResourceNotFoundException')) throw err;
      }
    }
  }

  /** A precise timer goes straight to the queue when EventBridge could not fire `leadMs` before it (and its delay fits SQS's cap). */
  private direct(at: Date, leadMs: number): boolean {
    const ahead = at.getTime() - this.opts.clock.now().getTime();
    return ahead < Math.min(leadMs + this.minLeadMs, MAX_DELAY_SECONDS * 1000);
  }

  private scheduleInput(timer: Timer, leadMs: number): CreateScheduleCommandInput {
    const kind = timer.payload.kind;
    const arn = this.opts.targets[kind] ?? (WATCHDOG_HOSTED.has(kind) ? this.opts.targets.watchdog : undefined);
    // Listening (issue 18) has no Lambda target in the stack yet: refuse loudly rather than arm a timer nothing receives.
    if (!arn) throw new Error(`no scheduler target for ${timer.payload.kind} timers`);
    const payload: TimerPayload | QueuedTimer =
      leadMs > 0 ? { ...timer.payload, dueAt: timer.at.toISOString() } : timer.payload;
    const when = fireInstant(new Date(timer.at.getTime() - leadMs), this.opts.clock.now(), this.minLeadMs);
    return {
      Name: scheduleName(timer.name, when),
      GroupName: this.opts.groupName,
      ScheduleExpression: atExpression(when),
      ScheduleExpressionTimezone: 'UTC',
      FlexibleTimeWindow: { Mode: 'OFF' },
      ActionAfterCompletion: 'DELETE',
      State: 'ENABLED',
      Target: {
        Arn: arn,
        RoleArn: this.opts.roleArn,
        Input: JSON.stringify(payload),
        RetryPolicy: {
          MaximumRetryAttempts: this.retry.maximumRetryAttempts,
          MaximumEventAgeInSeconds: this.retry.maximumEventAgeSeconds,
        },
        ...(this.opts.deadLetterArn ? { DeadLetterConfig: { Arn: this.opts.deadLetterArn } } : {}),
      },
    };
  }
}
