import {
  systemClock,
  type Clock,
  type Mailer,
  type Scheduler,
  type SecretSealer,
  type UrlPolicy,
} from '@drumbeat/core';
import { createDb, Store } from '@drumbeat/store';
import type { ServiceDeps } from '@drumbeat/services';
import { EventBridgeScheduler, KMS_PURPOSES, KmsSealer, SesMailer, SqsTimerQueue } from '@drumbeat/aws';
import { log } from './logger.js';
import { awsClients, type AwsClients } from './aws-clients.js';
import type { FunctionConfig } from './config.js';
import { lazyChannels } from './lazy-channels.js';

/** The store, the ports' AWS adapters and what the use-cases are built from (`serviceDeps`). */
export interface Adapters {
  config: FunctionConfig;
  clients: AwsClients;
  store: Store;
  scheduler: Scheduler;
  mailer: Mailer;
  sealer: SecretSealer;
  /** The precise-timer queues, when linked: the timer functions relay and consume through it. */
  timerQueue: SqsTimerQueue | undefined;
  clock: Clock;
  serviceDeps: ServiceDeps;
}

/** Timeout of every outbound call (channels, webhooks), as on the embedded runtime. */
const OUTBOUND_TIMEOUT_MS = 10_000;

/** `Drumbeat <sender>` for an address identity, `Drumbeat <drumbeat@domain>` for a domain identity. */
export function fromAddress(sender: string): string {
  return sender.includes('@') ? `Drumbeat <${sender}>` : `Drumbeat <drumbeat@${sender}>`;
}

/** Builds the store and the scheduler, mailer and sealer adapters from a config. Pure wiring: no I/O. */
export function buildAdapters(
  config: FunctionConfig,
  opts: { clients?: AwsClients; clock?: Clock; urlPolicy?: UrlPolicy } = {},
): Adapters {
  const clients = opts.clients ?? awsClients();
  const clock = opts.clock ?? systemClock;
  const store = new Store(createDb(clients.dynamo, config.tableName));
  const queues = {
    ...(config.scheduler.publishQueueUrl ? { publish: config.scheduler.publishQueueUrl } : {}),
    ...(config.scheduler.watchdogQueueUrl ? { watchdog: config.scheduler.watchdogQueueUrl } : {}),
  };
  const timerQueue =
    Object.keys(queues).length > 0 ? new SqsTimerQueue({ client: clients.sqs, queues, clock }) : undefined;
  const scheduler = new EventBridgeScheduler({
    client: clients.scheduler,
    groupName: config.scheduler.groupName,
    roleArn: config.scheduler.roleArn,
    targets: {
      publish: config.scheduler.publishArn,
      watchdog: config.scheduler.watchdogArn,
      deliver: config.scheduler.deliverArn,
      'review-digest': config.scheduler.watchdogArn,
      'import-lease': config.scheduler.watchdogArn,
      ...(config.scheduler.listenArn ? { listen: config.scheduler.listenArn } : {}),
    },
    ...(config.scheduler.deadLetterArn ? { deadLetterArn: config.scheduler.deadLetterArn } : {}),
    ...(timerQueue ? { precise: { queue: timerQueue } } : {}),
    clock,
  });
  const mailer = new SesMailer({
    client: clients.ses,
    from: fromAddress(config.email.sender),
    ...(config.email.configSet ? { configurationSet: config.email.configSet } : {}),
  });
  // Channel tokens and webhook secrets are sealed under a KMS data key before they reach the table.
  const sealer = new KmsSealer({ client: clients.kms, keyId: config.sealingKeyArn });
  // Action-link secrets under their own KMS purpose: the API opens these (to verify /a/ links), never channel tokens.
  const linkSealer = new KmsSealer({
    client: clients.kms,
    keyId: config.sealingKeyArn,
    purpose: KMS_PURPOSES.linkSecrets,
  });
  // On AWS, channel and webhook URLs must be https and resolve to public addresses only.
  const allowPrivate = false;
  // The channels' code loads with the first outbound call (lazy-channels.ts).
  const outbound = lazyChannels({ allowPrivate, timeoutMs: OUTBOUND_TIMEOUT_MS });
  const serviceDeps: ServiceDeps = {
    store,
    clock,
    scheduler,
    mailer,
    sealer,
    linkSealer,
    urlPolicy: opts.urlPolicy ?? outbound.urlPolicy,
    webhookSender: outbound.webhookSender,
    channelFor: outbound.channelFor,
    sourceFor: outbound.sourceFor,
    publicUrl: config.publicUrl,
    logger: log,
  };
  return { config, clients, store, scheduler, mailer, sealer, timerQueue, clock, serviceDeps };
}
