import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { accountBody } from '../support/api.js';
import type { LambdaStandin } from '../support/lambda-standin.js';
import {
  ADMIN_TOKEN,
  functionUrlEvent,
  GROUP,
  lambdaContext,
  IMPORTS,
  startImportsEnv,
  WATCHDOG_ARN,
  type LambdaEnv,
} from './lambda-env.js';

type Res = { statusCode: number; headers?: Record<string, string>; body: string };
type Handler = (event: unknown, context: unknown) => Promise<Res>;

let env: LambdaEnv;
let lambda: LambdaStandin;
let api: Handler;
let imports: (event: unknown, context?: unknown) => Promise<unknown>;
let key: string;
let accountId: string;

beforeAll(async () => {
  ({ env, lambda } = await startImportsEnv());
  api = ((await import('../../functions/api.js')) as unknown as { handler: Handler }).handler;
  imports = (
    (await import('../../functions/imports.js')) as unknown as {
      handler: (e: unknown, c?: unknown) => Promise<unknown>;
    }
  ).handler;
  const ws = JSON.parse(
    (
      await call('POST', '/v1/workspaces', {
        headers: { authorization: `Bearer ${ADMIN_TOKEN}` },
        body: { name: 'Imports' },
      })
    ).body,
  );
  key = ws.apiKey.key;
  await call('POST', '/v1/voices', {
    headers: auth(),
    body: { name: 'Anna Bell', email: 'anna@agency.example', affiliation: 'agency' },
  });
  accountId = JSON.parse(
    (
      await call('POST', '/v1/accounts', {
        headers: auth(),
        body: accountBody({ handle: '@bulk', channel: { type: 'manual' } }),
      })
    ).body,
  ).id;
}, 60_000);
afterAll(async () => {
  await lambda.close();
  await env.close();
});

const auth = () => ({ authorization: `Bearer ${key}` });
const call = (method: string, path: string, opts: Parameters<typeof functionUrlEvent>[2] = {}) =>
  api(functionUrlEvent(method, path, opts), lambdaContext);

/** A file of `n` rows, one an hour from 2027-01-04, each text distinct; `bad` puts a past instant on that data row. */
function csv(n: number, tag: string, bad?: number): string {
  const lines = ['account,at,text,voice'];
  for (let i = 0; i < n; i++) {
    const at = i + 1 === bad ? '2020-01-01T00:00:00Z' : new Date(Date.UTC(2027, 0, 4) + i * 3_600_000).toISOString();
    lines.push(`@bulk,${at},${tag} post ${i + 1},anna@agency.example`);
  }
  return lines.join('\n');
}

async function importFile(text: string, headers: Record<string, string> = {}): Promise<Res> {
  return call('POST', '/v1/import', {
    query: 'shareSlots=true',
    headers: { ...auth(), 'content-type': 'text/csv', ...headers },
    body: text,
  });
}

async function countPosts(): Promise<number> {
  let n = 0;
  let cursor: string | undefined;
  do {
    const page = JSON.parse(
      (
        await call('GET', `/v1/accounts/${accountId}/posts`, {
          query: `limit=200${cursor ? `&cursor=${cursor}` : ''}`,
          headers: auth(),
        })
      ).body,
    );
    n += page.items.length;
    cursor = page.nextCursor ?? undefined;
  } while (cursor);
  return n;
}

/** The lease timer the run armed (`import-<jobId>`, on the watchdog function), and whether any of its schedules remain. */
function leaseTimer(jobId: string) {
  const armed = env.scheduler.requestsOf('CreateSchedule').filter((r) => r.name.startsWith(`import-${jobId}.`));
  return {
    armed: armed.map((r) => (r.body as { Target: { Arn: string } }).Target.Arn),
    left: env.scheduler.timersOf(GROUP, `import-${jobId}`),
  };
}

describe('CSV imports on Lambda', () => {
  it('accepts a 1,000-row file with 202 and a Location, and the Imports function completes it', async () => {
    const res = await importFile(csv(1000, 'big'), { 'idempotency-key': 'bulk-1' });
    expect(res.statusCode).toBe(202);
    const location = res.headers?.location as string;
    expect(location).toMatch(/^\/v1\/imports\/imp_[0-9a-z]{25}$/);
    expect(JSON.parse(res.body)).toMatchObject({ status: 'pending' });
    expect((JSON.parse((await call('GET', location, { headers: auth() })).body) as { status: string }).status).toBe(
      'pending',
    );
    expect(await countPosts()).toBe(0);

    // The API invoked the Imports function asynchronously, with the job's address only.
    const invoked = lambda.take();
    expect(invoked).toHaveLength(1);
    expect(invoked[0]!.functionName).toBe(IMPORTS);
    expect(await imports(invoked[0]!.payload)).toBe('succeeded');
    // The run armed its lease timer before creating anything, and removed it once the job succeeded.
    const { jobId } = invoked[0]!.payload as { jobId: string };
    expect(leaseTimer(jobId)).toEqual({ armed: [WATCHDOG_ARN], left: [] });
    // Lambda's async retry of the same event runs nothing twice.
    expect(await imports(invoked[0]!.payload)).toBe('not-pending');

    const done = JSON.parse((await call('GET', location, { headers: auth() })).body);
    expect(done.status).toBe('succeeded');
    expect(done.result.created).toBe(1000);
    expect(done.result.posts).toHaveLength(1000);
    expect(done.result.posts[999].text).toBe('big post 1000');
    expect(await countPosts()).toBe(1000);

    // The stored idempotent response is the small 202, replayed with the same Location.
    const again = await importFile(csv(1000, 'big'), { 'idempotency-key': 'bulk-1' });
    expect(again.statusCode).toBe(202);
    expect(again.headers?.location ?? JSON.parse(again.body).id).toBeTruthy();
    expect(JSON.parse(again.body).id).toBe(done.id);
    expect(lambda.take()).toHaveLength(0);
  }, 180_000);

  it('fails the whole 1,000-row job when its last row is bad: nothing created, every bad row named', async () => {
    const before = await countPosts();
    const res = await importFile(csv(1000, 'doomed', 1000));
    expect(res.statusCode).toBe(202);
    const [job] = lambda.take();
    expect(await imports(job!.payload)).toBe('failed');
    expect(leaseTimer((job!.payload as { jobId: string }).jobId)).toEqual({ armed: [WATCHDOG_ARN], left: [] });
    const failed = JSON.parse((await call('GET', res.headers!.location!, { headers: auth() })).body);
    expect(failed.status).toBe('failed');
    expect(failed.problem).toMatchObject({
      status: 422,
      errors: [{ path: 'rows.1001.at', message: 'must be in the future' }],
    });
    expect(failed.result).toBeUndefined();
    expect(await countPosts()).toBe(before);
  }, 180_000);

  it('keeps small files synchronous (201), unless the client asks Prefer: respond-async', async () => {
    const small = await importFile(csv(3, 'small'));
    expect(small.statusCode).toBe(201);
    expect(JSON.parse(small.body).created).toBe(3);
    expect(lambda.take()).toHaveLength(0);
    const asked = await importFile(csv(2, 'asked'), { prefer: 'respond-async' });
    expect(asked.statusCode).toBe(202);
    expect(lambda.take()).toHaveLength(1);
  }, 60_000);

  it('stops a run a minute before the time limit Lambda gives it, and undoes it', async () => {
    const before = await countPosts();
    const res = await importFile(csv(3, 'late'), { prefer: 'respond-async' });
    const [job] = lambda.take();
    // A minute left: the run stops before creating anything more (the undo needs that minute).
    expect(await imports(job!.payload, { getRemainingTimeInMillis: () => 60_000 } as never)).toBe('failed');
    const failed = JSON.parse((await call('GET', res.headers!.location!, { headers: auth() })).body);
    expect(failed).toMatchObject({ status: 'failed', problem: { type: 'urn:drumbeat:problem:interrupted' } });
    expect(await countPosts()).toBe(before);
  }, 60_000);

  it('answers 404 problem+json for a job of another workspace or none', async () => {
    const other = JSON.parse(
      (
        await call('POST', '/v1/workspaces', {
          headers: { authorization: `Bearer ${ADMIN_TOKEN}` },
          body: { name: 'Other' },
        })
      ).body,
    );
    const res = await importFile(csv(1, 'mine'), { prefer: 'respond-async' });
    lambda.take();
    const theirs = await call('GET', res.headers!.location!, {
      headers: { authorization: `Bearer ${other.apiKey.key as string}` },
    });
    expect(theirs.statusCode).toBe(404);
    expect(theirs.headers?.['content-type']).toMatch(/problem\+json/);
    expect((await call('GET', '/v1/imports/imp_nope', { headers: auth() })).statusCode).toBe(404);
  });
});
