import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Drumbeat, DrumbeatError, isImportJob } from '@drumbeat/client';
import { createApp } from '@drumbeat/api';
import { startHttpFront, type HttpFront } from '../../packages/local/src/http-front.js';
import { build, configFromResource } from '../../functions/deps.js';
import { parseImportJobEvent, runImportJob } from '../../functions/import-job-run.js';
import { accountBody } from '../support/api.js';
import type { LambdaStandin } from '../support/lambda-standin.js';
import { ADMIN_TOKEN, startImportsEnv, type LambdaEnv } from '../functions/lambda-env.js';

/**
 * The client against an API that runs imports as jobs, as on AWS: the Lambda
 * composition (functions/deps.ts) served over HTTP on an ephemeral port, its
 * asynchronous invocations of the Imports function run as Lambda's queue
 * would, by the Imports function's own code.
 */

const silent = { info: () => undefined, warn: () => undefined, error: () => undefined };
let env: LambdaEnv;
let lambda: LambdaStandin;
let front: HttpFront;
let db: Drumbeat;
let runner: ReturnType<typeof setInterval>;

beforeAll(async () => {
  ({ env, lambda } = await startImportsEnv());
  const deps = build(configFromResource());
  front = await startHttpFront('127.0.0.1', 0);
  front.serve(createApp(deps.services, deps.apiConfig).fetch);
  // Lambda's async queue: each queued invocation of the Imports function is run, one at a time.
  let busy = false;
  runner = setInterval(() => {
    if (busy || lambda.queued.length === 0) return;
    busy = true;
    const inv = lambda.queued.shift();
    void runImportJob(
      { store: deps.store, services: deps.services, clock: deps.clock, log: silent },
      parseImportJobEvent(inv!.payload),
    )
      .catch(() => undefined)
      .finally(() => (busy = false));
  }, 20);
  const admin = new Drumbeat({ baseUrl: front.url });
  const { apiKey } = await admin.workspaces.create({ name: 'Client imports' }, ADMIN_TOKEN);
  db = new Drumbeat({ baseUrl: front.url, apiKey: apiKey.key });
  await db.voices.create({ name: 'Anna Bell', email: 'anna@agency.example', affiliation: 'agency' });
  await db.accounts.create(accountBody({ handle: '@client-jobs', channel: { type: 'manual' } }) as never);
}, 60_000);
afterAll(async () => {
  clearInterval(runner);
  await front.close(1_000);
  await lambda.close();
  await env.close();
});

function csv(n: number, tag: string, badRow?: number): string {
  const lines = ['account,at,text,voice'];
  for (let i = 0; i < n; i++) {
    const at = i + 1 === badRow ? '2020-01-01T00:00:00Z' : new Date(Date.UTC(2027, 2, 1) + i * 3_600_000).toISOString();
    lines.push(`@client-jobs,${at},${tag} ${i + 1},anna@agency.example`);
  }
  return lines.join('\n');
}

describe('CSV imports from the client, where the server runs them as jobs', () => {
  it('gets a job (202) for a large file and waits for its result', async () => {
    const answer = await db.posts.importCsv(csv(150, 'large'), { shareSlots: true });
    expect(isImportJob(answer)).toBe(true);
    if (!isImportJob(answer)) return;
    expect(answer.id).toMatch(/^imp_/);
    expect(['pending', 'running', 'succeeded']).toContain(answer.status);
    const result = await db.imports.wait(answer.id, { intervalMs: 50 });
    expect(result.created).toBe(150);
    expect(result.posts).toHaveLength(150);
    expect((await db.imports.get(answer.id)).status).toBe('succeeded');
  }, 60_000);

  it('gets the result (201) for a small file, unless it asks for a job', async () => {
    const answer = await db.posts.importCsv(csv(2, 'small'));
    expect(isImportJob(answer)).toBe(false);
    if (isImportJob(answer)) return;
    expect(answer.created).toBe(2);
    const asked = await db.posts.importCsv(csv(2, 'asked'), { respondAsync: true });
    expect(isImportJob(asked)).toBe(true);
    expect((await db.imports.wait((asked as { id: string }).id, { intervalMs: 50 })).created).toBe(2);
  }, 60_000);

  it('runs an import to its result either way with imports.run', async () => {
    expect((await db.imports.run(csv(120, 'run'), { intervalMs: 50 })).created).toBe(120);
    expect((await db.imports.run(csv(1, 'run-small'))).created).toBe(1);
  }, 60_000);

  it("throws the job's problem when the file is refused: every bad row named, nothing created", async () => {
    const err = await db.imports.run(csv(130, 'doomed', 130), { intervalMs: 50 }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(DrumbeatError);
    expect((err as DrumbeatError).status).toBe(422);
    expect((err as DrumbeatError).errors).toEqual([{ path: 'rows.131.at', message: 'must be in the future' }]);
    const page = await db.posts.list((await db.accounts.list()).items[0]!.id, { status: 'scheduled', limit: 200 });
    expect(page.items.some((p) => p.text.startsWith('doomed'))).toBe(false);
  }, 60_000);

  it('gives up waiting after timeoutMs', async () => {
    const slow = new Drumbeat({
      baseUrl: front.url,
      apiKey: (db.http as unknown as { options: { apiKey: string } }).options.apiKey,
      sleep: async () => undefined,
    });
    clearInterval(runner); // nothing runs the job any more
    const job = await slow.posts.importCsv(csv(1, 'never'), { respondAsync: true });
    await expect(
      slow.imports.wait((job as { id: string }).id, { intervalMs: 1_000, timeoutMs: 3_000 }),
    ).rejects.toThrow(/still pending after 3000 ms/);
  });
});
