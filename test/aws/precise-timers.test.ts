import { SchedulerClient } from '@aws-sdk/client-scheduler';
import { SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { delaySeconds, EventBridgeScheduler, handleTimerEvent, SqsTimerQueue } from '@drumbeat/aws';
import { ManualClock, timerName, type Timer, type TimerPayload } from '@drumbeat/core';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SchedulerStandin } from '../support/scheduler-standin.js';
import { SqsStandin } from '../support/sqs-standin.js';

/**
 * Precise timers on AWS: the schedule fires a lead early, its target relays
 * the payload to an SQS queue delayed to the instant, and the queue's
 * consumer runs it. Every AWS call goes through the real SDK clients to the
 * local Scheduler and SQS stand-ins.
 */

const GROUP = 'drumbeat-timers';
const PUBLISH = 'arn:aws:lambda:us-east-1:123456789012:function:publish';
const WATCHDOG = 'arn:aws:lambda:us-east-1:123456789012:function:watchdog';
const DELIVER = 'arn:aws:lambda:us-east-1:123456789012:function:webhooks';
const credentials = { accessKeyId: 'AKIDSTANDIN', secretAccessKey: 'standin-secret' };

const publish: TimerPayload = { kind: 'publish', workspaceId: 'ws_1', postId: 'pst_1' };
const timer = (payload: TimerPayload, at: string): Timer => ({ name: timerName(payload), at: new Date(at), payload });

let clock: ManualClock;
let schedules: SchedulerStandin;
let sqs: SqsStandin;
let sqsClient: SQSClient;
let schedulerClient: SchedulerClient;
let queue: SqsTimerQueue;
let scheduler: EventBridgeScheduler;
let publishQueue: string;

beforeEach(async () => {
  clock = new ManualClock('2030-01-01T12:00:00.000Z');
  schedules = await SchedulerStandin.start({ groups: [GROUP], now: () => clock.now() });
  sqs = await SqsStandin.start({ now: () => clock.now() });
  sqs.createQueue('publish-dlq');
  publishQueue = sqs.createQueue('publish-timers', {
    visibilityTimeoutSeconds: 120,
    redrive: { deadLetterQueue: 'publish-dlq', maxReceiveCount: 3 },
  });
  sqsClient = new SQSClient({ endpoint: sqs.endpoint, region: 'us-east-1', credentials, maxAttempts: 1 });
  schedulerClient = new SchedulerClient({
    endpoint: schedules.endpoint,
    region: 'us-east-1',
    credentials,
    maxAttempts: 1,
  });
  queue = new SqsTimerQueue({ client: sqsClient, queues: { publish: publishQueue }, clock });
  scheduler = new EventBridgeScheduler({
    client: schedulerClient,
    groupName: GROUP,
    roleArn: 'arn:aws:iam::123456789012:role/drumbeat-scheduler',
    targets: { publish: PUBLISH, watchdog: WATCHDOG, deliver: DELIVER },
    precise: { queue },
    clock,
  });
});

afterEach(async () => {
  sqsClient.destroy();
  schedulerClient.destroy();
  await Promise.all([schedules.close(), sqs.close()]);
});

describe('the delay that lands a message at its instant', () => {
  it('rounds up to the whole second, never early, 0 when due, at most 900', () => {
    const now = new Date('2030-01-01T12:00:00.000Z');
    expect(delaySeconds(new Date('2030-01-01T12:00:42.000Z'), now)).toBe(42);
    expect(delaySeconds(new Date('2030-01-01T12:00:42.001Z'), now)).toBe(43);
    expect(delaySeconds(new Date('2030-01-01T11:59:00.000Z'), now)).toBe(0);
    expect(delaySeconds(new Date('2030-01-01T13:00:00.000Z'), now)).toBe(900);
  });
});

describe('arming a precise timer', () => {
  it('arms the schedule 75 s before the instant, carrying the instant (dueAt) to the target', async () => {
    await scheduler.schedule(timer(publish, '2030-01-02T09:30:00.000Z'));
    const s = schedules.timer(GROUP, 'post-pst_1')!;
    expect(s.ScheduleExpression).toBe('at(2030-01-02T09:28:45)');
    expect(s.Target.Arn).toBe(PUBLISH);
    expect(JSON.parse(s.Target.Input!)).toEqual({ ...publish, dueAt: '2030-01-02T09:30:00.000Z' });
    expect(sqs.requestsOf('SendMessage')).toHaveLength(0);
  });

  it('sends a timer due too soon for EventBridge straight to the queue, with its delay, and removes its older schedule', async () => {
    await scheduler.schedule(timer(publish, '2030-01-02T09:30:00.000Z'));
    // Rescheduled to 20.4 s from now: EventBridge could not fire before it.
    await scheduler.schedule(timer(publish, '2030-01-01T12:00:20.400Z'));
    expect(schedules.timersOf(GROUP, 'post-pst_1')).toEqual([]);
    const [sent] = sqs.requestsOf('SendMessage');
    expect(sent!.body).toMatchObject({ QueueUrl: publishQueue, DelaySeconds: 21 });
    expect(JSON.parse(sent!.body.MessageBody as string)).toEqual({ ...publish, dueAt: '2030-01-01T12:00:20.400Z' });
  });

  it('speaks SQS JSON as the SDK does: the target header, the query-compatible header, a signed request', async () => {
    await queue.send(publish, new Date('2030-01-01T12:00:05Z'));
    const [req] = sqs.requests;
    expect(req!.operation).toBe('SendMessage');
    expect(req!.headers['x-amz-target']).toBe('AmazonSQS.SendMessage');
    expect(req!.headers['content-type']).toBe('application/x-amz-json-1.0');
    expect(req!.headers['x-amzn-query-mode']).toBe('true');
    expect(req!.headers.authorization).toMatch(
      /^AWS4-HMAC-SHA256 Credential=AKIDSTANDIN\/\d{8}\/us-east-1\/sqs\/aws4_request/,
    );
  });

  it('surfaces SQS refusals as the SDK parses them (a missing queue, a delay over 15 minutes)', async () => {
    const missing = new SqsTimerQueue({ client: sqsClient, queues: { publish: sqs.url('gone') }, clock });
    await expect(missing.send(publish, clock.now())).rejects.toMatchObject({
      name: 'QueueDoesNotExist',
      Code: 'AWS.SimpleQueueService.NonExistentQueue',
    });
    await expect(
      sqsClient.send(new SendMessageCommand({ QueueUrl: publishQueue, MessageBody: 'x', DelaySeconds: 901 })),
    ).rejects.toMatchObject({ name: 'InvalidParameterValue' });
  });

  it('leaves the timers of other kinds as they were: at their instant, invoking their function directly', async () => {
    const deliver: TimerPayload = { kind: 'deliver', workspaceId: 'ws_1', deliveryId: 'dlv_1' };
    await scheduler.schedule(timer(deliver, '2030-01-01T12:00:10.000Z'));
    const s = schedules.timer(GROUP, 'deliver-dlv_1')!;
    expect(s.ScheduleExpression).toBe('at(2030-01-01T12:01:00)');
    expect(JSON.parse(s.Target.Input!)).toEqual(deliver);
    expect(sqs.requests).toHaveLength(0);
  });
});

describe('the path from the schedule to the run', () => {
  /** The publish function: relays schedules, runs queued records; records what ran and when. */
  const ran: { payload: TimerPayload; at: string }[] = [];
  let failNext = 0;
  const handler = (event: unknown) =>
    handleTimerEvent(event, {
      kind: 'publish',
      queue,
      clock,
      log: () => {},
      sleep: async (ms) => clock.advance(ms),
      run: async (payload) => {
        if (failNext > 0) {
          failNext--;
          throw new Error('store down');
        }
        ran.push({ payload, at: clock.now().toISOString() });
        return 'published';
      },
    });
  beforeEach(() => {
    ran.length = 0;
    failNext = 0;
  });

  it('fires early, relays, and runs at the instant to the second', async () => {
    await scheduler.schedule(timer(publish, '2030-01-01T12:10:00.000Z'));
    // EventBridge fires somewhere in the minute after 12:08:45: here, 37.3 s into it.
    clock.set('2030-01-01T12:09:22.300Z');
    expect(
      await schedules.fireDue(clock.now(), (arn, input) => (expect(arn).toBe(PUBLISH), handler(JSON.parse(input)))),
    ).toHaveLength(1);
    // 37.7 s to go: the relay waits out the 0.7 s SQS cannot delay, then asks for 37 s, which end on the instant.
    expect(sqs.requestsOf('SendMessage')[0]!.body.DelaySeconds).toBe(37);
    expect(schedules.timersOf(GROUP, 'post-pst_1')).toEqual([]);
    // Nothing is visible before the delay ends.
    clock.set('2030-01-01T12:09:59.999Z');
    expect(await sqs.poll('publish-timers', handler)).toEqual([]);
    expect(sqs.nextVisibleAt('publish-timers')!.toISOString()).toBe('2030-01-01T12:10:00.000Z');
    clock.set('2030-01-01T12:10:00.000Z');
    expect(await sqs.poll('publish-timers', handler)).toHaveLength(1);
    expect(ran).toEqual([{ payload: publish, at: '2030-01-01T12:10:00.000Z' }]);
    expect(sqs.queue('publish-timers').messages).toEqual([]);
  });

  it('reports only the failed record of a batch; it comes back after the visibility timeout, then goes to the dead-letter queue', async () => {
    const other: TimerPayload = { kind: 'publish', workspaceId: 'ws_1', postId: 'pst_2' };
    await queue.send(publish, clock.now());
    await queue.send(other, clock.now());
    failNext = 1;
    await sqs.poll('publish-timers', handler);
    expect(ran.map((r) => r.payload)).toEqual([other]);
    expect(sqs.queue('publish-timers').messages).toHaveLength(1);
    // Fails twice more (3 receives in all), then SQS moves it to the dead-letter queue.
    for (let i = 0; i < 2; i++) {
      clock.advance(120_000);
      failNext = 1;
      expect(await sqs.poll('publish-timers', handler)).toHaveLength(1);
    }
    clock.advance(120_000);
    expect(await sqs.poll('publish-timers', handler)).toEqual([]);
    expect(sqs.queue('publish-dlq').messages.map((m) => JSON.parse(m.body))).toEqual([
      { ...publish, dueAt: '2030-01-01T12:00:00.000Z' },
    ]);
  });

  it('never runs a record early: one a second early waits, one further ahead goes back on the queue', async () => {
    await queue.send(publish, new Date('2030-01-01T12:00:00.800Z'));
    // The consumer's clock is a little ahead of SQS's view: the record shows up 0.8 s before its instant.
    sqs.queue('publish-timers').messages[0]!.visibleAt = clock.now().getTime();
    await sqs.poll('publish-timers', handler);
    expect(ran).toEqual([{ payload: publish, at: '2030-01-01T12:00:00.800Z' }]);

    ran.length = 0;
    const far = new Date(clock.now().getTime() + 20 * 60_000);
    await sqs.poll('publish-timers', handler); // nothing
    sqs.queue('publish-timers').messages.push({
      messageId: 'm-far',
      body: JSON.stringify({ ...publish, dueAt: far.toISOString() }),
      sentAt: 0,
      delaySeconds: 0,
      visibleAt: 0,
      receiveCount: 0,
    });
    await sqs.poll('publish-timers', handler);
    expect(ran).toEqual([]);
    const [requeued] = sqs.queue('publish-timers').messages;
    expect(requeued!.delaySeconds).toBe(900);
  });

  it('a duplicate delivery reaches the use-case again (its claim absorbs it), and a timer of another kind is refused', async () => {
    await queue.send(publish, clock.now());
    const [m] = sqs.queue('publish-timers').messages;
    sqs.queue('publish-timers').messages.push({ ...m!, messageId: 'dup' });
    await sqs.poll('publish-timers', handler);
    expect(ran).toHaveLength(2);
    await expect(
      handler({ kind: 'watchdog', workspaceId: 'ws_1', accountId: 'acc_1', dueAt: clock.now().toISOString() }),
    ).rejects.toThrow(/got a watchdog timer/);
  });

  it('runs a schedule armed before precise timers (no dueAt) at once, as before', async () => {
    expect(await handler(publish)).toBe('published');
    expect(sqs.requests).toHaveLength(0);
  });
});
