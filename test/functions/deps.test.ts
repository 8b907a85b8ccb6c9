import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { SchedulerClient } from '@aws-sdk/client-scheduler';
import { SESv2Client } from '@aws-sdk/client-sesv2';
import { KMSClient } from '@aws-sdk/client-kms';
import { SQSClient } from '@aws-sdk/client-sqs';
import { createApp } from '@drumbeat/api';
import { allowAllUrls, ManualClock, timerName, type TimerPayload } from '@drumbeat/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { build, configFromResource, fromAddress, type FunctionConfig } from '../../functions/deps.js';
import {
  DELIVER_ARN,
  DLQ_ARN,
  GROUP,
  PUBLIC_URL,
  PUBLISH_ARN,
  ROLE_ARN,
  SEALING_KEY_ARN,
  SENDER,
  startLambdaEnv,
  TABLE,
  WATCHDOG_ARN,
  type LambdaEnv,
} from './lambda-env.js';

const config: FunctionConfig = {
  tableName: TABLE,
  scheduler: {
    groupName: GROUP,
    roleArn: ROLE_ARN,
    publishArn: PUBLISH_ARN,
    watchdogArn: WATCHDOG_ARN,
    deliverArn: DELIVER_ARN,
    deadLetterArn: DLQ_ARN,
  },
  email: { sender: SENDER, configSet: 'drumbeat-test-config' },
  adminToken: 'admin',
  publicUrl: PUBLIC_URL,
  sealingKeyArn: SEALING_KEY_ARN,
  sessionSecret: 'one-secret-for-every-container',
};

describe('reading the links', () => {
  const linked = {
    Table: { name: 'drumbeat-prod-Table' },
    Scheduler: config.scheduler,
    Email: { sender: 'example.org', configSet: 'cfg' },
    AdminToken: { value: 's3cret' },
    Web: { url: 'https://drumbeat.example.org/' },
    Sealing: { keyArn: SEALING_KEY_ARN },
  };

  it('maps every linked resource onto the functions configuration', () => {
    const worker = {
      tableName: 'drumbeat-prod-Table',
      scheduler: config.scheduler,
      email: { sender: 'example.org', configSet: 'cfg' },
      adminToken: 's3cret',
      publicUrl: 'https://drumbeat.example.org',
      sealingKeyArn: SEALING_KEY_ARN,
    };
    expect(configFromResource(linked)).toEqual(worker);
    // The API's links besides: the session secret and the origin secret.
    expect(configFromResource({ ...linked, SessionSecret: { value: 'sess' }, Origin: { secret: 'orig' } })).toEqual({
      ...worker,
      sessionSecret: 'sess',
      originSecret: 'orig',
    });
  });

  it('fails on a resource that is not linked', () => {
    const { Table: _table, ...withoutTable } = linked;
    expect(() => configFromResource(withoutTable)).toThrow();
    const { Web: _web, ...withoutWeb } = linked;
    expect(() => configFromResource(withoutWeb)).toThrow();
  });

  it('sends mail from the identity: an address as is, a domain through a drumbeat@ mailbox', () => {
    expect(fromAddress('alerts@example.org')).toBe('Drumbeat <alerts@example.org>');
    expect(fromAddress('example.org')).toBe('Drumbeat <drumbeat@example.org>');
  });
});

describe('building the dependencies from a config', () => {
  let env: LambdaEnv;
  let deps: ReturnType<typeof build>;
  const clock = new ManualClock('2030-01-01T12:00:00Z');

  beforeAll(async () => {
    env = await startLambdaEnv();
    const credentials = { accessKeyId: 'AKIDLOCAL', secretAccessKey: 'local' };
    deps = build(config, {
      clock,
      urlPolicy: allowAllUrls,
      clients: {
        dynamo: new DynamoDBClient({ endpoint: env.vars.AWS_ENDPOINT_URL_DYNAMODB, region: 'us-east-1', credentials }),
        scheduler: new SchedulerClient({
          endpoint: env.scheduler.endpoint,
          region: 'us-east-1',
          credentials,
          maxAttempts: 1,
        }),
        ses: new SESv2Client({ endpoint: env.ses.endpoint, region: 'us-east-1', credentials, maxAttempts: 1 }),
        kms: new KMSClient({ endpoint: env.kms.endpoint, region: 'us-east-1', credentials, maxAttempts: 1 }),
        sqs: new SQSClient({ endpoint: env.sqs.endpoint, region: 'us-east-1', credentials, maxAttempts: 1 }),
      },
    });
  });
  afterAll(() => env.close());

  it('stores through the configured table', async () => {
    const { workspace } = await deps.services.workspaces.create({ name: 'Built Deps' });
    expect(await env.store.workspaces.find(workspace.id)).toMatchObject({ name: 'Built Deps' });
  });

  it('arms each kind of timer in the linked group, for its linked target, with the linked role and dead-letter queue', async () => {
    const timers: [TimerPayload, string][] = [
      [{ kind: 'publish', workspaceId: 'ws_1', postId: 'pst_1' }, PUBLISH_ARN],
      [{ kind: 'watchdog', workspaceId: 'ws_1', accountId: 'acc_1' }, WATCHDOG_ARN],
      [{ kind: 'deliver', workspaceId: 'ws_1', deliveryId: 'dlv_1' }, DELIVER_ARN],
      // Approval-request digests and import job leases run in the watchdog function.
      [{ kind: 'review-digest', workspaceId: 'ws_1', voiceId: 'vce_1' }, WATCHDOG_ARN],
      [{ kind: 'import-lease', workspaceId: 'ws_1', jobId: 'imp_1' }, WATCHDOG_ARN],
    ];
    for (const [payload, arn] of timers) {
      await deps.scheduler.schedule({ name: timerName(payload), at: new Date('2030-01-02T09:00:00Z'), payload });
      const stored = env.scheduler.timer(GROUP, timerName(payload));
      expect(stored?.Target, payload.kind).toMatchObject({
        Arn: arn,
        RoleArn: ROLE_ARN,
        DeadLetterConfig: { Arn: DLQ_ARN },
      });
      expect(JSON.parse(stored!.Target.Input!)).toEqual(payload);
    }
  });

  it('sends mail through SES from the linked sender and configuration set', async () => {
    await deps.mailer.send({ to: ['ops@example.org'], subject: 'Cadence lapsed', text: 'x', html: '<p>x</p>' });
    const sent = env.ses.accepted.at(-1)!;
    expect(sent.body.FromEmailAddress).toBe(`Drumbeat <${SENDER}>`);
    expect(sent.body.ConfigurationSetName).toBe('drumbeat-test-config');
  });

  it('gives the API the linked admin token and public URL', () => {
    expect(deps.apiConfig).toMatchObject({ adminToken: 'admin', publicUrl: PUBLIC_URL });
  });

  it('seals secrets under the linked KMS key', async () => {
    const sealed = await deps.sealer.seal('mastodon-token', 'ws_1/acc_1/channel.token');
    expect(sealed).toMatch(/^sealed\.kms1\./);
    expect(env.kms.requestsOf('GenerateDataKey').at(-1)!.body.KeyId).toBe(SEALING_KEY_ARN);
    expect(await deps.sealer.open(sealed, 'ws_1/acc_1/channel.token')).toBe('mastodon-token');
  });

  it('signs /app links with the linked session secret, so another container opens them', async () => {
    const { key } = (await deps.services.workspaces.create({ name: 'Links' })).apiKey;
    const here = createApp(deps.services, deps.apiConfig);
    const res = await here.request('/v1/app-links', {
      method: 'POST',
      headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
      body: '{}',
    });
    expect(res.status).toBe(200);
    const { url } = (await res.json()) as { url: string };
    // Another container: a different process secret, the same linked session secret.
    const there = createApp(deps.services, {
      adminToken: 'admin',
      maxBodyBytes: 1024,
      sessionSecret: 'one-secret-for-every-container',
    });
    const opened = await there.request(new URL(url).pathname + new URL(url).search);
    expect(opened.status).toBe(303);
    expect(opened.headers.get('set-cookie')).toMatch(/drumbeat_session=/);
    const elsewhere = createApp(deps.services, {
      adminToken: 'admin',
      maxBodyBytes: 1024,
      sessionSecret: 'another-stage-secret',
    });
    expect(
      (await elsewhere.request(new URL(url).pathname + new URL(url).search)).headers.get('set-cookie') ?? '',
    ).not.toMatch(/drumbeat_session=[^;]/);
  });
});
