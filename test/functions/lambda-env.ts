import { createDb, ensureTable, Store } from '@drumbeat/store';
import { startEmbeddedDynamo } from '../../packages/local/src/embedded-dynamo.js';
import { SchedulerStandin } from '../support/scheduler-standin.js';
import { SesStandin } from '../support/ses-standin.js';
import { KmsStandin } from '../support/kms-standin.js';
import { SqsStandin } from '../support/sqs-standin.js';
import { LambdaStandin } from '../support/lambda-standin.js';

/**
 * What a deployed function sees, on this machine: SST's links as the
 * `SST_RESOURCE_*` variables `Resource` reads, and the AWS SDK pointed (via
 * the standard `AWS_ENDPOINT_URL_<SERVICE>` variables) at the embedded
 * DynamoDB and at local Scheduler and SES stand-ins. Handler modules imported
 * after `apply()` build their dependencies exactly as on Lambda.
 */

export const TABLE = 'drumbeat-fn-test';
export const ADMIN_TOKEN = 'fn-admin-token-0123456789';
export const GROUP = 'drumbeat-test-timers';
export const ROLE_ARN = 'arn:aws:iam::123456789012:role/drumbeat-test-scheduler';
export const PUBLISH_ARN = 'arn:aws:lambda:us-east-1:123456789012:function:drumbeat-test-publish';
export const WATCHDOG_ARN = 'arn:aws:lambda:us-east-1:123456789012:function:drumbeat-test-watchdog';
export const DELIVER_ARN = 'arn:aws:lambda:us-east-1:123456789012:function:drumbeat-test-webhooks';
export const LISTEN_ARN = 'arn:aws:lambda:us-east-1:123456789012:function:drumbeat-test-listen';
export const PUBLIC_URL = 'https://d111111abcdef8.cloudfront.net';
export const DLQ_ARN = 'arn:aws:sqs:us-east-1:123456789012:drumbeat-test-ScheduleDeadLetters';
export const SENDER = 'alerts@drumbeat.test';
export const SESSION_SECRET = 'fn-session-secret-0123456789abcdef';
export const ORIGIN_SECRET = '0123456789abcdef0123456789abcdef';
export const SEALING_KEY_ID = '5eed5eed-1111-2222-3333-444455556666';
export const SEALING_KEY_ARN = KmsStandin.arn(SEALING_KEY_ID);

export interface LambdaEnv {
  store: Store;
  scheduler: SchedulerStandin;
  ses: SesStandin;
  kms: KmsStandin;
  /** SQS, with the precise-timer queues `publish-timers` and `watchdog-timers` (and their dead-letter queues). */
  sqs: SqsStandin;
  /** The precise-timer queue URLs, as linked. */
  queues: { publish: string; watchdog: string };
  /** The variables a deployed function would have. */
  vars: Record<string, string>;
  /** Sets `vars` on process.env (call before importing a handler module). */
  apply(): void;
  close(): Promise<void>;
}

export async function startLambdaEnv(): Promise<LambdaEnv> {
  // The embedded engine (dynalite through the real SDK), as test/support/store.ts starts it.
  const dynamo = await startEmbeddedDynamo({ open: true }); // the handlers build their own clients, as on AWS
  await ensureTable(dynamo.client, TABLE);
  const store = new Store(createDb(dynamo.client, TABLE));
  const scheduler = await SchedulerStandin.start({ groups: [GROUP] });
  const ses = await SesStandin.start({ verified: [SENDER] });
  const kms = await KmsStandin.start([SEALING_KEY_ID]);
  const sqs = await SqsStandin.start();
  const queues = { publish: '', watchdog: '' };
  for (const kind of ['publish', 'watchdog'] as const) {
    sqs.createQueue(`${kind}-timers-dlq`);
    queues[kind] = sqs.createQueue(`${kind}-timers`, {
      visibilityTimeoutSeconds: 120,
      redrive: { deadLetterQueue: `${kind}-timers-dlq`, maxReceiveCount: 3 },
    });
  }
  // The scheduler's `at()` must be in the future as on AWS; the adapter adds its one-minute lead.
  const link = (value: unknown) => JSON.stringify(value);
  const vars: Record<string, string> = {
    AWS_REGION: 'us-east-1',
    AWS_ACCESS_KEY_ID: 'AKIDLOCAL',
    AWS_SECRET_ACCESS_KEY: 'local-secret',
    AWS_ENDPOINT_URL_DYNAMODB: dynamo.endpoint,
    AWS_ENDPOINT_URL_SCHEDULER: scheduler.endpoint,
    AWS_ENDPOINT_URL_SESV2: ses.endpoint,
    AWS_ENDPOINT_URL_KMS: kms.endpoint,
    AWS_ENDPOINT_URL_SQS: sqs.endpoint,
    AWS_LAMBDA_FUNCTION_NAME: 'drumbeat-test',
    SST_RESOURCE_App: link({ name: 'drumbeat', stage: 'test' }),
    SST_RESOURCE_Table: link({ name: TABLE, type: 'sst.aws.Dynamo' }),
    SST_RESOURCE_Scheduler: link({
      groupName: GROUP,
      roleArn: ROLE_ARN,
      publishArn: PUBLISH_ARN,
      watchdogArn: WATCHDOG_ARN,
      deliverArn: DELIVER_ARN,
      listenArn: LISTEN_ARN,
      deadLetterArn: DLQ_ARN,
      publishQueueUrl: queues.publish,
      watchdogQueueUrl: queues.watchdog,
      type: 'sst.sst.Linkable',
    }),
    SST_RESOURCE_Email: link({ sender: SENDER, configSet: 'drumbeat-test-config', type: 'sst.aws.Email' }),
    SST_RESOURCE_AdminToken: link({ value: ADMIN_TOKEN, type: 'sst.sst.Secret' }),
    SST_RESOURCE_Web: link({ url: PUBLIC_URL, type: 'sst.sst.Linkable' }),
    SST_RESOURCE_Sealing: link({ keyArn: SEALING_KEY_ARN, type: 'sst.sst.Linkable' }),
    // The API's own links (workers lack them; one environment serves every handler here).
    SST_RESOURCE_SessionSecret: link({ value: SESSION_SECRET, type: 'sst.sst.Secret' }),
    SST_RESOURCE_Origin: link({ secret: ORIGIN_SECRET, type: 'sst.sst.Linkable' }),
  };
  return {
    store,
    scheduler,
    ses,
    kms,
    sqs,
    queues,
    vars,
    apply: () => Object.assign(process.env, vars),
    close: async () => {
      await Promise.all([scheduler.close(), ses.close(), kms.close(), sqs.close()]);
      await dynamo.close();
    },
  };
}

/** A Lambda function URL event (payload format 2.0), as AWS sends it; forwarded by the Router (with its origin secret) unless `direct`. */
export function functionUrlEvent(
  method: string,
  path: string,
  opts: { headers?: Record<string, string>; body?: unknown; query?: string; direct?: boolean } = {},
) {
  const body =
    opts.body === undefined ? undefined : typeof opts.body === 'string' ? opts.body : JSON.stringify(opts.body);
  const domain = 'abcdefghijklmnop.lambda-url.us-east-1.on.aws';
  return {
    version: '2.0',
    routeKey: '$default',
    rawPath: path,
    rawQueryString: opts.query ?? '',
    headers: {
      host: domain,
      'user-agent': 'drumbeat-test/1.0',
      'x-forwarded-for': '203.0.113.7',
      'x-forwarded-port': '443',
      'x-forwarded-proto': 'https',
      'x-amzn-trace-id': 'Root=1-67891233-abcdef012345678912345678',
      ...(body !== undefined
        ? { 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(body)) }
        : {}),
      ...(opts.direct ? {} : { 'x-drumbeat-origin': ORIGIN_SECRET }),
      ...(opts.headers ?? {}),
    },
    requestContext: {
      accountId: 'anonymous',
      apiId: 'abcdefghijklmnop',
      domainName: domain,
      domainPrefix: 'abcdefghijklmnop',
      http: { method, path, protocol: 'HTTP/1.1', sourceIp: '203.0.113.7', userAgent: 'drumbeat-test/1.0' },
      requestId: '8f3b2c1a-1111-2222-3333-444455556666',
      routeKey: '$default',
      stage: '$default',
      time: '23/Nov/2026:10:00:00 +0000',
      timeEpoch: 1795428000000,
    },
    ...(body !== undefined ? { body } : {}),
    isBase64Encoded: false,
  };
}

/** The context object Lambda passes handlers (only identity fields matter here). */
export const lambdaContext = {
  callbackWaitsForEmptyEventLoop: true,
  functionName: 'drumbeat-test',
  functionVersion: '$LATEST',
  invokedFunctionArn: 'arn:aws:lambda:us-east-1:123456789012:function:drumbeat-test',
  memoryLimitInMB: '1024',
  awsRequestId: '8f3b2c1a-1111-2222-3333-444455556666',
  logGroupName: '/aws/lambda/drumbeat-test',
  logStreamName: '2026/11/23/[$LATEST]abcdef',
  getRemainingTimeInMillis: () => 20_000,
};

/** The Imports function's name, as linked by startImportsEnv. */
export const IMPORTS = 'drumbeat-test-imports';

/**
 * The Lambda env (applied) with the Imports function linked as SST links it: the API's asynchronous
 * invocations of it queue on a Lambda stand-in, for the test to run as Lambda's queue would.
 */
export async function startImportsEnv(): Promise<{ env: LambdaEnv; lambda: LambdaStandin }> {
  const env = await startLambdaEnv();
  const lambda = await LambdaStandin.start([IMPORTS]);
  env.apply();
  Object.assign(process.env, {
    AWS_ENDPOINT_URL_LAMBDA: lambda.endpoint,
    SST_RESOURCE_Imports: JSON.stringify({ name: IMPORTS, type: 'sst.aws.Function' }),
  });
  return { env, lambda };
}
