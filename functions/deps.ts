import {
  systemClock,
  type Clock,
  type Mailer,
  type Scheduler,
  type SecretSealer,
  type UrlPolicy,
} from '@drumbeat/core';
import { createDb, Store } from '@drumbeat/store';
import { createServices, type Services } from '@drumbeat/services';
import type { ApiConfig } from '@drumbeat/api';
import { EventBridgeScheduler, KMS_PURPOSES, KmsSealer, SesMailer, SqsTimerQueue } from '@drumbeat/aws';
import { channelFor, egressUrlPolicy, signedWebhookSender, sourceFor } from '@drumbeat/channels';
import { LambdaImportJobs } from './import-jobs.js';
import { log, routeConsoleErrors } from './logger.js';
import { awsClients, type AwsClients } from './aws-clients.js';
import { configFromResource, type FunctionConfig } from './config.js';
import { apiConfigOf } from './api-config.js';

export { awsClients, type AwsClients } from './aws-clients.js';
export { configFromResource, mailEventsConfigFromResource, type FunctionConfig } from './config.js';

/**
 * The composition root of every Lambda: the only module under functions/ that
 * picks implementations (it reads SST's linked `Resource` through config.ts).
 * The worker handlers call `deps()` at module load; the API calls it on its
 * first request (functions/api.ts), so its cold start does not load the
 * services. Either way it is built once per container.
 */

/** What the handlers use: the store, the ports' AWS adapters, the use-cases and the API settings. */
export interface FunctionDeps {
  config: FunctionConfig;
  store: Store;
  scheduler: Scheduler;
  mailer: Mailer;
  sealer: SecretSealer;
  /** The precise-timer queues, when linked: the timer functions relay and consume through it. */
  timerQueue: SqsTimerQueue | undefined;
  clock: Clock;
  services: Services;
  apiConfig: ApiConfig;
}

/** Timeout of every outbound call (channels, webhooks), as on the embedded runtime. */
const OUTBOUND_TIMEOUT_MS = 10_000;

/** `Drumbeat <sender>` for an address identity, `Drumbeat <drumbeat@domain>` for a domain identity. */
export function fromAddress(sender: string): string {
  return sender.includes('@') ? `Drumbeat <${sender}>` : `Drumbeat <drumbeat@${sender}>`;
}

/** Builds the store, the scheduler and mailer adapters and the services from a config. Pure wiring: no I/O. */
export function build(
  config: FunctionConfig,
  opts: { clients?: AwsClients; clock?: Clock; urlPolicy?: UrlPolicy } = {},
): FunctionDeps {
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
  const services = createServices({
    store,
    clock,
    scheduler,
    mailer,
    sealer,
    linkSealer,
    urlPolicy: opts.urlPolicy ?? egressUrlPolicy({ allowPrivate }),
    webhookSender: signedWebhookSender({ allowPrivate, timeoutMs: OUTBOUND_TIMEOUT_MS }),
    channelFor: (c) => channelFor(c, { allowPrivate, timeoutMs: OUTBOUND_TIMEOUT_MS }),
    sourceFor: (c) => sourceFor(c, { allowPrivate, timeoutMs: OUTBOUND_TIMEOUT_MS }),
    publicUrl: config.publicUrl,
    logger: log,
  });
  const importJobs =
    config.importsFunction && clients.lambda
      ? new LambdaImportJobs({ store, services, clock, lambda: clients.lambda, functionName: config.importsFunction })
      : undefined;
  const apiConfig = apiConfigOf(config, importJobs);
  return { config, store, scheduler, mailer, sealer, timerQueue, clock, services, apiConfig };
}

let container: FunctionDeps | undefined;

/**
 * The container's dependencies, built from `Resource` on first use and kept
 * for the container's life; `clients` are the SDK clients the handler made
 * already (the API's, made at module load), else made here.
 */
export function deps(clients?: AwsClients): FunctionDeps {
  if (!container) routeConsoleErrors();
  container ??= build(configFromResource(), clients ? { clients } : {});
  return container;
}
