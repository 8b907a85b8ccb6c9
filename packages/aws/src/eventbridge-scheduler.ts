import {
  CreateScheduleCommand,
  DeleteScheduleCommand,
  UpdateScheduleCommand,
  type CreateScheduleCommandInput,
  type SchedulerClient,
} from '@aws-sdk/client-scheduler';
import type { Clock, Scheduler, Timer, TimerPayload } from '@drumbeat/core';
import { atExpression, DEFAULT_MIN_LEAD_MS, fireInstant } from './schedule-time.js';

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
  /** The Lambda each payload kind invokes. */
  targets: { publish: string; watchdog: string; deliver: string };
  /** Where invocations that exhaust their retries go (an SQS queue ARN). */
  deadLetterArn?: string;
  clock: Clock;
  /** Earliest notice given to EventBridge for a timer; see `fireInstant`. Default one minute. */
  minLeadMs?: number;
  /** Default: 10 attempts within an hour; the handlers are idempotent. */
  retryPolicy?: ScheduleRetryPolicy;
}

const DEFAULT_RETRY: ScheduleRetryPolicy = { maximumRetryAttempts: 10, maximumEventAgeSeconds: 3600 };

const isError = (err: unknown, name: string): boolean => err instanceof Error && err.name === name;

/**
 * The Scheduler port on EventBridge Scheduler: one one-time `at()` schedule per
 * timer, named after it, deleted by EventBridge once it has fired. Re-arming
 * a name updates its schedule; cancelling a missing one succeeds.
 */
export class EventBridgeScheduler implements Scheduler {
  private readonly minLeadMs: number;
  private readonly retry: ScheduleRetryPolicy;

  constructor(private readonly opts: EventBridgeSchedulerOptions) {
    this.minLeadMs = opts.minLeadMs ?? DEFAULT_MIN_LEAD_MS;
    this.retry = opts.retryPolicy ?? DEFAULT_RETRY;
  }

  /** Creates the timer's schedule, or replaces it when one of that name exists. */
  async schedule(timer: Timer): Promise<void> {
    const input = this.scheduleInput(timer);
    // Create; if the name exists, update; if it vanished meanwhile (fired and
    // auto-deleted), create again. Two rounds settle any single race.
    for (let round = 0; round < 2; round++) {
      try {
        await this.opts.client.send(new CreateScheduleCommand(input));
        return;
      } catch (err) {
        if (!isError(err, 'ConflictException')) throw err;
      }
      try {
        await this.opts.client.send(new UpdateScheduleCommand(input));
        return;
      } catch (err) {
        if (!isError(err, 'ResourceNotFoundException') || round === 1) throw err;
      }
    }
  }

  /** Deletes the schedule of that name; a schedule that does not exist (already fired or never made) is fine. */
  async cancel(name: string): Promise<void> {
    try {
      await this.opts.client.send(new DeleteScheduleCommand({ Name: name, GroupName: this.opts.groupName }));
    } catch (err) {
      if (!isError(err, 'ResourceNotFoundException')) throw err;
    }
  }

  private scheduleInput(timer: Timer): CreateScheduleCommandInput {
    const payload: TimerPayload = timer.payload;
    const when = fireInstant(timer.at, this.opts.clock.now(), this.minLeadMs);
    return {
      Name: timer.name,
      GroupName: this.opts.groupName,
      ScheduleExpression: atExpression(when),
      ScheduleExpressionTimezone: 'UTC',
      FlexibleTimeWindow: { Mode: 'OFF' },
      ActionAfterCompletion: 'DELETE',
      State: 'ENABLED',
      Target: {
        Arn: this.opts.targets[payload.kind],
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
