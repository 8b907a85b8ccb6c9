import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock, parseTimerPayload } from '@drumbeat/core';
import { channelFor } from '@drumbeat/channels';
import type { Services } from '@drumbeat/services';
import { SchedulerStandin } from '../support/scheduler-standin.js';
import { eventBridgeOn, GROUP, servicesOnAws } from './aws-composition.js';
import { accountBody } from '../support/api.js';
import { AccountCreate, VoiceCreate } from '@drumbeat/core';
import { json, startRecorder } from '../support/http-recorder.js';

let standin: SchedulerStandin;
let services: Services;
let close: () => Promise<void>;
let crashNext = 0;
let channelCalls = 0;
const clock = new ManualClock('2026-11-23T10:00:00Z');

beforeAll(async () => {
  standin = await SchedulerStandin.start({ groups: [GROUP], now: () => clock.now() });
  ({ services, close } = await servicesOnAws(
    clock,
    eventBridgeOn(standin, clock),
    // A channel that dies once after the claim (a crash, not a ChannelError) when told to, else the real one.
    (c) =>
      crashNext > 0
        ? {
            publish: async () => {
              crashNext--;
              channelCalls++;
              throw new Error('crashed after the claim');
            },
          }
        : {
            publish: async (req) => {
              channelCalls++;
              return channelFor(c, { allowPrivate: true, timeoutMs: 1000 }).publish(req);
            },
          },
  ));
});
afterAll(async () => {
  await close();
  await standin.close();
});

describe('post timers on EventBridge Scheduler (the AWS implementation of the port)', () => {
  it('creates a one-time schedule per post, updates it on reschedule and deletes it on cancel', async () => {
    const { workspace } = await services.workspaces.create({ name: 'Timers' });
    const ws = workspace.id;
    const voice = await services.voices.create(ws, VoiceCreate.parse({ name: 'A', affiliation: 'in_house' }));
    const account = await services.accounts.create(ws, AccountCreate.parse(accountBody()));
    const post = await services.posts.create(ws, account.id, {
      text: 'x',
      voiceId: voice.id,
      media: [],
      at: '2026-11-24T09:00:00.000Z',
    });

    const name = `post-${post.id}`;
    const created = standin.timer(GROUP, name)!;
    expect(created.ScheduleExpression).toBe('at(2026-11-24T09:00:00)');
    expect(created.ActionAfterCompletion).toBe('DELETE');
    expect(created.FlexibleTimeWindow.Mode).toBe('OFF');
    expect(parseTimerPayload(created.Target.Input)).toEqual({ kind: 'publish', workspaceId: ws, postId: post.id });

    await services.posts.update(ws, post.id, { at: '2026-11-25T18:30:00.000Z' });
    expect(standin.timer(GROUP, name)!.ScheduleExpression).toBe('at(2026-11-25T18:30:00)');
    // Under a fresh name; the first one is gone.
    expect(standin.requestsOf('DeleteSchedule').map((r) => r.name)).toEqual([`${name}.20261124T090000`]);

    await services.posts.cancel(ws, post.id);
    expect(standin.timer(GROUP, name)).toBeUndefined();
    expect(standin.requestsOf('DeleteSchedule').map((r) => r.name)).toContain(`${name}.20261125T183000`);
  });
});

describe('a publish that dies after claiming its post, on Lambda', () => {
  /** EventBridge invokes the publish function asynchronously: Lambda retries a failure about 1 and 2 minutes later, then gives up. */
  const lambdaInvoke = async (_target: string, input: string) => {
    const start = clock.now().getTime();
    for (const delay of [0, 60_000, 120_000]) {
      clock.set(new Date(start + delay).toISOString());
      try {
        return await services.publisher.run(parseTimerPayload(input) as { workspaceId: string; postId: string });
      } catch {
        // retried by Lambda
      }
    }
    return undefined; // to the on-failure destination
  };

  /** A webhook account (a real receiver on loopback) with one post due at `at`, created an hour before. */
  async function webhookPost(name: string, receiverUrl: string, at: string) {
    const { workspace } = await services.workspaces.create({ name });
    const ws = workspace.id;
    const voice = await services.voices.create(ws, VoiceCreate.parse({ name: 'A', affiliation: 'in_house' }));
    const account = await services.accounts.create(
      ws,
      AccountCreate.parse(accountBody({ channel: { type: 'webhook', url: receiverUrl } })),
    );
    clock.set(new Date(Date.parse(at) - 3600_000).toISOString());
    const post = await services.posts.create(ws, account.id, { text: name, voiceId: voice.id, media: [], at });
    return { ws, post };
  }

  it('is recovered at the stale instant by a timer armed before the channel call, and published once', async () => {
    const receiver = await startRecorder((_req, res) => json(res, 200, { url: 'https://social.example/p/1' }));
    try {
      const { ws, post } = await webhookPost('Stuck', receiver.url, '2026-11-23T12:00:00.000Z');
      const name = `post-${post.id}`;
      crashNext = 1;
      channelCalls = 0;

      clock.set('2026-11-23T12:00:00Z');
      await standin.fireDue(clock.now(), lambdaInvoke);
      // Lambda's retries at +1 and +2 min found the claim fresh and did nothing; the fired schedule is gone.
      expect(channelCalls).toBe(1);
      expect((await services.posts.get(ws, post.id)).status).toBe('publishing');
      const recovery = standin.timer(GROUP, name);
      expect(recovery?.ScheduleExpression).toBe('at(2026-11-23T12:15:00)');

      clock.set('2026-11-23T12:15:00Z');
      await standin.fireDue(clock.now(), lambdaInvoke);
      const done = await services.posts.get(ws, post.id);
      expect(done.status).toBe('published');
      expect(channelCalls).toBe(2);
      expect(receiver.requests).toHaveLength(1);
      expect(standin.timersOf(GROUP, name)).toEqual([]);
    } finally {
      await receiver.close();
    }
  });

  it('leaves no recovery timer behind a publish that succeeds', async () => {
    const receiver = await startRecorder((_req, res) => json(res, 200, { url: 'https://social.example/p/1' }));
    try {
      const { ws, post } = await webhookPost('Clean', receiver.url, '2026-11-23T14:00:00.000Z');
      clock.set('2026-11-23T14:00:00Z');
      await standin.fireDue(clock.now(), lambdaInvoke);
      expect((await services.posts.get(ws, post.id)).status).toBe('published');
      expect(standin.timersOf(GROUP, `post-${post.id}`)).toEqual([]);
    } finally {
      await receiver.close();
    }
  });
});
