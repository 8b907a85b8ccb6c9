import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AccountCreate, allowAllUrls, ManualClock, VoiceCreate, type TimerPayload } from '@drumbeat/core';
import { channelFor, signedWebhookSender } from '@drumbeat/channels';
import { createServices, type Services } from '@drumbeat/services';
import type { Store } from '@drumbeat/store';
import { LAMBDA_ASYNC_RETRY_DELAYS_MS, LocalScheduler, TimerStore } from '../../packages/local/src/scheduler/index.js';
import { OutboxMailer } from '../../packages/local/src/mail/index.js';
import { startTestStore } from '../support/store.js';
import { accountBody } from '../support/api.js';
import { json, startRecorder } from '../support/http-recorder.js';

/** The embedded scheduler in `lambda-async` retry mode: a failed handler is retried about 1 and 2 minutes later, then given up, as Lambda does. */

let store: Store;
let close: () => Promise<void>;
beforeAll(async () => {
  ({ store, close } = await startTestStore());
});
afterAll(() => close());

const pendingTimers = async (until: string) =>
  (await new TimerStore(store.db).due(new Date(until), 100)).timers.map((t) => ({ name: t.name, dueAt: t.dueAt }));

describe('the lambda-async retry timing', () => {
  it('retries a failing handler 1 minute after the first failure and 2 minutes after the second, then gives up once', async () => {
    const clock = new ManualClock('2026-11-23T10:00:00Z');
    const gaveUp: { name: string; attempts: number }[] = [];
    const scheduler = new LocalScheduler({
      db: store.db,
      clock,
      retryTiming: 'lambda-async',
      onGiveUp: (_e, t) => gaveUp.push({ name: t.name, attempts: t.attempts }),
      owner: 'retry-test',
    });
    const fired: string[] = [];
    scheduler.start(
      async (_p, meta) => {
        fired.push(`${meta.name}@${meta.firedAt.toISOString()}`);
        throw new Error('always fails');
      },
      { loop: false },
    );
    await scheduler.schedule({
      name: 'watchdog-acc_x',
      at: clock.now(),
      payload: { kind: 'watchdog', workspaceId: 'ws_x', accountId: 'acc_x' } as TimerPayload,
    });
    expect(LAMBDA_ASYNC_RETRY_DELAYS_MS).toEqual([60_000, 120_000]);
    for (const at of [
      '2026-11-23T10:00:00Z',
      '2026-11-23T10:00:59Z',
      '2026-11-23T10:01:00Z',
      '2026-11-23T10:02:59Z',
      '2026-11-23T10:03:00Z',
      '2026-11-23T11:00:00Z',
    ]) {
      clock.set(at);
      await scheduler.runDue();
    }
    expect(fired).toEqual([
      'watchdog-acc_x@2026-11-23T10:00:00.000Z',
      'watchdog-acc_x~retry1@2026-11-23T10:01:00.000Z',
      'watchdog-acc_x~retry2@2026-11-23T10:03:00.000Z',
    ]);
    expect(gaveUp).toEqual([{ name: 'watchdog-acc_x', attempts: 3 }]);
    expect(await pendingTimers('2027-01-01T00:00:00Z')).toEqual([]);
    await scheduler.stop();
  });
});

describe('a publish that dies after claiming its post, with Lambda retry timing on the embedded scheduler', () => {
  it('is not recovered by the retries (the claim is fresh) but by the timer armed at the stale instant, and published once', async () => {
    const clock = new ManualClock('2026-11-23T11:00:00Z');
    const scheduler = new LocalScheduler({ db: store.db, clock, retryTiming: 'lambda-async', owner: 'stuck-test' });
    let crashNext = 1;
    let channelCalls = 0;
    const services: Services = createServices({
      store,
      clock,
      scheduler,
      urlPolicy: allowAllUrls,
      webhookSender: signedWebhookSender({ allowPrivate: true, timeoutMs: 1000 }),
      // Dies once after the claim (a crash, not a ChannelError), then the real channel.
      channelFor: (c) => ({
        publish: async (req) => {
          channelCalls++;
          if (crashNext-- > 0) throw new Error('crashed after the claim');
          return channelFor(c, { allowPrivate: true, timeoutMs: 1000 }).publish(req);
        },
      }),
      mailer: new OutboxMailer({ dir: '/tmp/drumbeat-unused-outbox', from: 'x@test.example', log: () => {} }),
      publicUrl: 'http://drumbeat.test',
    });
    const outcomes: string[] = [];
    scheduler.start(
      async (payload) => {
        if (payload.kind === 'publish') outcomes.push(await services.publisher.run(payload));
      },
      { loop: false },
    );
    const receiver = await startRecorder((_req, res) => json(res, 200, { url: 'https://social.example/p/1' }));
    try {
      const { workspace } = await services.workspaces.create({ name: 'Stuck embedded' });
      const ws = workspace.id;
      const voice = await services.voices.create(ws, VoiceCreate.parse({ name: 'A', affiliation: 'in_house' }));
      const account = await services.accounts.create(
        ws,
        AccountCreate.parse(accountBody({ channel: { type: 'webhook', url: receiver.url } })),
      );
      const post = await services.posts.create(ws, account.id, {
        text: 'Stuck',
        voiceId: voice.id,
        media: [],
        at: '2026-11-23T12:00:00.000Z',
      });
      const name = `post-${post.id}`;

      // The publish dies; Lambda's retries at +1 min (and +2 would follow a second failure) find the claim fresh.
      for (const at of ['2026-11-23T12:00:00Z', '2026-11-23T12:01:00Z', '2026-11-23T12:03:00Z']) {
        clock.set(at);
        await scheduler.runDue();
      }
      expect(channelCalls).toBe(1);
      expect(outcomes).toEqual(['nothing-to-do']);
      expect((await services.posts.get(ws, post.id)).status).toBe('publishing');
      // What is left: the recovery timer, armed before the channel call, at the stale instant.
      expect((await pendingTimers('2027-01-01T00:00:00Z')).filter((t) => t.name.startsWith(name))).toEqual([
        { name, dueAt: '2026-11-23T12:15:00.000Z' },
      ]);

      clock.set('2026-11-23T12:15:00Z');
      await scheduler.runDue();
      expect((await services.posts.get(ws, post.id)).status).toBe('published');
      expect(channelCalls).toBe(2);
      expect(receiver.requests).toHaveLength(1);
      expect((await pendingTimers('2027-01-01T00:00:00Z')).filter((t) => t.name.startsWith(name))).toEqual([]);
    } finally {
      await receiver.close();
      await scheduler.stop();
    }
  });
});
