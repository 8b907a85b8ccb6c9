import { GetScheduleCommand, SchedulerClient } from '@aws-sdk/client-scheduler';
import { EventBridgeScheduler, parseTimerPayload } from '@drumbeat/aws';
import { ManualClock, timerName, type Timer, type TimerPayload } from '@drumbeat/core';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SchedulerStandin } from '../support/scheduler-standin.js';

const GROUP = 'drumbeat-timers';
const ROLE = 'arn:aws:iam::123456789012:role/drumbeat-scheduler';
const PUBLISH = 'arn:aws:lambda:us-east-1:123456789012:function:publish';
const WATCHDOG = 'arn:aws:lambda:us-east-1:123456789012:function:watchdog';
const DELIVER = 'arn:aws:lambda:us-east-1:123456789012:function:drumbeat-webhooks';
const DLQ = 'arn:aws:sqs:us-east-1:123456789012:drumbeat-timers-dlq';

const publish: TimerPayload = { kind: 'publish', workspaceId: 'ws_1', postId: 'pst_1' };
const watchdog: TimerPayload = { kind: 'watchdog', workspaceId: 'ws_1', accountId: 'acc_1' };
const timer = (payload: TimerPayload, at: string): Timer => ({ name: timerName(payload), at: new Date(at), payload });

let standin: SchedulerStandin;
let client: SchedulerClient;
let clock: ManualClock;
let scheduler: EventBridgeScheduler;

beforeEach(async () => {
  clock = new ManualClock('2030-01-01T12:00:00.000Z');
  standin = await SchedulerStandin.start({ groups: [GROUP], now: () => clock.now() });
  client = new SchedulerClient({
    endpoint: standin.endpoint,
    region: 'us-east-1',
    credentials: { accessKeyId: 'AKIDSTANDIN', secretAccessKey: 'standin-secret' },
    maxAttempts: 1,
  });
  scheduler = new EventBridgeScheduler({
    client,
    groupName: GROUP,
    roleArn: ROLE,
    targets: { publish: PUBLISH, watchdog: WATCHDOG, deliver: DELIVER },
    deadLetterArn: DLQ,
    clock,
  });
});

afterEach(async () => {
  client.destroy();
  await standin.close();
});

describe('schedule', () => {
  it('creates a one-time UTC at() schedule in the group that invokes the publish function', async () => {
    await scheduler.schedule(timer(publish, '2030-01-02T09:30:00.000Z'));

    const s = standin.get(GROUP, 'post-pst_1');
    expect(s).toMatchObject({
      ScheduleExpression: 'at(2030-01-02T09:30:00)',
      ScheduleExpressionTimezone: 'UTC',
      FlexibleTimeWindow: { Mode: 'OFF' },
      ActionAfterCompletion: 'DELETE',
      State: 'ENABLED',
      Target: {
        Arn: PUBLISH,
        RoleArn: ROLE,
        RetryPolicy: { MaximumRetryAttempts: 10, MaximumEventAgeInSeconds: 3600 },
        DeadLetterConfig: { Arn: DLQ },
      },
    });
    expect(JSON.parse(s!.Target.Input!)).toEqual(publish);
  });

  it('sends a signed POST to /schedules/{Name} with the group and an idempotency token in the body', async () => {
    await scheduler.schedule(timer(publish, '2030-01-02T09:30:00.000Z'));

    const [req] = standin.requests;
    expect(req).toMatchObject({ operation: 'CreateSchedule', path: '/schedules/post-pst_1' });
    expect(req!.body).toMatchObject({ GroupName: GROUP });
    expect(req!.body!.ClientToken).toEqual(expect.any(String));
    expect(req!.headers.authorization).toMatch(/^AWS4-HMAC-SHA256 Credential=AKIDSTANDIN\/\d{8}\/us-east-1\/scheduler\/aws4_request/);
  });

  it('sends a watchdog timer to the watchdog function', async () => {
    await scheduler.schedule(timer(watchdog, '2030-01-03T00:00:00.000Z'));

    const s = standin.get(GROUP, 'watchdog-acc_1');
    expect(s?.Target.Arn).toBe(WATCHDOG);
    expect(JSON.parse(s!.Target.Input!)).toEqual(watchdog);
  });

  it('leaves out the dead-letter queue when none is configured', async () => {
    const bare = new EventBridgeScheduler({ client, groupName: GROUP, roleArn: ROLE, targets: { publish: PUBLISH, watchdog: WATCHDOG, deliver: DELIVER }, clock });
    await bare.schedule(timer(publish, '2030-01-02T09:30:00.000Z'));

    expect(standin.get(GROUP, 'post-pst_1')?.Target.DeadLetterConfig).toBeUndefined();
  });

  it('reschedules a timer that already exists by updating its schedule', async () => {
    await scheduler.schedule(timer(publish, '2030-01-02T09:30:00.000Z'));
    await scheduler.schedule(timer(publish, '2030-01-05T18:45:10.000Z'));

    expect(standin.requests.map((r) => r.operation)).toEqual(['CreateSchedule', 'CreateSchedule', 'UpdateSchedule']);
    const update = standin.requestsOf('UpdateSchedule')[0]!;
    expect(update.method).toBe('PUT');
    expect(update.body).toMatchObject({ GroupName: GROUP, ActionAfterCompletion: 'DELETE', FlexibleTimeWindow: { Mode: 'OFF' } });
    expect(standin.schedules.size).toBe(1);
    const s = standin.get(GROUP, 'post-pst_1')!;
    expect(s.ScheduleExpression).toBe('at(2030-01-05T18:45:10)');
    expect(s.Target).toMatchObject({ Arn: PUBLISH, RoleArn: ROLE, DeadLetterConfig: { Arn: DLQ } });
  });

  it('creates again when the schedule fired and vanished between the conflict and the update', async () => {
    await scheduler.schedule(timer(publish, '2030-01-02T09:30:00.000Z'));
    standin.onRequest = (r) => {
      if (r.operation === 'UpdateSchedule') standin.schedules.delete(`${GROUP}/post-pst_1`);
    };
    await scheduler.schedule(timer(publish, '2030-01-04T10:00:00.000Z'));

    expect(standin.requests.map((r) => r.operation)).toEqual([
      'CreateSchedule',
      'CreateSchedule',
      'UpdateSchedule',
      'CreateSchedule',
    ]);
    expect(standin.get(GROUP, 'post-pst_1')?.ScheduleExpression).toBe('at(2030-01-04T10:00:00)');
  });

  it('surfaces errors other than a conflict', async () => {
    const elsewhere = new EventBridgeScheduler({ client, groupName: 'no-such-group', roleArn: ROLE, targets: { publish: PUBLISH, watchdog: WATCHDOG, deliver: DELIVER }, clock });

    await expect(elsewhere.schedule(timer(publish, '2030-01-02T09:30:00.000Z'))).rejects.toMatchObject({
      name: 'ResourceNotFoundException',
    });
    expect(standin.requests.map((r) => r.operation)).toEqual(['CreateSchedule']);
  });
});

describe('a due time that is now, past or too close', () => {
  it('moves a past due time to one minute from now, rounded up to the second', async () => {
    clock.set('2030-01-01T12:00:00.250Z');
    await scheduler.schedule(timer(publish, '2030-01-01T11:00:00.000Z'));

    expect(standin.get(GROUP, 'post-pst_1')?.ScheduleExpression).toBe('at(2030-01-01T12:01:01)');
  });

  it('moves a timer due right now to one minute from now', async () => {
    await scheduler.schedule(timer(publish, '2030-01-01T12:00:00.000Z'));

    expect(standin.get(GROUP, 'post-pst_1')?.ScheduleExpression).toBe('at(2030-01-01T12:01:00)');
  });

  it('moves a timer due within the minute to one minute from now', async () => {
    await scheduler.schedule(timer(publish, '2030-01-01T12:00:20.000Z'));

    expect(standin.get(GROUP, 'post-pst_1')?.ScheduleExpression).toBe('at(2030-01-01T12:01:00)');
  });

  it('keeps a later due time, rounding a fraction of a second up so it never fires early', async () => {
    await scheduler.schedule(timer(publish, '2030-01-01T12:05:00.001Z'));

    expect(standin.get(GROUP, 'post-pst_1')?.ScheduleExpression).toBe('at(2030-01-01T12:05:01)');
  });

  it('honours a configured lead, and EventBridge refuses a due time it lets through in the past', async () => {
    const short = (minLeadMs: number) =>
      new EventBridgeScheduler({ client, groupName: GROUP, roleArn: ROLE, targets: { publish: PUBLISH, watchdog: WATCHDOG, deliver: DELIVER }, clock, minLeadMs });

    await short(5_000).schedule(timer(publish, '2030-01-01T11:59:00.000Z'));
    expect(standin.get(GROUP, 'post-pst_1')?.ScheduleExpression).toBe('at(2030-01-01T12:00:05)');

    await expect(short(0).schedule(timer(watchdog, '2030-01-01T11:59:00.000Z'))).rejects.toMatchObject({
      name: 'ValidationException',
    });
  });
});

describe('cancel', () => {
  it('deletes the schedule of that name in the group', async () => {
    await scheduler.schedule(timer(publish, '2030-01-02T09:30:00.000Z'));
    await scheduler.schedule(timer(watchdog, '2030-01-02T09:30:00.000Z'));
    await scheduler.cancel('post-pst_1');

    expect(standin.get(GROUP, 'post-pst_1')).toBeUndefined();
    expect(standin.get(GROUP, 'watchdog-acc_1')).toBeDefined();
    const del = standin.requestsOf('DeleteSchedule')[0]!;
    expect(del).toMatchObject({ method: 'DELETE', path: '/schedules/post-pst_1' });
    expect(del.query.groupName).toBe(GROUP);
  });

  it('succeeds when the schedule does not exist', async () => {
    await expect(scheduler.cancel('post-pst_never')).resolves.toBeUndefined();
    await scheduler.schedule(timer(publish, '2030-01-02T09:30:00.000Z'));
    await scheduler.cancel('post-pst_1');
    await expect(scheduler.cancel('post-pst_1')).resolves.toBeUndefined();

    expect(standin.requestsOf('DeleteSchedule')).toHaveLength(3);
  });

  it('surfaces a service failure', async () => {
    standin.onRequest = () => {
      throw new Error('boom');
    };

    await expect(scheduler.cancel('post-pst_1')).rejects.toMatchObject({ name: 'InternalServerException' });
  });
});

describe('the payload a handler receives', () => {
  it('round-trips through the service and parseTimerPayload', async () => {
    await scheduler.schedule(timer(publish, '2030-01-02T09:30:00.000Z'));
    await scheduler.schedule(timer(watchdog, '2030-01-02T09:30:00.000Z'));

    for (const [name, payload] of [['post-pst_1', publish], ['watchdog-acc_1', watchdog]] as const) {
      const got = await client.send(new GetScheduleCommand({ Name: name, GroupName: GROUP }));
      expect(got.ScheduleExpressionTimezone).toBe('UTC');
      expect(got.CreationDate).toBeInstanceOf(Date);
      // EventBridge invokes the Lambda with the Input JSON as its event.
      expect(parseTimerPayload(JSON.parse(got.Target!.Input!))).toEqual(payload);
      expect(parseTimerPayload(got.Target!.Input!)).toEqual(payload);
    }
  });
});
