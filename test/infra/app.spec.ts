import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { tableDefinition } from '@drumbeat/store';
import { FUNCTIONS, lambdaBuildOptions } from '../../scripts/bundle.js';
import { API_REFERENCE_SCRIPT, ESBUILD_PLUGINS } from '../../infra/lambda.js';
import { apiReferenceFile } from '../../packages/api/src/docs-page.js';
import { edgeInjection } from '../../infra/edge-code.js';
import { DYNAMO_ACTIONS, MAIL_EVENTS_DYNAMO_ACTIONS } from '../../infra/actions.js';
import { KMS_PURPOSES } from '@drumbeat/aws';
import { IMPORT_FUNCTION_TIMEOUT_MS, IMPORT_JOB_LEASE_MS } from '../../functions/import-job-reaper.js';
import { ORIGIN_HEADER } from '../../functions/origin-guard.js';
import { ROOT } from '../../scripts/bundle.js';
import { ACCOUNT, REGION, type RecordedResource } from './aws-mocks.js';
import { runSstApp, type SstRun } from './sst-harness.js';

/** sst.config.ts's run(), evaluated by SST's own platform code under Pulumi mocks (see sst-harness.ts). */

type Statement = {
  Effect: string;
  Action: string | string[];
  Resource?: string | string[];
  Principal?: Record<string, string>;
  Condition?: Record<string, Record<string, string>>;
};
const list = (v: string | string[] | undefined) => (v === undefined ? [] : Array.isArray(v) ? v : [v]);

function helpers(run: SstRun) {
  const all = (type: string) => run.resources.filter((r) => r.type === type);
  const one = (type: string, name: string): RecordedResource => {
    const found = run.resources.filter((r) => r.type === type && r.name === name);
    expect(found, `${type} ${name}`).toHaveLength(1);
    return found[0]!;
  };
  const statements = (json: string): Statement[] => (JSON.parse(json) as { Statement: Statement[] }).Statement;
  const rolePolicy = (roleName: string): Statement[] => {
    const role = one('aws:iam/role:Role', roleName);
    const inline = role.inputs.inlinePolicies as { policy: string }[];
    return inline.flatMap((p) => statements(p.policy));
  };
  const allows = (stmts: Statement[], action: string, resource: string) =>
    stmts.some((s) => s.Effect === 'Allow' && list(s.Action).includes(action) && list(s.Resource).includes(resource));
  return { all, one, statements, rolePolicy, allows };
}

describe('a development stage', () => {
  let run: SstRun;
  let h: ReturnType<typeof helpers>;
  beforeAll(async () => {
    run = await runSstApp('ci', {
      SST_SECRET_AdminToken: 'ci-admin-token',
      SST_SECRET_SessionSecret: 'ci-session-secret',
    });
    h = helpers(run);
  });

  it('is the drumbeat app on AWS, removed with its stage', () => {
    expect(run.app).toMatchObject({ name: 'drumbeat', home: 'aws', removal: 'remove', protect: false });
  });

  it('returns the API URL, the edge URL and the table name', () => {
    const fnUrl = h.one('aws:lambda/functionUrl:FunctionUrl', 'ApiUrl');
    const table = h.one('aws:dynamodb/table:Table', 'TableTable');
    expect(run.outputs).toMatchObject({
      api: fnUrl.state.functionUrl,
      edge: 'https://d111111abcdef8.cloudfront.net',
      table: table.state.name,
    });
  });

  it('creates the table exactly as the store defines it, on demand, with TTL on expiresAt', () => {
    const def = tableDefinition('x');
    const t = h.one('aws:dynamodb/table:Table', 'TableTable').inputs;
    expect(t.billingMode).toBe(def.BillingMode);
    expect(t.hashKey).toBe(def.KeySchema!.find((k) => k.KeyType === 'HASH')!.AttributeName);
    expect(t.rangeKey).toBe(def.KeySchema!.find((k) => k.KeyType === 'RANGE')!.AttributeName);
    expect(t.attributes).toEqual(
      def.AttributeDefinitions!.map((a) => ({ name: a.AttributeName, type: a.AttributeType })),
    );
    expect(t.globalSecondaryIndexes).toEqual(
      def.GlobalSecondaryIndexes!.map((g) => ({
        name: g.IndexName,
        hashKey: g.KeySchema!.find((k) => k.KeyType === 'HASH')!.AttributeName,
        rangeKey: g.KeySchema!.find((k) => k.KeyType === 'RANGE')!.AttributeName,
        projectionType: g.Projection!.ProjectionType,
      })),
    );
    expect(t.ttl).toEqual({ attributeName: 'expiresAt', enabled: true });
    expect(t.pointInTimeRecovery).toEqual({ enabled: false });
    expect(t.deletionProtectionEnabled).toBe(false);
  });

  it('makes a schedule group and a role only EventBridge Scheduler of this account and group may assume', () => {
    const group = h.one('aws:scheduler/scheduleGroup:ScheduleGroup', 'ScheduleGroup');
    expect(group.inputs.name).toBe('drumbeat-ci-timers');
    const trust = h.statements(h.one('aws:iam/role:Role', 'SchedulerRole').inputs.assumeRolePolicy);
    expect(trust).toEqual([
      {
        Effect: 'Allow',
        Principal: { Service: 'scheduler.amazonaws.com' },
        Action: 'sts:AssumeRole',
        Condition: { StringEquals: { 'aws:SourceAccount': ACCOUNT }, ArnEquals: { 'aws:SourceArn': group.state.arn } },
      },
    ]);
  });

  it('lets the scheduler role invoke exactly the four target functions and write to its DLQ', () => {
    const stmts = h.statements(h.one('aws:iam/rolePolicy:RolePolicy', 'SchedulerRoleInvoke').inputs.policy);
    const targets = ['Publish', 'Watchdog', 'Webhooks', 'Listen'].map(
      (n) => h.one('aws:lambda/function:Function', `${n}Function`).state.arn,
    );
    const invoke = stmts.filter((s) => list(s.Action).includes('lambda:InvokeFunction'));
    expect(invoke.flatMap((s) => list(s.Resource)).sort()).toEqual(targets.sort());
    expect(h.allows(stmts, 'sqs:SendMessage', h.one('aws:sqs/queue:Queue', 'ScheduleDeadLettersQueue').state.arn)).toBe(
      true,
    );
  });

  it('links the scheduler: group, role and target ARNs that match the deployed functions', () => {
    const link = h.one('sst:sst:LinkRef', 'SchedulerLinkRef').inputs;
    expect(link.properties).toEqual({
      groupName: 'drumbeat-ci-timers',
      roleArn: h.one('aws:iam/role:Role', 'SchedulerRole').state.arn,
      publishArn: h.one('aws:lambda/function:Function', 'PublishFunction').state.arn,
      watchdogArn: h.one('aws:lambda/function:Function', 'WatchdogFunction').state.arn,
      deliverArn: h.one('aws:lambda/function:Function', 'WebhooksFunction').state.arn,
      listenArn: h.one('aws:lambda/function:Function', 'ListenFunction').state.arn,
      deadLetterArn: h.one('aws:sqs/queue:Queue', 'ScheduleDeadLettersQueue').state.arn,
      publishQueueUrl: h.one('aws:sqs/queue:Queue', 'PublishTimersQueue').state.url,
      watchdogQueueUrl: h.one('aws:sqs/queue:Queue', 'WatchdogTimersQueue').state.url,
    });
  });

  it('lands publish and watchdog timers to the second: a delay queue each, its dead-letter queue, consumed by that function', () => {
    for (const [name, fnName] of [
      ['PublishTimers', 'Publish'],
      ['WatchdogTimers', 'Watchdog'],
    ] as const) {
      const queue = h.one('aws:sqs/queue:Queue', `${name}Queue`);
      const dlq = h.one('aws:sqs/queue:Queue', `${name}DeadLettersQueue`);
      // Three receives (a try and two retries, two minutes apart), then the dead-letter queue, kept 14 days.
      expect(JSON.parse(queue.inputs.redrivePolicy), name).toEqual({
        deadLetterTargetArn: dlq.state.arn,
        maxReceiveCount: 3,
      });
      expect(queue.inputs.visibilityTimeoutSeconds, name).toBe(120);
      // No queue-wide delay: each message carries its own.
      expect(queue.inputs.delaySeconds ?? 0, name).toBe(0);
      expect(queue.inputs.fifoQueue, name).toBe(false);
      expect(dlq.inputs.messageRetentionSeconds, name).toBe(14 * 24 * 3600);
      const fn = h.one('aws:lambda/function:Function', `${fnName}Function`).state;
      const mapping = h.one('aws:lambda/eventSourceMapping:EventSourceMapping', `${fnName}TimersMapping`).inputs;
      expect(mapping, name).toMatchObject({
        eventSourceArn: queue.state.arn,
        functionName: fn.name,
        batchSize: 10,
        maximumBatchingWindowInSeconds: 0,
        functionResponseTypes: ['ReportBatchItemFailures'],
      });
      // The consumer may receive and delete on its own queue only.
      const stmts = h.rolePolicy(`${fnName}Role`);
      for (const action of ['sqs:ReceiveMessage', 'sqs:DeleteMessage', 'sqs:GetQueueAttributes'])
        expect(h.allows(stmts, action, queue.state.arn), `${fnName} ${action}`).toBe(true);
      const other = h.one(
        'aws:sqs/queue:Queue',
        name === 'PublishTimers' ? 'WatchdogTimersQueue' : 'PublishTimersQueue',
      ).state.arn;
      expect(h.allows(stmts, 'sqs:ReceiveMessage', other), fnName).toBe(false);
    }
    // Publish polls with no more invocations than it reserves; the watchdog reserves none.
    expect(
      h.one('aws:lambda/eventSourceMapping:EventSourceMapping', 'PublishTimersMapping').inputs.scalingConfig,
    ).toEqual({ maximumConcurrency: 10 });
    expect(
      h.one('aws:lambda/eventSourceMapping:EventSourceMapping', 'WatchdogTimersMapping').inputs.scalingConfig,
    ).toBeUndefined();
    expect(h.all('aws:lambda/eventSourceMapping:EventSourceMapping')).toHaveLength(2);
    // Every function that arms timers may queue one (a post due in 20 s goes straight to the queue); none may read them but the consumer.
    const queues = ['PublishTimersQueue', 'WatchdogTimersQueue'].map((q) => h.one('aws:sqs/queue:Queue', q).state.arn);
    for (const name of ['Api', 'Publish', 'Watchdog', 'Webhooks']) {
      const stmts = h.rolePolicy(`${name}Role`);
      for (const q of queues) expect(h.allows(stmts, 'sqs:SendMessage', q), `${name} ${q}`).toBe(true);
    }
    for (const q of queues) expect(h.allows(h.rolePolicy('ApiRole'), 'sqs:ReceiveMessage', q)).toBe(false);
  });

  it('gives every function exactly the table actions the store uses, on the table and its index, and sends mail only from its identity', () => {
    const table = h.one('aws:dynamodb/table:Table', 'TableTable').state.arn;
    const identity = h.one('aws:sesv2/emailIdentity:EmailIdentity', 'EmailIdentity').state.arn;
    const configSet = h.one('aws:sesv2/configurationSet:ConfigurationSet', 'EmailConfig').state.arn;
    const schedules = `arn:aws:scheduler:${REGION}:${ACCOUNT}:schedule/drumbeat-ci-timers/*`;
    const schedulerRole = h.one('aws:iam/role:Role', 'SchedulerRole').state.arn;
    for (const name of ['Api', 'Publish', 'Watchdog', 'Webhooks', 'Imports']) {
      const stmts = h.rolePolicy(`${name}Role`);
      const dynamo = stmts.filter((s) => list(s.Action).some((a) => a.startsWith('dynamodb:')));
      expect(dynamo, name).toEqual([
        { Effect: 'Allow', Action: [...DYNAMO_ACTIONS], Resource: [table, `${table}/index/gsi1`] },
      ]);
      const ses = stmts.filter((s) => list(s.Action).some((a) => a.startsWith('ses:')));
      expect(ses, name).toEqual([{ Effect: 'Allow', Action: 'ses:SendEmail', Resource: [identity, configSet] }]);
      for (const action of [
        'scheduler:CreateSchedule',
        'scheduler:UpdateSchedule',
        'scheduler:DeleteSchedule',
        'scheduler:GetSchedule',
      ]) {
        expect(h.allows(stmts, action, schedules), `${name} ${action}`).toBe(true);
      }
      // ListSchedules has no resource-level permission.
      expect(h.allows(stmts, 'scheduler:ListSchedules', '*'), name).toBe(true);
      const pass = stmts.find((s) => list(s.Action).includes('iam:PassRole'));
      expect(list(pass?.Resource), name).toEqual([schedulerRole]);
      expect(pass?.Condition, name).toEqual({ StringEquals: { 'iam:PassedToService': 'scheduler.amazonaws.com' } });
      // Nothing anywhere is granted with a service wildcard.
      expect(
        stmts.flatMap((s) => list(s.Action)).filter((a) => a.endsWith(':*') || a === '*'),
        name,
      ).toEqual([]);
    }
  });

  it('seals secrets in the API and opens them only where they are used (publish, webhooks); link secrets only under their own KMS purpose (API, publish, watchdog)', () => {
    const key = h.one('aws:kms/key:Key', 'SealingKey');
    expect(key.inputs.enableKeyRotation).toBe(true);
    const kms = (name: string) =>
      h
        .rolePolicy(`${name}Role`)
        .filter((s) => list(s.Action).some((a) => a.startsWith('kms:')))
        .map((s) => ({
          actions: list(s.Action),
          resources: list(s.Resource),
          ...(s.Condition ? { condition: s.Condition } : {}),
        }));
    const linkSecrets = {
      actions: ['kms:GenerateDataKey', 'kms:Decrypt'],
      resources: [key.state.arn],
      condition: { StringEquals: { 'kms:EncryptionContext:purpose': KMS_PURPOSES.linkSecrets } },
    };
    expect(kms('Api')).toEqual([{ actions: ['kms:GenerateDataKey'], resources: [key.state.arn] }, linkSecrets]);
    expect(kms('Publish')).toEqual([{ actions: ['kms:Decrypt'], resources: [key.state.arn] }, linkSecrets]);
    expect(kms('Webhooks')).toEqual([{ actions: ['kms:Decrypt'], resources: [key.state.arn] }]);
    expect(kms('Watchdog')).toEqual([linkSecrets]);
    expect(kms('Imports')).toEqual([]);
    expect(kms('MailEventsHandler')).toEqual([]);
    expect(h.one('sst:sst:LinkRef', 'SealingLinkRef').inputs.properties).toEqual({ keyArn: key.state.arn });
  });

  it('puts the function URL behind the Router: a secret origin header the edge sets, no CORS, capped concurrency', () => {
    const url = h.one('aws:lambda/functionUrl:FunctionUrl', 'ApiUrl').inputs;
    expect(url.authorizationType).toBe('NONE');
    expect(url.cors).toBeUndefined();
    const secret = h.one('sst:sst:LinkRef', 'OriginLinkRef').inputs.properties.secret;
    expect(secret).toMatch(/^[0-9a-f]{32}$/);
    const code: string = h.all('aws:cloudfront/function:Function')[0]!.inputs.code;
    expect(code).toContain(edgeInjection(ROOT, secret));
    expect(code).toContain(`event.request.headers["${ORIGIN_HEADER}"]={value:"${secret}"};`);
    expect(h.one('aws:lambda/function:Function', 'ApiFunction').inputs.reservedConcurrentExecutions).toBe(20);
    expect(h.one('aws:lambda/function:Function', 'PublishFunction').inputs.reservedConcurrentExecutions).toBe(10);
    // No WAF unless a rate limit is configured.
    expect(h.all('aws:wafv2/webAcl:WebAcl')).toEqual([]);
  });

  it('routes SES bounces and complaints to a handler that may suppress addresses, open in-app alerts and alert the operators, and nothing else', () => {
    const topic = h.one('aws:sns/topic:Topic', 'MailEvents').state.arn;
    const dest = h.one(
      'aws:sesv2/configurationSetEventDestination:ConfigurationSetEventDestination',
      'EmailEventbounces-and-complaints',
    ).inputs.eventDestination;
    expect(dest.matchingEventTypes.map((t: string) => t.toLowerCase()).sort()).toEqual(['bounce', 'complaint']);
    expect(dest.snsDestination.topicArn).toBe(topic);
    expect(h.one('aws:sesv2/configurationSet:ConfigurationSet', 'EmailConfig').inputs.suppressionOptions).toEqual({
      suppressedReasons: ['BOUNCE', 'COMPLAINT'],
    });
    const handler = h.one('aws:lambda/function:Function', 'MailEventsHandlerFunction').state;
    expect(h.one('aws:sns/topicSubscription:TopicSubscription', 'MailEventsSubscription').inputs).toMatchObject({
      topic,
      protocol: 'lambda',
      endpoint: handler.arn,
    });
    expect(h.one('aws:lambda/permission:Permission', 'MailEventsInvoke').inputs).toMatchObject({
      principal: 'sns.amazonaws.com',
      sourceArn: topic,
    });
    const alerts = h.one('aws:sns/topic:Topic', 'Alerts').state.arn;
    const stmts = h
      .rolePolicy('MailEventsHandlerRole')
      .filter((s) => !list(s.Action).some((a) => a.startsWith('logs:') || a.startsWith('sqs:')));
    expect(stmts.map((s) => [list(s.Action), list(s.Resource)])).toEqual(
      expect.arrayContaining([
        [['ses:PutSuppressedDestination'], ['*']],
        [['sns:Publish'], [alerts]],
      ]),
    );
    // Its own table link: the four actions the handler uses (test/functions/mail-events.test.ts records them), on the table, no index.
    const table = h.one('aws:dynamodb/table:Table', 'TableTable').state.arn;
    const dynamo = stmts.filter((s) => list(s.Action).some((a) => a.startsWith('dynamodb:')));
    expect(dynamo.map((s) => [s.Effect, list(s.Action), list(s.Resource)])).toEqual([
      ['Allow', [...MAIL_EVENTS_DYNAMO_ACTIONS], [table]],
    ]);
    expect(h.one('sst:sst:LinkRef', 'MailEventsTableLinkRef').inputs.properties).toEqual({
      name: h.one('aws:dynamodb/table:Table', 'TableTable').state.name,
    });
    // It arms the accounts' watchdog timers (the watchdog mails the alert), and neither sends mail nor opens secrets.
    expect(
      h.allows(
        stmts,
        'scheduler:CreateSchedule',
        `arn:aws:scheduler:${REGION}:${ACCOUNT}:schedule/drumbeat-ci-timers/*`,
      ),
    ).toBe(true);
    const watchdogQueue = h.one('aws:sqs/queue:Queue', 'WatchdogTimersQueue').state.arn;
    expect(h.allows(h.rolePolicy('MailEventsHandlerRole'), 'sqs:SendMessage', watchdogQueue)).toBe(true);
    expect(
      stmts.flatMap((s) => list(s.Action)).filter((a) => a.startsWith('ses:') && a !== 'ses:PutSuppressedDestination'),
    ).toEqual([]);
    expect(stmts.flatMap((s) => list(s.Action)).filter((a) => a.endsWith(':*') || a === '*')).toEqual([]);
  });

  it('alarms on every dead-letter queue and on every function error and throttle, to the alert topic', () => {
    const alerts = h.one('aws:sns/topic:Topic', 'Alerts').state.arn;
    // A value derived from a secret (the API links secrets) is recorded wrapped: { <secret signature>: …, value }.
    const unwrap = (v: any) => (v && typeof v === 'object' && '4dabf18193072939515e22adb298388d' in v ? v.value : v);
    const alarms: Record<string, any>[] = h
      .all('aws:cloudwatch/metricAlarm:MetricAlarm')
      .map((a) => ({ ...a.inputs, dimensions: unwrap(a.inputs.dimensions) }));
    for (const a of alarms) {
      expect(a.alarmActions).toEqual([alerts]);
      expect(a).toMatchObject({
        threshold: 0,
        comparisonOperator: 'GreaterThanThreshold',
        treatMissingData: 'notBreaching',
      });
    }
    // Every dead-letter queue; the precise-timer queues themselves hold messages by design (their delay).
    const queues = h
      .all('aws:sqs/queue:Queue')
      .filter((q) => q.name.includes('DeadLetters'))
      .map((q) => q.state.name);
    expect(queues).toHaveLength(9);
    const queueAlarms = alarms
      .filter((a) => a.metricName === 'ApproximateNumberOfMessagesVisible')
      .map((a) => a.dimensions.QueueName);
    expect(queueAlarms.sort()).toEqual([...queues].sort());
    const functions = h.all('aws:lambda/function:Function').map((f) => f.state.name);
    for (const metric of ['Errors', 'Throttles']) {
      expect(
        alarms
          .filter((a) => a.metricName === metric)
          .map((a) => a.dimensions.FunctionName)
          .sort(),
        metric,
      ).toEqual([...functions].sort());
    }
    // No alert addresses configured here: the topic has no subscription.
    expect(h.all('aws:sns/topicSubscription:TopicSubscription').filter((s) => s.inputs.protocol === 'email')).toEqual(
      [],
    );
  });

  it('logs JSON from every function', () => {
    for (const fn of h.all('aws:lambda/function:Function'))
      expect(fn.inputs.loggingConfig?.logFormat, fn.name).toBe('JSON');
  });

  it('traces every function with X-Ray (active), granted only the two daemon write actions', () => {
    const functions = h.all('aws:lambda/function:Function');
    expect(functions).toHaveLength(7);
    for (const fn of functions) {
      expect(fn.inputs.tracingConfig, fn.name).toEqual({ mode: 'Active' });
      const role = fn.name.replace(/Function$/, 'Role');
      const xray = h.rolePolicy(role).filter((s) => list(s.Action).some((a) => a.startsWith('xray:')));
      expect(
        xray.map((s) => [list(s.Action), list(s.Resource)]),
        fn.name,
      ).toEqual([[['xray:PutTraceSegments', 'xray:PutTelemetryRecords'], ['*']]]);
    }
  });

  it('runs large imports in the Imports function, which only the API may invoke, asynchronously and without retries', () => {
    const fn = h.one('aws:lambda/function:Function', 'ImportsFunction');
    expect(fn.inputs.timeout).toBe(900);
    // A job's lease outlives its run: past it, a job still running has no run left and is undone (functions/import-job-reaper.ts).
    expect(fn.inputs.timeout * 1000).toBe(IMPORT_FUNCTION_TIMEOUT_MS);
    expect(IMPORT_JOB_LEASE_MS).toBeGreaterThan(IMPORT_FUNCTION_TIMEOUT_MS);
    expect(fn.inputs.reservedConcurrentExecutions).toBe(2);
    const config = h.one(
      'aws:lambda/functionEventInvokeConfig:FunctionEventInvokeConfig',
      'ImportsEventInvokeConfig',
    ).inputs;
    expect(config.maximumRetryAttempts).toBe(0);
    const dlq = h.one('aws:sqs/queue:Queue', 'ImportsDeadLettersQueue').state.arn;
    expect(config.destinationConfig).toEqual({ onFailure: { destination: dlq } });
    expect(h.allows(h.rolePolicy('ImportsRole'), 'sqs:SendMessage', dlq)).toBe(true);
    expect(h.one('sst:sst:LinkRef', 'ImportsLinkRef').inputs.properties.name).toBe(fn.state.name);
    const invokers = ['Api', 'Publish', 'Watchdog', 'Webhooks', 'Imports', 'MailEventsHandler'].filter((n) =>
      h.rolePolicy(`${n}Role`).some((s) => list(s.Action).includes('lambda:InvokeFunction')),
    );
    expect(invokers).toEqual(['Api']);
    const invoke = h.rolePolicy('ApiRole').filter((s) => list(s.Action).includes('lambda:InvokeFunction'));
    expect(invoke.map((s) => list(s.Resource))).toEqual([[fn.state.arn]]);
    // A job's lease timer (import-<jobId>) runs in the watchdog function, which needs nothing new: the scheduler role
    // invokes it already, and it may do to the table and the schedules all that the run it undoes did.
    const watchdog = h.one('aws:lambda/function:Function', 'WatchdogFunction').state.arn;
    expect(
      h.allows(
        h.statements(h.one('aws:iam/rolePolicy:RolePolicy', 'SchedulerRoleInvoke').inputs.policy),
        'lambda:InvokeFunction',
        watchdog,
      ),
    ).toBe(true);
    const runGrants = (name: string) =>
      h
        .rolePolicy(`${name}Role`)
        .filter((s) => list(s.Action).some((a) => /^(dynamodb|scheduler):/.test(a) || a === 'iam:PassRole'));
    expect(runGrants('Imports').length).toBeGreaterThan(0);
    expect(runGrants('Watchdog')).toEqual(runGrants('Imports'));
  });

  it('links the public URL: the Router URL unless a custom one is configured', () => {
    expect(h.one('sst:sst:LinkRef', 'WebLinkRef').inputs.properties).toEqual({
      url: 'https://d111111abcdef8.cloudfront.net',
    });
    expect(h.all('sst:sst:LinkRef').map((r) => r.name)).toEqual(
      expect.arrayContaining([
        'TableLinkRef',
        'SchedulerLinkRef',
        'EmailLinkRef',
        'AdminTokenLinkRef',
        'SessionSecretLinkRef',
        'WebLinkRef',
        'OriginLinkRef',
        'SealingLinkRef',
      ]),
    );
    expect(h.all('aws:cloudfront/distribution:Distribution')[0]!.inputs.aliases ?? []).toEqual([]);
  });

  it('runs every function on Node 22, arm64, from a handler file that exists and exports it', () => {
    const functions = h.all('aws:lambda/function:Function');
    for (const fn of functions) {
      expect(fn.inputs.runtime, fn.name).toBe('nodejs22.x');
      expect(fn.inputs.architectures, fn.name).toEqual(['arm64']);
    }
    expect(run.builds.map((b) => b.handler).sort()).toEqual([
      'functions/api.handler',
      'functions/imports.handler',
      'functions/listen.handler',
      'functions/mail-events.handler',
      'functions/publish.handler',
      'functions/watchdog.handler',
      'functions/webhooks.handler',
    ]);
    expect(functions).toHaveLength(run.builds.length);
    // `npm run bundle` (and the bundle tests) build exactly the functions the app deploys.
    expect(
      Object.values(FUNCTIONS)
        .map((f) => f.replace(/\.ts$/, '.handler'))
        .sort(),
    ).toEqual(run.builds.map((b) => b.handler).sort());
    for (const b of run.builds) {
      expect(b.entry && existsSync(b.entry), b.handler).toBe(true);
      expect(b.errors, b.handler).toEqual([]);
      expect(b.exports, b.handler).toContain('handler');
    }
  });

  it("copies Scalar's script into the API function only, where /docs reads it", () => {
    const api = run.builds.find((b) => b.handler === 'functions/api.handler')!;
    expect(api.copyFiles).toEqual([
      { from: join(ROOT, API_REFERENCE_SCRIPT), to: 'docs/api-reference.js', isDir: false },
    ]);
    expect(statSync(api.copyFiles[0]!.from).size).toBeGreaterThan(1_000_000);
    expect(apiReferenceFile({ LAMBDA_TASK_ROOT: '/var/task' })).toBe('/var/task/docs/api-reference.js');
    for (const b of run.builds.filter((x) => x !== api)) expect(b.copyFiles, b.handler).toEqual([]);
  });

  it('builds each function with the options `npm run bundle` measures', async () => {
    for (const b of run.builds) {
      const script = lambdaBuildOptions(b.options.entryPoints as unknown as string, b.outfile);
      expect(b.properties, b.handler).toMatchObject({
        format: 'esm',
        minify: true,
        splitting: true,
        plugins: ESBUILD_PLUGINS,
      });
      expect(
        (b.properties.esbuild as { external?: unknown } | undefined)?.external,
        `${b.handler}: the AWS SDK is bundled`,
      ).toBeUndefined();
      for (const key of [
        'platform',
        'format',
        'bundle',
        'minify',
        'keepNames',
        'mainFields',
        'external',
        'banner',
        'splitting',
        'chunkNames',
        'outExtension',
      ] as const) {
        expect(b.options[key], `${b.handler} ${key}`).toEqual(script[key]);
      }
    }
  });

  it('sends failed asynchronous invocations, with their error and attempt count, to per-function on-failure queues', () => {
    for (const name of ['Publish', 'Watchdog', 'Webhooks', 'MailEventsHandler']) {
      const fn = h.one('aws:lambda/function:Function', `${name}Function`);
      const queue = name === 'MailEventsHandler' ? 'MailEventsDeadLettersQueue' : `${name}DeadLettersQueue`;
      const dlq = h.one('aws:sqs/queue:Queue', queue).state.arn;
      expect(fn.inputs.deadLetterConfig, name).toBeUndefined();
      if (name !== 'MailEventsHandler') expect(fn.inputs.name).toBe(`drumbeat-ci-${name.toLowerCase()}`);
      expect(h.allows(h.rolePolicy(`${name}Role`), 'sqs:SendMessage', dlq), name).toBe(true);
      const config = h.one(
        'aws:lambda/functionEventInvokeConfig:FunctionEventInvokeConfig',
        `${name}EventInvokeConfig`,
      ).inputs;
      expect(config.maximumRetryAttempts, name).toBe(2);
      expect(config.destinationConfig, name).toEqual({ onFailure: { destination: dlq } });
    }
  });

  it('puts the API behind a Router whose viewer-request function screens public requests first', () => {
    const cf = h.all('aws:cloudfront/function:Function');
    expect(cf).toHaveLength(1);
    expect(cf[0]!.inputs.runtime).toBe('cloudfront-js-2.0');
    const code: string = cf[0]!.inputs.code;
    expect(code).toContain(edgeInjection(ROOT, h.one('sst:sst:LinkRef', 'OriginLinkRef').inputs.properties.secret));
    expect(code.indexOf('__edgeScreen(event.request)')).toBeLessThan(code.indexOf('getRoutes'));
    // CloudFront Functions are limited to 10 KB of code (read as 10,000 bytes, to be safe).
    expect(Buffer.byteLength(code)).toBeLessThan(10_000);
    const route = h.one('pulumi-nodejs:dynamic:Resource', 'EdgeRoute/RouteKey.sst.aws.KvKeys').inputs;
    expect(JSON.parse(route.entries.metadata).host).toBe(
      new URL(h.one('aws:lambda/functionUrl:FunctionUrl', 'ApiUrl').state.functionUrl).host,
    );
  });

  it('caches only what the app marks cacheable, keyed on the API key so no response serves another caller', () => {
    const policy = h.one('aws:cloudfront/cachePolicy:CachePolicy', 'EdgeServerCachePolicy').inputs;
    expect(policy.defaultTtl).toBe(0);
    expect(policy.parametersInCacheKeyAndForwardedToOrigin.headersConfig.headers.items).toContain('authorization');
    // The query string stays in the key for the API's own routes; the edge drops it for /t and /feeds (test/functions/edge.test.ts).
    expect(policy.parametersInCacheKeyAndForwardedToOrigin.queryStringsConfig.queryStringBehavior).toBe('all');
  });

  it('calls nothing of the SST CLI but builds and the bootstrap lookup', () => {
    expect(new Set(run.rpcCalls)).toEqual(new Set(['Runtime.Build', 'Provider.Aws.Bootstrap']));
  });
});

describe('a production stage', () => {
  let run: SstRun;
  let h: ReturnType<typeof helpers>;
  beforeAll(async () => {
    run = await runSstApp('production', {
      SST_SECRET_AdminToken: 'prod-admin-token',
      SST_SECRET_SessionSecret: 'prod-session-secret',
      DRUMBEAT_MAIL_SENDER: 'drumbeat.example.org',
      DRUMBEAT_PUBLIC_URL: 'https://drumbeat.example.org',
    });
    h = helpers(run);
  });

  it('retains and protects its resources', () => {
    expect(run.app).toMatchObject({ removal: 'retain', protect: true });
  });

  it('turns on point-in-time recovery and deletion protection for the table', () => {
    const t = h.one('aws:dynamodb/table:Table', 'TableTable').inputs;
    expect(t.pointInTimeRecovery).toEqual({ enabled: true });
    expect(t.deletionProtectionEnabled).toBe(true);
  });

  it('links the configured public URL, and the Router serves that domain with its own certificate', () => {
    expect(h.one('sst:sst:LinkRef', 'WebLinkRef').inputs.properties).toEqual({ url: 'https://drumbeat.example.org' });
    expect(h.all('aws:cloudfront/distribution:Distribution')[0]!.inputs.aliases).toEqual(['drumbeat.example.org']);
    const cert = h.all('aws:acm/certificate:Certificate');
    expect(cert.map((c) => c.inputs.domainName)).toEqual(['drumbeat.example.org']);
    expect(
      h.all('aws:cloudfront/distribution:Distribution')[0]!.inputs.viewerCertificate.acmCertificateArn,
    ).toBeDefined();
  });

  it('sends mail from the configured domain identity', () => {
    expect(h.one('aws:sesv2/emailIdentity:EmailIdentity', 'EmailIdentity').inputs.emailIdentity).toBe(
      'drumbeat.example.org',
    );
  });
});

describe("the README's deploy order", () => {
  const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
  const section = readme.slice(readme.indexOf('## Deploy to AWS'), readme.indexOf('## API reference'));
  const commands = (/```sh\n([\s\S]*?)```/.exec(section)?.[1] ?? '').split('\n').filter(Boolean);
  const secretsSet = commands.flatMap((c) => /npx sst secret set (\w+) /.exec(c)?.slice(1) ?? []);
  const firstDeploy = commands.findIndex((c) => c.includes('npx sst deploy'));

  it('sets every secret before the first deploy', () => {
    expect(firstDeploy).toBeGreaterThan(0);
    const setAt = commands.map((c, i) => (c.includes('npx sst secret set') ? i : -1)).filter((i) => i >= 0);
    expect(setAt.length).toBeGreaterThan(0);
    expect(Math.max(...setAt)).toBeLessThan(firstDeploy);
  });

  it('sets exactly the secrets the app declares, and a deploy with them succeeds', async () => {
    const env = Object.fromEntries(secretsSet.map((name) => [`SST_SECRET_${name}`, `readme-${name}`]));
    const run = await runSstApp('readme', env);
    const declared = run.resources.filter((r) => r.type === 'sst:sst:Secret').map((r) => r.name);
    expect([...secretsSet].sort()).toEqual([...declared].sort());
    expect(run.outputs.edge).toBeDefined();
  });

  it('refuses to deploy while any of them is unset, naming it (the order matters)', async () => {
    for (const missing of secretsSet) {
      const env = Object.fromEntries(
        secretsSet.filter((n) => n !== missing).map((name) => [`SST_SECRET_${name}`, 'x']),
      );
      // In a process of its own: a failed run leaves callbacks behind (see run-app-child.ts).
      // (Its exit status is not read: esbuild's service may die noisily when the process exits mid-build.)
      const child = spawnSync(
        process.execPath,
        ['--import', 'tsx', join(ROOT, 'test/infra/run-app-child.ts'), 'readme', JSON.stringify(env)],
        { cwd: ROOT, encoding: 'utf8', timeout: 120_000 },
      );
      const result = JSON.parse(child.stdout.trim().split('\n').pop() ?? '{}') as { ok?: boolean; error?: string };
      expect(result.ok, missing).toBeUndefined();
      expect(result.error, missing).toContain(`Set a value for ${missing} with \`sst secret set ${missing} <value>\``);
    }
  });
});

describe('a production stage whose DNS lives elsewhere, with a WAF and alert addresses', () => {
  let run: SstRun;
  let h: ReturnType<typeof helpers>;
  const CERT = `arn:aws:acm:us-east-1:${ACCOUNT}:certificate/0f0e0d0c-0b0a-0908-0706-050403020100`;
  beforeAll(async () => {
    run = await runSstApp('prod', {
      SST_SECRET_AdminToken: 't',
      SST_SECRET_SessionSecret: 's',
      DRUMBEAT_MAIL_SENDER: 'acme.example',
      DRUMBEAT_PUBLIC_URL: 'https://drumbeat.acme.example',
      DRUMBEAT_DNS: 'manual',
      DRUMBEAT_CERT_ARN: CERT,
      DRUMBEAT_WAF_RATE_LIMIT: '1000',
      DRUMBEAT_ALERT_EMAILS: 'ops@acme.example, oncall@acme.example',
      DRUMBEAT_API_CONCURRENCY: 'none',
    });
    h = helpers(run);
  });

  it('serves the domain with the given certificate and creates no DNS record', () => {
    const dist = h.all('aws:cloudfront/distribution:Distribution')[0]!.inputs;
    expect(dist.aliases).toEqual(['drumbeat.acme.example']);
    expect(dist.viewerCertificate.acmCertificateArn).toBe(CERT);
    expect(h.all('aws:acm/certificate:Certificate')).toEqual([]);
    expect(h.all('aws:route53/record:Record')).toEqual([]);
    expect(h.one('sst:sst:LinkRef', 'WebLinkRef').inputs.properties).toEqual({ url: 'https://drumbeat.acme.example' });
  });

  it('makes the domain identity without DNS and outputs the DKIM records to add by hand', () => {
    expect(h.one('aws:sesv2/emailIdentity:EmailIdentity', 'EmailIdentity').inputs.emailIdentity).toBe('acme.example');
    expect(run.outputs.dkim).toEqual(
      ['dkimtokena', 'dkimtokenb', 'dkimtokenc'].map((t) => ({
        type: 'CNAME',
        name: `${t}._domainkey`,
        value: `${t}.dkim.amazonses.com`,
      })),
    );
  });

  it('puts a rate-based WAF rule in front of the Router', () => {
    const acls = h.all('aws:wafv2/webAcl:WebAcl');
    expect(acls).toHaveLength(1);
    const rules = acls[0]!.inputs.rules as {
      statement: { rateBasedStatement?: { limit: number; aggregateKeyType: string } };
    }[];
    expect(rules.map((r) => r.statement.rateBasedStatement).filter(Boolean)).toEqual([
      expect.objectContaining({ limit: 1000, aggregateKeyType: 'IP' }),
    ]);
    expect(h.all('aws:cloudfront/distribution:Distribution')[0]!.inputs.webAclId).toBe(acls[0]!.state.arn);
  });

  it('subscribes the alert addresses to the alarm topic, and lifts the API cap when asked', () => {
    const alerts = h.one('aws:sns/topic:Topic', 'Alerts').state.arn;
    const subs = h.all('aws:sns/topicSubscription:TopicSubscription').filter((s) => s.inputs.protocol === 'email');
    expect(subs.map((s) => [s.inputs.topic, s.inputs.endpoint])).toEqual([
      [alerts, 'ops@acme.example'],
      [alerts, 'oncall@acme.example'],
    ]);
    expect(h.one('aws:lambda/function:Function', 'ApiFunction').inputs.reservedConcurrentExecutions).toBeUndefined();
    expect(h.one('aws:lambda/function:Function', 'PublishFunction').inputs.reservedConcurrentExecutions).toBe(10);
  });
});
