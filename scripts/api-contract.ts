/**
 * `npm run test:contract` (CI): the API document as tools nobody here wrote read it.
 *
 * 1. Starts drumbeat as the README says (`npm start`, in memory, on a free port).
 * 2. Lints its /openapi.json with Redocly CLI's `recommended` ruleset: 0 errors.
 * 3. Type-checks the README's JSON request bodies against openapi-typescript's types.
 * 4. Replays the README's curl requests through Stoplight Prism's validating proxy
 *    (`--errors`) in front of the running drumbeat: 0 request or response violations.
 *
 * Exits non-zero, naming each problem, when any of these fails.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readmeRequests, type ReadmeRequest } from './contract/readme-requests.js';
import { bodyTypeErrors } from './contract/typecheck-bodies.js';

const root = new URL('..', import.meta.url).pathname;
const bin = (name: string) => join(root, 'node_modules', '.bin', name);
const ADMIN_TOKEN = 'contract-admin-token';
const children: ChildProcess[] = [];

/** After the README, the public transparency page of its account and the page's JSON (which Prism once took for the page). */
const EXTRAS: ReadmeRequest[] = [
  {
    method: 'POST',
    path: '/v1/accounts',
    headers: { Authorization: 'Bearer $KEY', 'Content-Type': 'application/json' },
    line: 0,
    body: '{"name":"Acme in public","network":"mastodon","handle":"@acme-public","timezone":"Europe/Paris","channel":{"type":"manual"},"disclosure":{"publicPage":true}}',
  },
  { method: 'GET', path: '/t/$SLUG/%40acme-public', headers: {}, line: 0 },
  { method: 'GET', path: '/t/$SLUG/%40acme-public/transparency.json', headers: {}, line: 0 },
];

/** A free loopback port. */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
    s.on('error', reject);
  });
}

/** Spawns `cmd` and resolves with the matches of `ready` once they all match its output (rejecting if it exits first). */
function start(
  cmd: string,
  args: string[],
  env: Record<string, string>,
  ready: RegExp[],
): Promise<{ child: ChildProcess; matches: RegExpMatchArray[] }> {
  // Its own process group, so that stopping it stops what it started (npm → node, prism's workers).
  const child = spawn(cmd, args, {
    cwd: root,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  children.push(child);
  let output = '';
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${cmd} did not start in 60 s:\n${output}`)), 60_000);
    const read = (chunk: Buffer) => {
      output += chunk.toString();
      const matches = ready.map((r) => output.match(r));
      if (matches.every((m) => m !== null)) {
        clearTimeout(timer);
        resolve({ child, matches: matches as RegExpMatchArray[] });
      }
    };
    child.stdout!.on('data', read);
    child.stderr!.on('data', read);
    child.on('exit', (code) => reject(new Error(`${cmd} exited (${code}) before it was ready:\n${output}`)));
  });
}

/** Runs `cmd` to its end; its exit code and output. */
function run(cmd: string, args: string[]): Promise<{ code: number; output: string }> {
  const child = spawn(cmd, args, { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout.on('data', (c: Buffer) => (output += c.toString()));
  child.stderr.on('data', (c: Buffer) => (output += c.toString()));
  return new Promise((resolve) => child.on('exit', (code) => resolve({ code: code ?? 1, output })));
}

/** The ids a response names, by prefix (`acc`, `vce`, …): the README's `acc_…` placeholders become the latest. */
function collectIds(body: unknown, ids: Map<string, string>): void {
  if (Array.isArray(body)) {
    for (const b of body) collectIds(b, ids);
    return;
  }
  if (body === null || typeof body !== 'object') return;
  for (const [k, v] of Object.entries(body)) {
    if (k === 'id' && typeof v === 'string' && /^[a-z]+_/.test(v)) ids.set(v.split('_')[0]!, v);
    else collectIds(v, ids);
  }
}

/** Replays `requests` against `base`; a problem per request Prism reports a violation for. */
async function walkThrough(base: string, requests: ReadmeRequest[], vars: Record<string, string>): Promise<string[]> {
  const ids = new Map<string, string>();
  const fill = (s: string) =>
    s
      .replace(/\$(\w+)/g, (m, name: string) => vars[name] ?? m)
      .replace(/\b([a-z]+)_…/g, (m, prefix: string) => ids.get(prefix) ?? m);
  const problems: string[] = [];
  for (const r of requests) {
    const headers = Object.fromEntries(Object.entries(r.headers).map(([k, v]) => [k, fill(v)]));
    const res = await fetch(base + fill(r.path), {
      method: r.method,
      headers,
      ...(r.body === undefined ? {} : { body: fill(r.body) }),
    });
    const text = await res.text();
    const violations = res.headers.get('sl-violations');
    const label = `${r.line ? `README.md:${r.line}` : 'extra'} ${r.method} ${r.path} → ${res.status}`;
    console.log(`  ${label}${violations ? '  VIOLATIONS' : ''}`);
    // Prism answers a violation with its own problem (type …/prism/errors#…) or flags it in sl-violations.
    if (violations || /stoplight\.io\/prism\/errors/.test(text)) problems.push(`${label}: ${violations ?? text}`);
    if (res.status >= 500) problems.push(`${label}: a 5xx is a bug: ${text}`);
    if (/json/.test(res.headers.get('content-type') ?? '')) collectIds(JSON.parse(text), ids);
  }
  return problems;
}

async function main(): Promise<number> {
  const problems: string[] = [];
  const work = mkdtempSync(join(tmpdir(), 'drumbeat-contract-'));
  try {
    const port = await freePort();
    const drumbeat = await start(
      'npm',
      ['start', '--silent'],
      { PORT: String(port), DRUMBEAT_MEMORY: '1', DRUMBEAT_ADMIN_TOKEN: ADMIN_TOKEN, LOG_LEVEL: 'info' },
      [/owner key \(shown once\): (\S+)/, /"slug":"([^"]+)"/],
    );
    const api = `http://127.0.0.1:${port}`;
    const [key, slug] = drumbeat.matches.map((m) => m[1]!) as [string, string];
    const doc = (await (await fetch(`${api}/openapi.json`)).json()) as object;
    const docFile = join(work, 'openapi.json');
    writeFileSync(docFile, JSON.stringify(doc, null, 2));

    console.log('Redocly lint (recommended):');
    const lint = await run(bin('redocly'), ['lint', docFile, '--extends', 'recommended', '--format', 'summary']);
    console.log(lint.output.trim().replace(/^/gm, '  '));
    if (lint.code !== 0) problems.push('redocly lint reports errors (above)');

    console.log('openapi-typescript: the README request bodies type-check');
    const requests = readmeRequests(readFileSync(join(root, 'README.md'), 'utf8'));
    problems.push(...(await bodyTypeErrors(doc, requests)));

    console.log('Prism proxy --errors: the README walk-through');
    const prismPort = await freePort();
    await start(
      bin('prism'),
      ['proxy', docFile, api, '--errors', '--port', String(prismPort), '--host', '127.0.0.1'],
      {},
      [/Prism is listening/],
    );
    const prism = `http://127.0.0.1:${prismPort}`;
    problems.push(
      ...(await walkThrough(prism, [...requests, ...EXTRAS], { API: '', KEY: key, ADMIN_TOKEN, SLUG: slug })),
    );
    // The proxy must be validating, or 0 violations means nothing: a body without its required name is one.
    const probe = await fetch(`${prism}/v1/voices`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${key}`, 'Content-Type': 'application/json' },
      body: '{"affiliation":"agency"}',
    });
    const flagged = probe.headers.has('sl-violations') || /prism\/errors/.test(await probe.text());
    console.log(`  probe: a body without "name" is ${flagged ? 'flagged' : 'NOT flagged'} by Prism (${probe.status})`);
    if (!flagged) problems.push('Prism did not flag a request that violates the document: is it validating?');
  } finally {
    for (const child of children) if (child.exitCode === null && child.pid) process.kill(-child.pid, 'SIGTERM');
    rmSync(work, { recursive: true, force: true });
  }
  for (const p of problems) console.error(`✗ ${p}`);
  console.log(
    problems.length
      ? `${problems.length} problem(s)`
      : 'API contract: 0 lint errors, 0 type errors, 0 Prism violations',
  );
  return problems.length ? 1 : 0;
}

process.exit(await main());
