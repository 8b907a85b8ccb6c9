import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SQSClient } from '@aws-sdk/client-sqs';
import { handleTimerEvent, SqsTimerQueue } from '@drumbeat/aws';
import { AccountCreate, ManualClock, VoiceCreate } from '@drumbeat/core';
import { channelFor } from '@drumbeat/channels';
import type { Services } from '@drumbeat/services';
import { SchedulerStandin } from '../support/scheduler-standin.js';
import { eventBridgeOn, GROUP, servicesOnAws } from './aws-composition.js';
import { SqsStandin } from '../support/sqs-standin.js';
import { accountBody } from '../support/api.js';
import { json, startRecorder, type HttpRecorder } from '../support/http-recorder.js';

/**
 * Publishing on AWS with precise timers, end to end on the real services:
 * EventBridge (stand-in) fires a post's schedule 75 s early, the publish
 * function relays it to SQS (stand-in) delayed to the post's instant, and
 * the queue's batch publishes it through a real webhook receiver, once.
 */

const credentials = { accessKeyId: 'AKIDSTANDIN', secretAccessKey: 'standin-secret' };
const clock = new ManualClock('2026-11-23T10:00:00Z');
let schedules: SchedulerStandin;
let sqs: SqsStandin;
let services: Services;
let queue: SqsTimerQueue;
let receiver: HttpRecorder;
let close: () => Promise<void>;

/** The publish function: a relay for schedules, a consumer for the queue. */
const publishFn = (event: unknown) =>
  handleTimerEvent(event, {
    kind: 'publish',
    queue,
    clock,
    sleep: async (ms) => clock.advance(ms),
    log: () => {},
    run: (p) => services.publisher.run(p),
  });

beforeAll(async () => {
  schedules = await SchedulerStandin.start({ groups: [GROUP], now: () => clock.now() });
  sqs = await SqsStandin.start({ now: () => clock.now() });
  sqs.createQueue('publish-dlq');
  const url = sqs.createQueue('publish-timers', {
    visibilityTimeoutSeconds: 120,
    redrive: { deadLetterQueue: 'publish-dlq', maxReceiveCount: 3 },
  });
  queue = new SqsTimerQueue({
    client: new SQSClient({ endpoint: sqs.endpoint, region: 'us-east-1', credentials, maxAttempts: 1 }),
    queues: { publish: url },
    clock,
  });
  receiver = await startRecorder((_req, res) => json(res, 200, { url: 'https://social.example/p/1' }));
  ({ services, close } = await servicesOnAws(clock, eventBridgeOn(schedules, clock, { queue }), (c) =>
    channelFor(c, { allowPrivate: true, timeoutMs: 1000 }),
  ));
});
afterAll(async () => {
  await receiver.close();
  await close();
  await Promise.all([schedules.close(), sqs.close()]);
});

async function webhookPost(name: string, at: string) {
  const { workspace } = await services.workspaces.create({ name });
  const ws = workspace.id;
  const voice = await services.voices.create(ws, VoiceCreate.parse({ name: 'A', affiliation: 'in_house' }));
  const account = await services.accounts.create(
    ws,
    AccountCreate.parse(accountBody({ channel: { type: 'webhook', url: receiver.url }, cadence: undefined })),
  );
  const post = await services.posts.create(ws, account.id, { text: name, voiceId: voice.id, media: [], at });
  return { ws, post };
}

/** Polls the publish queue as Lambda's event source mapping would, at the stand-in clock's now. */
const poll = () => sqs.poll('publish-timers', publishFn);

describe('a post on AWS with precise timers', () => {
  it('leaves at its second, not in the minute after: fired 75 s early, relayed, delivered at the instant', async () => {
    clock.set('2026-11-23T10:00:00Z');
    const { ws, post } = await webhookPost('On the dot', '2026-11-23T11:00:00.000Z');
    expect(schedules.timer(GROUP, `post-${post.id}`)!.ScheduleExpression).toBe('at(2026-11-23T10:58:45)');
    // EventBridge fires 50 s into its minute: the function relays, nothing is published yet.
    clock.set('2026-11-23T10:59:35.400Z');
    await schedules.fireDue(clock.now(), (_arn, input) => publishFn(JSON.parse(input)));
    expect((await services.posts.get(ws, post.id)).status).toBe('scheduled');
    expect(receiver.requests).toHaveLength(0);
    // 24.6 s to go: the relay waits out the 0.6 s, then a delay of 24 s ends on 11:00:00.000.
    expect(sqs.requestsOf('SendMessage').at(-1)!.body.DelaySeconds).toBe(24);
    clock.set('2026-11-23T10:59:59.999Z');
    expect(await poll()).toEqual([]);
    // Lambda's poller hands it over 50 ms later.
    clock.set('2026-11-23T11:00:00.050Z');
    expect(await poll()).toHaveLength(1);
    const done = await services.posts.get(ws, post.id);
    expect(done).toMatchObject({ status: 'published', lateness: 50 });
    expect(receiver.requests).toHaveLength(1);
  });

  it('leaves on time when written 20 s before its time (EventBridge alone would send it a minute late)', async () => {
    receiver.requests.length = 0;
    clock.set('2026-11-23T12:00:40Z');
    const { ws, post } = await webhookPost('Breaking', '2026-11-23T12:01:00.000Z');
    expect(schedules.timersOf(GROUP, `post-${post.id}`)).toEqual([]);
    clock.set('2026-11-23T12:01:00.120Z');
    await poll();
    expect(await services.posts.get(ws, post.id)).toMatchObject({ status: 'published', lateness: 120 });
  });

  it('a message left queued for a post moved later finds nothing to do; the post leaves at its new time, once', async () => {
    receiver.requests.length = 0;
    clock.set('2026-11-23T13:00:00Z');
    const { ws, post } = await webhookPost('Moved', '2026-11-23T13:00:30.000Z');
    await services.posts.update(ws, post.id, { at: '2026-11-23T13:30:00.000Z' });
    // The first message still lands at 13:00:30: SQS cannot take it back.
    clock.set('2026-11-23T13:00:30.100Z');
    expect(await poll()).toHaveLength(1);
    expect((await services.posts.get(ws, post.id)).status).toBe('scheduled');
    expect(receiver.requests).toHaveLength(0);
    // The new time: schedule at 13:28:45, relayed, delivered at 13:30:00; a duplicate delivery does nothing.
    clock.set('2026-11-23T13:29:10Z');
    await schedules.fireDue(clock.now(), (_arn, input) => publishFn(JSON.parse(input)));
    const [m] = sqs.queue('publish-timers').messages;
    sqs.queue('publish-timers').messages.push({ ...m!, messageId: 'duplicate' });
    clock.set('2026-11-23T13:30:00.200Z');
    expect(await poll()).toHaveLength(2);
    expect(await services.posts.get(ws, post.id)).toMatchObject({ status: 'published', lateness: 200 });
    expect(receiver.requests).toHaveLength(1);
    expect(sqs.queue('publish-timers').messages).toEqual([]);
  });
});
