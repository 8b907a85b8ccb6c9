import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SchedulerClient } from '@aws-sdk/client-scheduler';
import { EventBridgeScheduler } from '@drumbeat/aws';
import { allowAllUrls, ManualClock, parseTimerPayload } from '@drumbeat/core';
import { channelFor, signedWebhookSender } from '@drumbeat/channels';
import { createServices, type Services } from '@drumbeat/services';
import { SchedulerStandin } from '../support/scheduler-standin.js';
import { startTestStore } from '../support/store.js';
import { accountBody } from '../support/api.js';
import { AccountCreate, VoiceCreate } from '@drumbeat/core';
import { OutboxMailer } from '../../packages/local/src/mail/index.js';

const GROUP = 'drumbeat-timers';
let standin: SchedulerStandin;
let services: Services;
let close: () => Promise<void>;
const clock = new ManualClock('2026-11-23T10:00:00Z');

beforeAll(async () => {
  standin = await SchedulerStandin.start({ groups: [GROUP], now: () => clock.now() });
  const client = new SchedulerClient({
    endpoint: standin.endpoint,
    region: 'us-east-1',
    credentials: { accessKeyId: 'AKIDSTANDIN', secretAccessKey: 'standin-secret' },
    maxAttempts: 1,
  });
  const scheduler = new EventBridgeScheduler({
    client,
    groupName: GROUP,
    roleArn: 'arn:aws:iam::123456789012:role/drumbeat-scheduler',
    targets: { publish: 'arn:aws:lambda:us-east-1:1:function:publish', watchdog: 'arn:aws:lambda:us-east-1:1:function:watchdog', deliver: 'arn:aws:lambda:us-east-1:1:function:webhooks' },
    clock,
  });
  const started = await startTestStore();
  close = started.close;
  services = createServices({
    store: started.store,
    clock,
    scheduler,
    urlPolicy: allowAllUrls,
    webhookSender: signedWebhookSender({ allowPrivate: true, timeoutMs: 1000 }),
    channelFor: (c) => channelFor(c, { allowPrivate: true, timeoutMs: 1000 }),
    mailer: new OutboxMailer({ dir: '/tmp/drumbeat-unused-outbox', from: 'x@test.example', log: () => {} }),
    publicUrl: 'http://drumbeat.test',
  });
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
    const post = await services.posts.create(ws, account.id, { text: 'x', voiceId: voice.id, media: [], at: '2026-11-24T09:00:00.000Z' });

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
