import { existsSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { tableDefinition } from '@drumbeat/store';
import { lambdaBuildOptions } from '../../scripts/bundle.js';
import { ESBUILD_PLUGINS } from '../../infra/lambda.js';
import { edgeInjection } from '../../infra/edge-code.js';
import { ROOT } from '../../scripts/bundle.js';
import { ACCOUNT, REGION, type RecordedResource } from './aws-mocks.js';
import { runSstApp, type SstRun } from './sst-harness.js';

/** sst.config.ts's run(), evaluated by SST's own platform code under Pulumi mocks (see sst-harness.ts). */

type Statement = { Effect: string; Action: string | string[]; Resource?: string | string[]; Principal?: Record<string, string>; Condition?: Record<string, Record<string, string>> };
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
    run = await runSstApp('ci', { SST_SECRET_AdminToken: 'ci-admin-token' });
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
    expect(t.attributes).toEqual(def.AttributeDefinitions!.map((a) => ({ name: a.AttributeName, type: a.AttributeType })));
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

  it('lets the scheduler role invoke exactly the three target functions and write to its DLQ', () => {
    const stmts = h.statements(h.one('aws:iam/rolePolicy:RolePolicy', 'SchedulerRoleInvoke').inputs.policy);
    const targets = ['Publish', 'Watchdog', 'Webhooks'].map((n) => h.one('aws:lambda/function:Function', `${n}Function`).state.arn);
    const invoke = stmts.filter((s) => list(s.Action).includes('lambda:InvokeFunction'));
    expect(invoke.flatMap((s) => list(s.Resource)).sort()).toEqual(targets.sort());
    expect(h.allows(stmts, 'sqs:SendMessage', h.one('aws:sqs/queue:Queue', 'ScheduleDeadLettersQueue').state.arn)).toBe(true);
  });

  it('links the scheduler: group, role and target ARNs that match the deployed functions', () => {
    const link = h.one('sst:sst:LinkRef', 'SchedulerLinkRef').inputs;
    expect(link.properties).toEqual({
      groupName: 'drumbeat-ci-timers',
      roleArn: h.one('aws:iam/role:Role', 'SchedulerRole').state.arn,
      publishArn: h.one('aws:lambda/function:Function', 'PublishFunction').state.arn,
      watchdogArn: h.one('aws:lambda/function:Function', 'WatchdogFunction').state.arn,
      deliverArn: h.one('aws:lambda/function:Function', 'WebhooksFunction').state.arn,
      deadLetterArn: h.one('aws:sqs/queue:Queue', 'ScheduleDeadLettersQueue').state.arn,
    });
  });

  it('gives every function the table, scheduler and email permissions', () => {
    const table = h.one('aws:dynamodb/table:Table', 'TableTable').state.arn;
    const schedules = `arn:aws:scheduler:${REGION}:${ACCOUNT}:schedule/drumbeat-ci-timers/*`;
    const schedulerRole = h.one('aws:iam/role:Role', 'SchedulerRole').state.arn;
    const functions = h.all('aws:lambda/function:Function');
    expect(functions).toHaveLength(4);
    for (const fn of functions) {
      const stmts = h.rolePolicy(h.all('aws:iam/role:Role').find((r) => r.state.arn === fn.inputs.role)!.name);
      expect(h.allows(stmts, 'dynamodb:*', table), fn.name).toBe(true);
      for (const action of ['scheduler:CreateSchedule', 'scheduler:UpdateSchedule', 'scheduler:DeleteSchedule', 'scheduler:GetSchedule']) {
        expect(h.allows(stmts, action, schedules), `${fn.name} ${action}`).toBe(true);
      }
      const pass = stmts.find((s) => list(s.Action).includes('iam:PassRole'));
      expect(list(pass?.Resource), fn.name).toEqual([schedulerRole]);
      expect(pass?.Condition, fn.name).toEqual({ StringEquals: { 'iam:PassedToService': 'scheduler.amazonaws.com' } });
      expect(stmts.some((s) => list(s.Action).includes('ses:SendEmail')), fn.name).toBe(true);
    }
  });

  it('links the public URL: the Router URL unless a custom one is configured', () => {
    expect(h.one('sst:sst:LinkRef', 'WebLinkRef').inputs.properties).toEqual({ url: 'https://d111111abcdef8.cloudfront.net' });
    expect(h.all('sst:sst:LinkRef').map((r) => r.name)).toEqual(expect.arrayContaining(['TableLinkRef', 'SchedulerLinkRef', 'EmailLinkRef', 'AdminTokenLinkRef', 'WebLinkRef']));
  });

  it('runs every function on Node 22, arm64, from a handler file that exists and exports it', () => {
    const functions = h.all('aws:lambda/function:Function');
    for (const fn of functions) {
      expect(fn.inputs.runtime, fn.name).toBe('nodejs22.x');
      expect(fn.inputs.architectures, fn.name).toEqual(['arm64']);
    }
    expect(run.builds.map((b) => b.handler).sort()).toEqual(['functions/api.handler', 'functions/publish.handler', 'functions/watchdog.handler', 'functions/webhooks.handler']);
    expect(functions).toHaveLength(run.builds.length);
    for (const b of run.builds) {
      expect(b.entry && existsSync(b.entry), b.handler).toBe(true);
      expect(b.errors, b.handler).toEqual([]);
      expect(b.exports, b.handler).toContain('handler');
    }
  });

  it('builds each function with the options `npm run bundle` measures', async () => {
    for (const b of run.builds) {
      const script = lambdaBuildOptions(b.options.entryPoints as unknown as string, b.outfile);
      expect(b.properties, b.handler).toMatchObject({ format: 'esm', minify: true, splitting: true, plugins: ESBUILD_PLUGINS });
      expect((b.properties.esbuild as { external?: unknown } | undefined)?.external, `${b.handler}: the AWS SDK is bundled`).toBeUndefined();
      for (const key of ['platform', 'format', 'bundle', 'minify', 'keepNames', 'mainFields', 'external', 'banner', 'splitting', 'chunkNames', 'outExtension'] as const) {
        expect(b.options[key], `${b.handler} ${key}`).toEqual(script[key]);
      }
    }
  });

  it('parks failed scheduler-target invocations in per-function dead-letter queues the functions may write to', () => {
    for (const name of ['Publish', 'Watchdog', 'Webhooks']) {
      const fn = h.one('aws:lambda/function:Function', `${name}Function`);
      const dlq = h.one('aws:sqs/queue:Queue', `${name}DeadLettersQueue`).state.arn;
      expect(fn.inputs.deadLetterConfig).toEqual({ targetArn: dlq });
      expect(fn.inputs.name).toBe(`drumbeat-ci-${name.toLowerCase()}`);
      expect(h.allows(h.rolePolicy(`${name}Role`), 'sqs:SendMessage', dlq), name).toBe(true);
      expect(h.one('aws:lambda/functionEventInvokeConfig:FunctionEventInvokeConfig', `${name}EventInvokeConfig`).inputs.maximumRetryAttempts).toBe(2);
    }
  });

  it('puts the API behind a Router whose viewer-request function screens public requests first', () => {
    const cf = h.all('aws:cloudfront/function:Function');
    expect(cf).toHaveLength(1);
    expect(cf[0]!.inputs.runtime).toBe('cloudfront-js-2.0');
    const code: string = cf[0]!.inputs.code;
    expect(code).toContain(edgeInjection(ROOT));
    expect(code.indexOf('__edgeScreen(event.request)')).toBeLessThan(code.indexOf('getRoutes'));
    // CloudFront Functions are limited to 10 KB of code (read as 10,000 bytes, to be safe).
    expect(Buffer.byteLength(code)).toBeLessThan(10_000);
    const route = h.one('pulumi-nodejs:dynamic:Resource', 'EdgeRoute/RouteKey.sst.aws.KvKeys').inputs;
    expect(JSON.parse(route.entries.metadata).host).toBe(new URL(h.one('aws:lambda/functionUrl:FunctionUrl', 'ApiUrl').state.functionUrl).host);
  });

  it('caches only what the app marks cacheable, keyed on the API key so no response serves another caller', () => {
    const policy = h.one('aws:cloudfront/cachePolicy:CachePolicy', 'EdgeServerCachePolicy').inputs;
    expect(policy.defaultTtl).toBe(0);
    expect(policy.parametersInCacheKeyAndForwardedToOrigin.headersConfig.headers.items).toContain('authorization');
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
    run = await runSstApp('production', { SST_SECRET_AdminToken: 'prod-admin-token', DRUMBEAT_MAIL_SENDER: 'drumbeat.example.org', DRUMBEAT_PUBLIC_URL: 'https://drumbeat.example.org' });
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

  it('links the configured public URL', () => {
    expect(h.one('sst:sst:LinkRef', 'WebLinkRef').inputs.properties).toEqual({ url: 'https://drumbeat.example.org' });
  });

  it('sends mail from the configured domain identity', () => {
    expect(h.one('aws:sesv2/emailIdentity:EmailIdentity', 'EmailIdentity').inputs.emailIdentity).toBe('drumbeat.example.org');
  });

});
