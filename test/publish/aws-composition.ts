/**
 * The publishing tests' AWS composition: the services over a fresh embedded
 * store with their timers on EventBridge Scheduler (the stand-in, through the
 * real SDK client), as the AWS functions build them.
 */
import { SchedulerClient } from '@aws-sdk/client-scheduler';
import { EventBridgeScheduler, type SqsTimerQueue } from '@drumbeat/aws';
import { allowAllUrls, type Channel, type ChannelConfig, type ManualClock } from '@drumbeat/core';
import { signedWebhookSender } from '@drumbeat/channels';
import { createServices, type Services } from '@drumbeat/services';
import { OutboxMailer } from '../../packages/local/src/mail/index.js';
import type { SchedulerStandin } from '../support/scheduler-standin.js';
import { startTestStore } from '../support/store.js';

export const GROUP = 'drumbeat-timers';
const PUBLISH_ARN = 'arn:aws:lambda:us-east-1:1:function:publish';

/** EventBridge Scheduler on `standin`, targeting the three timer functions; `precise` relays through a queue. */
export function eventBridgeOn(standin: SchedulerStandin, clock: ManualClock, precise?: { queue: SqsTimerQueue }) {
  return new EventBridgeScheduler({
    client: new SchedulerClient({
      endpoint: standin.endpoint,
      region: 'us-east-1',
      credentials: { accessKeyId: 'AKIDSTANDIN', secretAccessKey: 'standin-secret' },
      maxAttempts: 1,
    }),
    groupName: GROUP,
    roleArn: 'arn:aws:iam::123456789012:role/drumbeat-scheduler',
    targets: {
      publish: PUBLISH_ARN,
      watchdog: 'arn:aws:lambda:us-east-1:1:function:watchdog',
      deliver: 'arn:aws:lambda:us-east-1:1:function:webhooks',
    },
    ...(precise ? { precise } : {}),
    clock,
  });
}

/** The services over a fresh embedded store, timers on `scheduler`, each account's channel from `channelFor`. */
export async function servicesOnAws(
  clock: ManualClock,
  scheduler: EventBridgeScheduler,
  channelFor: (c: ChannelConfig) => Channel,
): Promise<{ services: Services; close(): Promise<void> }> {
  const started = await startTestStore();
  const services = createServices({
    store: started.store,
    clock,
    scheduler,
    urlPolicy: allowAllUrls,
    webhookSender: signedWebhookSender({ allowPrivate: true, timeoutMs: 1000 }),
    channelFor,
    mailer: new OutboxMailer({ dir: '/tmp/drumbeat-unused-outbox', from: 'x@test.example', log: () => {} }),
    publicUrl: 'http://drumbeat.test',
  });
  return { services, close: started.close };
}
