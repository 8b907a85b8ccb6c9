import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { ManualClock } from '@drumbeat/core';
import { createApp } from '@drumbeat/api';
import { awsClients, build, configFromResource, type FunctionDeps } from '../../functions/deps.js';
import { runImportJob, parseImportJobEvent } from '../../functions/import-job-run.js';
import { IMPORT_JOB_LEASE_MS, runImportLease } from '../../functions/import-job-reaper.js';
import { accountBody } from '../support/api.js';
import type { LambdaStandin } from '../support/lambda-standin.js';
import { ADMIN_TOKEN, GROUP, startImportsEnv, WATCHDOG_ARN, type LambdaEnv } from './lambda-env.js';

/**
 * An import job whose run dies half-way (a Lambda timeout, a crash): its
 * process simply stops. Here the runner's DynamoDB client stops answering after
 * half the posts are stored, so the run never ends, as a killed one would not.
 * Time is a manual clock shared by the runner and the API. The run arms a
 * lease timer (`import-<jobId>`, on the watchdog function) at its lease end.
 */

const ROWS = 200;
const silent = { info: () => undefined, warn: () => undefined, error: () => undefined };
let env: LambdaEnv;
let lambda: LambdaStandin;
let clock: ManualClock;
let reader: FunctionDeps;
let app: ReturnType<typeof createApp>;
let key: string;
let accountId: string;

/** A DynamoDB client that, after `stored` post puts, never answers again (the process is gone). */
function dyingDynamo(stored: number): { client: DynamoDBClient; dead: () => boolean } {
  const client = new DynamoDBClient({});
  let puts = 0;
  let dead = false;
  client.middlewareStack.add(
    (next) => async (args) => {
      if (dead) return new Promise<never>(() => undefined);
      const sk = (args.input as { Item?: { sk?: string | { S?: string } } }).Item?.sk;
      const s = typeof sk === 'string' ? sk : sk?.S;
      if (s?.startsWith('POST#') && ++puts > stored) {
        dead = true;
        return new Promise<never>(() => undefined);
      }
      return next(args);
    },
    { step: 'build', name: 'dieAfterHalf' },
  );
  return { client, dead: () => dead };
}

beforeAll(async () => {
  ({ env, lambda } = await startImportsEnv());
  clock = new ManualClock(Date.now());
  reader = build(configFromResource(), { clock });
  app = createApp(reader.services, reader.apiConfig);
  const ws = (await (await call('POST', '/v1/workspaces', { name: 'Leases' }, ADMIN_TOKEN)).json()) as {
    apiKey: { key: string };
  };
  key = ws.apiKey.key;
  await call('POST', '/v1/voices', { name: 'Anna Bell', email: 'anna@agency.example', affiliation: 'agency' });
  accountId = (
    (await (
      await call('POST', '/v1/accounts', accountBody({ handle: '@lease', channel: { type: 'manual' } }))
    ).json()) as { id: string }
  ).id;
}, 60_000);
afterAll(async () => {
  await lambda.close();
  await env.close();
});

function call(
  method: string,
  path: string,
  body?: unknown,
  token = key,
  headers: Record<string, string> = {},
): Promise<Response> {
  const text = typeof body === 'string' ? body : body === undefined ? undefined : JSON.stringify(body);
  return Promise.resolve(
    app.request(path, {
      method,
      headers: {
        authorization: `Bearer ${token}`,
        ...(text !== undefined ? { 'content-type': typeof body === 'string' ? 'text/csv' : 'application/json' } : {}),
        ...headers,
      },
      ...(text !== undefined ? { body: text } : {}),
    }),
  );
}

async function countPosts(): Promise<number> {
  let n = 0;
  let cursor: string | undefined;
  do {
    const page = (await (
      await call('GET', `/v1/accounts/${accountId}/posts?limit=200${cursor ? `&cursor=${cursor}` : ''}`)
    ).json()) as { items: unknown[]; nextCursor?: string | null };
    n += page.items.length;
    cursor = page.nextCursor ?? undefined;
  } while (cursor);
  return n;
}

/** The schedules of the job's lease timer. */
const leaseTimers = (jobId: string) => env.scheduler.timersOf(GROUP, `import-${jobId}`);

const postTimers = () =>
  [...env.scheduler.schedules.values()].filter((s) => s.GroupName === GROUP && s.Target.Input?.includes('"publish"'))
    .length;

function csv(n: number): string {
  const lines = ['account,at,text,voice'];
  for (let i = 0; i < n; i++)
    lines.push(
      `@lease,${new Date(Date.UTC(2027, 1, 1) + i * 3_600_000).toISOString()},lease post ${i + 1},anna@agency.example`,
    );
  return lines.join('\n');
}

/**
 * Runs the job of `payload` as its Lambda would, over a DynamoDB client that dies once half the posts are stored
 * (the run never returns); resolves once it has died, or after 30 s: whether it died.
 */
async function runDyingHalfWay(payload: unknown): Promise<boolean> {
  const dying = dyingDynamo(ROWS / 2);
  const runner = build(configFromResource(), { clock, clients: { ...awsClients(), dynamo: dying.client } });
  void runImportJob(
    { store: runner.store, services: runner.services, clock, log: silent },
    parseImportJobEvent(payload),
  );
  for (let i = 0; i < 600 && !dying.dead(); i++) await new Promise((r) => setTimeout(r, 50));
  return dying.dead();
}

/** Lambda repeating the job's event, run by the API's own composition. */
const runAgain = (payload: unknown) =>
  runImportJob({ store: reader.store, services: reader.services, clock, log: silent }, parseImportJobEvent(payload));

describe('an import job whose run dies half-way', () => {
  it('stays running until its lease passes, then the status read undoes it: failed, interrupted, nothing left', async () => {
    const timersBefore = postTimers();
    const res = await call('POST', '/v1/import?shareSlots=true', csv(ROWS));
    expect(res.status).toBe(202);
    const location = res.headers.get('location')!;
    const [invocation] = lambda.take();

    // The run: its DynamoDB stops answering after half the posts are stored; it never returns.
    expect(await runDyingHalfWay(invocation!.payload)).toBe(true);
    await new Promise((r) => setTimeout(r, 200));
    expect(await countPosts()).toBe(ROWS / 2);
    // Its lease timer was armed at the lease end, on the watchdog function.
    const { jobId } = invocation!.payload as { workspaceId: string; jobId: string };
    const [lease] = leaseTimers(jobId);
    expect(lease?.Target.Arn).toBe(WATCHDOG_ARN);
    expect(JSON.parse(lease!.Target.Input!)).toEqual({ kind: 'import-lease', ...(invocation!.payload as object) });
    expect(
      Date.parse(`${/at\((.*)\)/.exec(lease!.ScheduleExpression)![1]}Z`) - clock.now().getTime(),
    ).toBeGreaterThanOrEqual(IMPORT_JOB_LEASE_MS - 1_000);

    // Within the lease, the job is running (the run may still be working).
    clock.advance(IMPORT_JOB_LEASE_MS - 1_000);
    const running = await call('GET', location);
    expect(((await running.json()) as { status: string }).status).toBe('running');
    expect(running.headers.get('retry-after')).toBe('2');
    expect(await countPosts()).toBe(ROWS / 2);
    // A lease timer that fires early (clocks apart) leaves the job alone and is armed again for the lease end.
    expect(
      await runImportLease(reader, {
        kind: 'import-lease',
        ...(invocation!.payload as { workspaceId: string; jobId: string }),
      }),
    ).toBe('rearmed');
    expect(leaseTimers(jobId)).toHaveLength(1);
    expect(await countPosts()).toBe(ROWS / 2);

    // Past it, the run is dead: the read purges what it created and fails the job.
    clock.advance(2_000);
    const failed = (await (await call('GET', location)).json()) as {
      status: string;
      problem: { type: string; status: number; detail: string };
      result?: unknown;
    };
    expect(failed.status).toBe('failed');
    expect(failed.problem.type).toBe('urn:drumbeat:problem:interrupted');
    expect(failed.problem.detail).toContain(`${ROWS / 2} post(s) it had begun to create were deleted`);
    expect(failed.result).toBeUndefined();
    expect(await countPosts()).toBe(0);
    expect(postTimers()).toBe(timersBefore);
    expect(leaseTimers(jobId)).toEqual([]);

    // Reading again, or Lambda repeating the event, changes nothing more.
    expect(((await (await call('GET', location)).json()) as { status: string }).status).toBe('failed');
    expect(await runAgain(invocation!.payload)).toBe('not-pending');
  }, 120_000);

  it('is undone by a repeat of its event past the lease, without waiting for a status read', async () => {
    const res = await call('POST', '/v1/import?shareSlots=true', csv(ROWS).replaceAll('lease post', 'again post'));
    const [invocation] = lambda.take();
    await runDyingHalfWay(invocation!.payload);
    await new Promise((r) => setTimeout(r, 200));
    expect(await countPosts()).toBe(ROWS / 2);
    clock.advance(IMPORT_JOB_LEASE_MS + 1_000);
    expect(await runAgain(invocation!.payload)).toBe('failed');
    expect(await countPosts()).toBe(0);
    expect(leaseTimers((invocation!.payload as { jobId: string }).jobId)).toEqual([]);
    expect(((await (await call('GET', res.headers.get('location')!)).json()) as { status: string }).status).toBe(
      'failed',
    );
  }, 120_000);

  it('stops itself before the time limit: what it created is undone at once and the job fails as interrupted', async () => {
    const timersBefore = postTimers();
    const res = await call('POST', '/v1/import?shareSlots=true', csv(ROWS).replaceAll('lease post', 'late post'));
    const [invocation] = lambda.take();
    // The handler's timer fires a minute before Lambda's limit; here it fires once half the posts are stored.
    const controller = new AbortController();
    const client = new DynamoDBClient({});
    let puts = 0;
    client.middlewareStack.add(
      (next) => async (args) => {
        const sk = (args.input as { Item?: { sk?: string | { S?: string } } }).Item?.sk;
        const s = typeof sk === 'string' ? sk : sk?.S;
        if (s?.startsWith('POST#') && ++puts === ROWS / 2) controller.abort(new Error('out of time'));
        return next(args);
      },
      { step: 'build', name: 'outOfTimeAtHalf' },
    );
    const runner = build(configFromResource(), { clock, clients: { ...awsClients(), dynamo: client } });
    const outcome = await runImportJob(
      { store: runner.store, services: runner.services, clock, log: silent },
      parseImportJobEvent(invocation!.payload),
      { signal: controller.signal },
    );
    expect(outcome).toBe('failed');
    expect(puts).toBeGreaterThanOrEqual(ROWS / 2);
    expect(puts).toBeLessThan(ROWS);
    const job = (await (await call('GET', res.headers.get('location')!)).json()) as {
      status: string;
      problem: { type: string; detail: string };
    };
    expect(job.status).toBe('failed');
    expect(job.problem.type).toBe('urn:drumbeat:problem:interrupted');
    expect(job.problem.detail).toContain('about to reach the function time limit');
    expect(await countPosts()).toBe(0);
    expect(postTimers()).toBe(timersBefore);
    expect(leaseTimers((invocation!.payload as { jobId: string }).jobId)).toEqual([]);
  }, 120_000);

  it('crashes and is never read: its lease timer fires into the watchdog function, which undoes it', async () => {
    const timersBefore = postTimers();
    const res = await call('POST', '/v1/import?shareSlots=true', csv(ROWS).replaceAll('lease post', 'lost post'));
    const [invocation] = lambda.take();
    const { jobId } = invocation!.payload as { jobId: string };
    // The run started just over a lease ago on the wall clock, so its lease has passed for the deployed watchdog module (system clock).
    const started = new ManualClock(Date.now() - IMPORT_JOB_LEASE_MS - 5_000);
    const dying = dyingDynamo(ROWS / 2);
    const runner = build(configFromResource(), { clock: started, clients: { ...awsClients(), dynamo: dying.client } });
    void runImportJob(
      { store: runner.store, services: runner.services, clock: started, log: silent },
      parseImportJobEvent(invocation!.payload),
    );
    for (let i = 0; i < 600 && !dying.dead(); i++) await new Promise((r) => setTimeout(r, 50));
    expect(dying.dead()).toBe(true);
    await new Promise((r) => setTimeout(r, 200));
    expect(await countPosts()).toBe(ROWS / 2);

    // Nobody reads the job. EventBridge fires what is due (the lease timer alone) into its target, then deletes it.
    const watchdog = (
      (await import('../../functions/watchdog.js')) as { handler: (event: unknown) => Promise<unknown> }
    ).handler;
    const outcomes: unknown[] = [];
    const fired = await env.scheduler.fireDue(new Date(), async (arn, input) => {
      expect(arn).toBe(WATCHDOG_ARN);
      outcomes.push(await watchdog(JSON.parse(input)));
    });
    expect(fired).toEqual([expect.stringMatching(new RegExp(`^import-${jobId}\\.\\d{8}T\\d{6}$`))]);
    expect(outcomes).toEqual(['undone']);
    expect(await countPosts()).toBe(0);
    expect(postTimers()).toBe(timersBefore);
    expect(leaseTimers(jobId)).toEqual([]);
    const failed = (await (await call('GET', res.headers.get('location')!)).json()) as {
      status: string;
      problem: { type: string; detail: string };
    };
    expect(failed.status).toBe('failed');
    expect(failed.problem.type).toBe('urn:drumbeat:problem:interrupted');
    expect(failed.problem.detail).toContain(`${ROWS / 2} post(s) it had begun to create were deleted`);
    // Delivered again (at least once): the job has ended, nothing happens.
    expect(
      await watchdog({
        kind: 'import-lease',
        workspaceId: (invocation!.payload as { workspaceId: string }).workspaceId,
        jobId,
      }),
    ).toBe('nothing-to-do');
  }, 120_000);
});
