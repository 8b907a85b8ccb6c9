import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { SchedulerClient } from '@aws-sdk/client-scheduler';
import type { SESv2Client } from '@aws-sdk/client-sesv2';
import type { KMSClient } from '@aws-sdk/client-kms';
import type { LambdaClient } from '@aws-sdk/client-lambda';
import { Resource } from 'sst/resource';
import { systemClock, type Clock, type Mailer, type Scheduler, type SecretSealer, type UrlPolicy } from '@drumbeat/core';
import { createDb, Store } from '@drumbeat/store';
import { createServices, type Services } from '@drumbeat/services';
import type { ApiConfig } from '@drumbeat/api';
import type { SQSClient } from '@aws-sdk/client-sqs';
import { EventBridgeScheduler, KmsSealer, SesMailer, SqsTimerQueue } from '@drumbeat/aws';
import { channelFor, egressUrlPolicy, signedWebhookSender } from '@drumbeat/channels';
import { LambdaImportJobs } from './import-jobs.js';
import { log, routeConsoleErrors } from './logger.js';

/**
 * The composition root of every Lambda: the only module under functions/ that
 * reads configuration (SST's linked `Resource`) and picks implementations.
 * Handlers call `deps()` at module load, so everything here is built once per
 * container, outside the handler.
 */

/** Everything the functions read from their links, in one plain shape tests can hand to `build`. */
export interface FunctionConfig {
  tableName: string;
  scheduler: {
    groupName: string;
    roleArn: string;
    publishArn: string;
    watchdogArn: string;
    deliverArn: string;
    deadLetterArn?: string;
    /** The precise-timer queues (publish, watchdog): a timer of that kind lands to the second through SQS. */
    publishQueueUrl?: string;
    watchdogQueueUrl?: string;
  };
  /** The SES identity: an address (`alerts@example.com`) or a domain (`example.com`). */
  email: { sender: string; configSet?: string };
  adminToken: string;
  /** The base URL people reach drumbeat by (links in mail, feed URLs): the Router's URL or a custom domain. */
  publicUrl: string;
  /** Signs /app links and page sessions (the API only): the same in every container. */
  sessionSecret?: string;
  /** The header value the Router adds; the API refuses requests without it (the API only). */
  originSecret?: string;
  /** The KMS key channel and webhook secrets are sealed under (envelope encryption). */
  sealingKeyArn: string;
  /** The Imports function large CSV imports run in (the API only); absent, every import is synchronous. */
  importsFunction?: string;
}

/** The AWS SDK clients; tests pass clients pointed at local stand-ins. */
export interface AwsClients {
  dynamo: DynamoDBClient;
  scheduler: SchedulerClient;
  /** SES, or a function making it on the first mail (the API rarely sends one: its client stays off the cold start). */
  ses: SESv2Client | (() => Promise<SESv2Client>);
  /** KMS, or a function making it on the first seal or open (an API request rarely handles a secret: its client stays off the cold start). */
  kms: KMSClient | (() => Promise<KMSClient>);
  /** SQS, or a function making it on the first precise timer queued (loaded then, off the cold start). */
  sqs: SQSClient | (() => Promise<SQSClient>);
  /** Lambda, made on the first import job (most containers never start one). */
  lambda?: LambdaClient | (() => Promise<LambdaClient>);
}

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

/** Largest request body the API accepts on Lambda (function URLs cap payloads at 6 MB anyway). */
const MAX_BODY_BYTES = 256 * 1024;
/** Timeout of every outbound call (channels, webhooks), as on the embedded runtime. */
const OUTBOUND_TIMEOUT_MS = 10_000;

/** The shape of the links `infra/` gives the functions (see infra/README.md). */
interface LinkedResources {
  Table: { name: string };
  Scheduler: FunctionConfig['scheduler'];
  Email: { sender: string; configSet?: string };
  AdminToken: { value: string };
  Web: { url: string };
  Sealing: { keyArn: string };
  SessionSecret?: { value: string };
  Origin?: { secret: string };
  Imports?: { name: string };
}

/** Reads the functions' configuration from SST's linked resources; throws naming what is not linked. */
export function configFromResource(resource: unknown = Resource): FunctionConfig {
  const r = resource as LinkedResources;
  const { groupName, roleArn, publishArn, watchdogArn, deliverArn, deadLetterArn, publishQueueUrl, watchdogQueueUrl } = r.Scheduler;
  return {
    tableName: r.Table.name,
    scheduler: {
      groupName,
      roleArn,
      publishArn,
      watchdogArn,
      deliverArn,
      ...(deadLetterArn ? { deadLetterArn } : {}),
      ...(publishQueueUrl ? { publishQueueUrl } : {}),
      ...(watchdogQueueUrl ? { watchdogQueueUrl } : {}),
    },
    email: { sender: r.Email.sender, ...(r.Email.configSet ? { configSet: r.Email.configSet } : {}) },
    adminToken: r.AdminToken.value,
    publicUrl: r.Web.url.replace(/\/$/, ''),
    sealingKeyArn: r.Sealing.keyArn,
    // Linked to the API only: `in` asks SST's Resource without throwing for a function that lacks them.
    ...('SessionSecret' in r && r.SessionSecret ? { sessionSecret: r.SessionSecret.value } : {}),
    ...('Origin' in r && r.Origin ? { originSecret: r.Origin.secret } : {}),
    ...('Imports' in r && r.Imports ? { importsFunction: r.Imports.name } : {}),
  };
}

/** The SDK clients for the Lambda's own region and role (credentials and region come from the runtime). */
export function awsClients(): AwsClients {
  const ses = async () => new (await import('@aws-sdk/client-sesv2')).SESv2Client({});
  const kms = async () => new (await import('@aws-sdk/client-kms')).KMSClient({});
  const sqs = async () => new (await import('@aws-sdk/client-sqs')).SQSClient({});
  const lambda = async () => new (await import('@aws-sdk/client-lambda')).LambdaClient({});
  return { dynamo: new DynamoDBClient({}), scheduler: new SchedulerClient({}), ses, kms, sqs, lambda };
}

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
  const timerQueue = Object.keys(queues).length > 0 ? new SqsTimerQueue({ client: clients.sqs, queues, clock }) : undefined;
  const scheduler = new EventBridgeScheduler({
    client: clients.scheduler,
    groupName: config.scheduler.groupName,
    roleArn: config.scheduler.roleArn,
    targets: { publish: config.scheduler.publishArn, watchdog: config.scheduler.watchdogArn, deliver: config.scheduler.deliverArn },
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
  // On AWS, channel and webhook URLs must be https and resolve to public addresses only.
  const allowPrivate = false;
  const services = createServices({
    store,
    clock,
    scheduler,
    mailer,
    sealer,
    urlPolicy: opts.urlPolicy ?? egressUrlPolicy({ allowPrivate }),
    webhookSender: signedWebhookSender({ allowPrivate, timeoutMs: OUTBOUND_TIMEOUT_MS }),
    channelFor: (c) => channelFor(c, { allowPrivate, timeoutMs: OUTBOUND_TIMEOUT_MS }),
    publicUrl: config.publicUrl,
    logger: log,
  });
  const apiConfig: ApiConfig = {
    adminToken: config.adminToken,
    maxBodyBytes: MAX_BODY_BYTES,
    publicUrl: config.publicUrl,
    ...(config.sessionSecret ? { sessionSecret: config.sessionSecret } : {}),
    ...(config.importsFunction && clients.lambda
      ? { importJobs: new LambdaImportJobs({ store, services, clock, lambda: clients.lambda, functionName: config.importsFunction }) }
      : {}),
  };
  return { config, store, scheduler, mailer, sealer, timerQueue, clock, services, apiConfig };
}

let container: FunctionDeps | undefined;

/** The container's dependencies, built from `Resource` on first use and kept for the container's life. */
export function deps(): FunctionDeps {
  if (!container) routeConsoleErrors();
  container ??= build(configFromResource());
  return container;
}
