import {
  CreateScheduleCommand,
  GetScheduleCommand,
  SchedulerClient,
  UpdateScheduleCommand,
} from '@aws-sdk/client-scheduler';
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

    const s = standin.timer(GROUP, 'post-pst_1');
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
    expect(req).toMatchObject({ operation: 'CreateSchedule', path: '/schedules/post-pst_1.20300102T093000' });
    expect(req!.body).toMatchObject({ GroupName: GROUP });
    expect(req!.body!.ClientToken).toEqual(expect.any(String));
    expect(req!.headers.authorization).toMatch(
      /^AWS4-HMAC-SHA256 Credential=AKIDSTANDIN\/\d{8}\/us-east-1\/scheduler\/aws4_request/,
    );
  });

  it('sends a watchdog timer to the watchdog function', async () => {
    await scheduler.schedule(timer(watchdog, '2030-01-03T00:00:00.000Z'));

    const s = standin.timer(GROUP, 'watchdog-acc_1');
    expect(s?.Target.Arn).toBe(WATCHDOG);
    expect(JSON.parse(s!.Target.Input!)).toEqual(watchdog);
  });

  it('leaves out the dead-letter queue when none is configured', async () => {
    const bare = new EventBridgeScheduler({
      client,
      groupName: GROUP,
      roleArn: ROLE,
      targets: { publish: PUBLISH, watchdog: WATCHDOG, deliver: DELIVER },
      clock,
    });
    await bare.schedule(timer(publish, '2030-01-02T09:30:00.000Z'));

    expect(standin.timer(GROUP, 'post-pst_1')?.Target.DeadLetterConfig).toBeUndefined();
  });

  it('reschedules under a fresh name carrying the new instant, then deletes the old schedule', async () => {
    await scheduler.schedule(timer(publish, '2030-01-02T09:30:00.000Z'));
    await scheduler.schedule(timer(publish, '2030-01-05T18:45:10.000Z'));

    expect(standin.requests.map((r) => r.operation)).toEqual([
      'CreateSchedule',
      'ListSchedules',
      'CreateSchedule',
      'ListSchedules',
      'DeleteSchedule',
    ]);
    expect(standin.requestsOf('CreateSchedule').map((r) => r.name)).toEqual([
      'post-pst_1.20300102T093000',
      'post-pst_1.20300105T184510',
    ]);
    expect(standin.requestsOf('ListSchedules')[0]!.query).toMatchObject({
      ScheduleGroup: GROUP,
      NamePrefix: 'post-pst_1',
    });
    expect(standin.requestsOf('DeleteSchedule')[0]).toMatchObject({
      name: 'post-pst_1.20300102T093000',
      query: { groupName: GROUP },
    });
    expect(standin.schedules.size).toBe(1);
    const s = standin.timer(GROUP, 'post-pst_1')!;
    expect(s.ScheduleExpression).toBe('at(2030-01-05T18:45:10)');
    expect(s.Target).toMatchObject({ Arn: PUBLISH, RoleArn: ROLE, DeadLetterConfig: { Arn: DLQ } });
  });

  it('re-arming the same instant is idempotent, and leaves other timers sharing the prefix alone', async () => {
    const other: TimerPayload = { kind: 'publish', workspaceId: 'ws_1', postId: 'pst_10' };
    await scheduler.schedule(timer(other, '2030-01-02T09:30:00.000Z'));
    await scheduler.schedule(timer(publish, '2030-01-02T09:30:00.000Z'));
    await scheduler.schedule(timer(publish, '2030-01-02T09:30:00.000Z'));
    expect(standin.requestsOf('UpdateSchedule').map((r) => r.name)).toEqual(['post-pst_1.20300102T093000']);
    expect(standin.timer(GROUP, 'post-pst_1')!.ScheduleExpression).toBe('at(2030-01-02T09:30:00)');
    expect(standin.timer(GROUP, 'post-pst_10')).toBeDefined();
    expect(standin.requestsOf('DeleteSchedule')).toEqual([]);
  });

  it('finds the old schedules across ListSchedules pages, and one named before names carried the instant', async () => {
    standin.pageSize = 2;
    // A schedule armed by the previous version of the adapter: named exactly after the timer.
    await client.send(
      new CreateScheduleCommand({
        Name: 'post-pst_1',
        GroupName: GROUP,
        ScheduleExpression: 'at(2030-01-03T00:00:00)',
        FlexibleTimeWindow: { Mode: 'OFF' },
        Target: { Arn: PUBLISH, RoleArn: ROLE },
      }),
    );
    for (const day of ['04', '05', '06']) {
      await client.send(
        new CreateScheduleCommand({
          Name: `post-pst_1.203001${day}T000000`,
          GroupName: GROUP,
          ScheduleExpression: `at(2030-01-${day}T00:00:00)`,
          FlexibleTimeWindow: { Mode: 'OFF' },
          Target: { Arn: PUBLISH, RoleArn: ROLE },
        }),
      );
    }
    await scheduler.schedule(timer(publish, '2030-01-09T00:00:00.000Z'));
    expect(standin.timersOf(GROUP, 'post-pst_1').map((s) => s.Name)).toEqual(['post-pst_1.20300109T000000']);
    await scheduler.cancel('post-pst_1');
    expect(standin.timersOf(GROUP, 'post-pst_1')).toEqual([]);
  });

  it('surfaces errors other than a conflict', async () => {
    const elsewhere = new EventBridgeScheduler({
      client,
      groupName: 'no-such-group',
      roleArn: ROLE,
      targets: { publish: PUBLISH, watchdog: WATCHDOG, deliver: DELIVER },
      clock,
    });

    await expect(elsewhere.schedule(timer(publish, '2030-01-02T09:30:00.000Z'))).rejects.toMatchObject({
      name: 'ResourceNotFoundException',
    });
    expect(standin.requests.map((r) => r.operation)).toEqual(['CreateSchedule']);
  });
});

describe('a timer re-armed by the handler it fires (EventBridge deletes a fired schedule by name, after the invocation)', () => {
  /** What the watchdog does when its timer fires: arm the next deadline of the same timer. */
  const rearm = (at: string) => async (target: string, input: string) => {
    expect(target).toBe(WATCHDOG);
    await scheduler.schedule(timer(parseTimerPayload(input), at));
  };

  it('loses the next deadline when the same name is updated (the race the stand-in reproduces)', async () => {
    // The same-name re-arm, done by hand through the SDK as the adapter used to.
    await client.send(
      new CreateScheduleCommand({
        Name: 'watchdog-acc_1',
        GroupName: GROUP,
        ScheduleExpression: 'at(2030-01-01T12:05:00)',
        ActionAfterCompletion: 'DELETE',
        FlexibleTimeWindow: { Mode: 'OFF' },
        Target: { Arn: WATCHDOG, RoleArn: ROLE, Input: JSON.stringify(watchdog) },
      }),
    );
    clock.set('2030-01-01T12:05:00.000Z');
    await standin.fireDue(clock.now(), async () => {
      await client.send(
        new UpdateScheduleCommand({
          Name: 'watchdog-acc_1',
          GroupName: GROUP,
          ScheduleExpression: 'at(2030-01-01T13:00:00)',
          ActionAfterCompletion: 'DELETE',
          FlexibleTimeWindow: { Mode: 'OFF' },
          Target: { Arn: WATCHDOG, RoleArn: ROLE, Input: JSON.stringify(watchdog) },
        }),
      );
    });
    expect(standin.timer(GROUP, 'watchdog-acc_1')).toBeUndefined();
  });

  it('keeps the next deadline: it lives under a fresh name, and the fired one goes', async () => {
    await scheduler.schedule(timer(watchdog, '2030-01-01T12:05:00.000Z'));
    clock.set('2030-01-01T12:05:00.000Z');
    expect(await standin.fireDue(clock.now(), rearm('2030-01-01T13:00:00.000Z'))).toEqual([
      'watchdog-acc_1.20300101T120500',
    ]);
    expect(standin.timer(GROUP, 'watchdog-acc_1')?.ScheduleExpression).toBe('at(2030-01-01T13:00:00)');
    // And the chain goes on.
    clock.set('2030-01-01T13:00:00.000Z');
    await standin.fireDue(clock.now(), rearm('2030-01-01T14:00:00.000Z'));
    expect(standin.timer(GROUP, 'watchdog-acc_1')?.ScheduleExpression).toBe('at(2030-01-01T14:00:00)');
  });
});

describe('a due time that is now, past or too close', () => {
  it('moves a past due time to one minute from now, rounded up to the second', async () => {
    clock.set('2030-01-01T12:00:00.250Z');
    await scheduler.schedule(timer(publish, '2030-01-01T11:00:00.000Z'));

    expect(standin.timer(GROUP, 'post-pst_1')?.ScheduleExpression).toBe('at(2030-01-01T12:01:01)');
  });

  it('moves a timer due right now to one minute from now', async () => {
    await scheduler.schedule(timer(publish, '2030-01-01T12:00:00.000Z'));

    expect(standin.timer(GROUP, 'post-pst_1')?.ScheduleExpression).toBe('at(2030-01-01T12:01:00)');
  });

  it('moves a timer due within the minute to one minute from now', async () => {
    await scheduler.schedule(timer(publish, '2030-01-01T12:00:20.000Z'));

    expect(standin.timer(GROUP, 'post-pst_1')?.ScheduleExpression).toBe('at(2030-01-01T12:01:00)');
  });

  it('keeps a later due time, rounding a fraction of a second up so it never fires early', async () => {
    await scheduler.schedule(timer(publish, '2030-01-01T12:05:00.001Z'));

    expect(standin.timer(GROUP, 'post-pst_1')?.ScheduleExpression).toBe('at(2030-01-01T12:05:01)');
  });

  it('honours a configured lead, and EventBridge refuses a due time it lets through in the past', async () => {
    const short = (minLeadMs: number) =>
      new EventBridgeScheduler({
        client,
        groupName: GROUP,
        roleArn: ROLE,
        targets: { publish: PUBLISH, watchdog: WATCHDOG, deliver: DELIVER },
        clock,
        minLeadMs,
      });

    await short(5_000).schedule(timer(publish, '2030-01-01T11:59:00.000Z'));
    expect(standin.timer(GROUP, 'post-pst_1')?.ScheduleExpression).toBe('at(2030-01-01T12:00:05)');

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

    expect(standin.timer(GROUP, 'post-pst_1')).toBeUndefined();
    expect(standin.timer(GROUP, 'watchdog-acc_1')).toBeDefined();
    const del = standin.requestsOf('DeleteSchedule')[0]!;
    expect(del).toMatchObject({ method: 'DELETE', path: '/schedules/post-pst_1.20300102T093000' });
    expect(del.query.groupName).toBe(GROUP);
  });

  it('succeeds when the schedule does not exist', async () => {
    await expect(scheduler.cancel('post-pst_never')).resolves.toBeUndefined();
    await scheduler.schedule(timer(publish, '2030-01-02T09:30:00.000Z'));
    await scheduler.cancel('post-pst_1');
    await expect(scheduler.cancel('post-pst_1')).resolves.toBeUndefined();

    // Only what exists is deleted: nothing to find is no call at all.
    expect(standin.requestsOf('DeleteSchedule')).toHaveLength(1);
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

    for (const [name, payload] of [
      ['post-pst_1', publish],
      ['watchdog-acc_1', watchdog],
    ] as const) {
      const got = await client.send(
        new GetScheduleCommand({ Name: standin.timer(GROUP, name)!.Name, GroupName: GROUP }),
      );
      expect(got.ScheduleExpressionTimezone).toBe('UTC');
      expect(got.CreationDate).toBeInstanceOf(Date);
      // EventBridge invokes the Lambda with the Input JSON as its event.
      expect(parseTimerPayload(JSON.parse(got.Target!.Input!))).toEqual(payload);
      expect(parseTimerPayload(got.Target!.Input!)).toEqual(payload);
    }
  });
});
