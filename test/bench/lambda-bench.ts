/**
 * Lambda budget (DESIGN.md "Budgets"): the API handler's module load time, AWS
 * SDK bundled, at most 1.3× a bare Hono + DynamoDB + Scheduler handler built
 * the same way, in the same run. Bundle bytes are reported, not budgeted.
 *
 * The four functions are built by scripts/bundle.ts (the options SST uses:
 * the SDK bundled, code splitting) into a temporary directory under dist/.
 * The baseline is an entry importing hono, `handle` from hono/aws-lambda, a
 * DynamoDBClient + DynamoDBDocumentClient and a SchedulerClient, built with
 * the same options in the same run.
 *
 * The baseline answers POST /v1/workspaces with one write to the table.
 *
 * Module load time: a fresh `node` process, with the `SST_RESOURCE_*` links
 * and AWS variables a deployed function has (test/functions/lambda-env.ts,
 * every endpoint on loopback), times `await import()` of the bundle; the
 * median of 15 runs (3 with --quick), api and baseline interleaved in ABBA
 * order so a machine's changing load weighs on both alike; the load average
 * is reported beside. Node's own start is not counted. The bytes a cold start
 * parses (the entry and the chunks it imports statically) are reported too:
 * the entry's bytes alone hide what it imports.
 *
 * Load + first request: each process then sends one request (a 201 creating
 * a workspace; for the baseline, its one write), which checks the bundle
 * really serves. What the API defers to a first request (its adapters,
 * built then; the route group's module and the use-cases it lists, loaded
 * then) is paid there, so the
 * median of load + first request, and its ratio to the baseline's, is the
 * figure a cold request waits for; the budget stays on the module load
 * (DESIGN.md), this one is reported beside it. Each is also reported in CPU
 * time (user + system of the process), which other work on a shared machine
 * inflates far less than wall time.
 */
import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { build } from 'esbuild';
import {
  bundleAll,
  coldStartBytes,
  contributions,
  lambdaBuildOptions,
  lambdaPlugins,
  ROOT,
} from '../../scripts/bundle.js';
import { ADMIN_TOKEN, functionUrlEvent, lambdaContext, startLambdaEnv } from '../functions/lambda-env.js';
import { benchOf, type Bench, type Figure } from './figure.js';

const run = promisify(execFile);

// Its one route does what a first request minimally does: one write to the table (so the SDK's first call,
// credentials, endpoint and connection, is paid on both sides of the load + first request ratio).
const BASELINE_ENTRY = `import { Hono } from 'hono';
import { handle } from 'hono/aws-lambda';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, PutCommand } from '@aws-sdk/lib-dynamodb';
import { SchedulerClient } from '@aws-sdk/client-scheduler';

const doc = DynamoDBDocumentClient.from(new DynamoDBClient({}));
const scheduler = new SchedulerClient({});
const table = JSON.parse(process.env.SST_RESOURCE_Table).name;
const app = new Hono();
app.post('/v1/workspaces', async (c) => {
  const { name } = await c.req.json();
  const id = 'ws_' + crypto.randomUUID();
  await doc.send(new PutCommand({ TableName: table, Item: { pk: id, sk: 'baseline', name } }));
  return c.json({ id, name, clients: [typeof scheduler.send] }, 201);
});
export const handler = handle(app);
`;

const kb = (bytes: number) => bytes / 1024;
/** DESIGN.md, Budgets: the API's module load at most this many times the bare handler's. */
const LOAD_RATIO_BUDGET = 1.3;

/** The 1-minute load average (Linux), or NaN where /proc is absent. */
function loadAverage(): number {
  try {
    return Number(readFileSync('/proc/loadavg', 'utf8').split(' ')[0]);
  } catch {
    return Number.NaN;
  }
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

interface Once {
  loadMs: number;
  /** CPU time (user + system) of the process during the load: what a busy machine's other work does not inflate. */
  loadCpuMs: number;
  status: number;
  requestMs: number;
  requestCpuMs: number;
}

/** One fresh node: the ms `import()` of `file` takes, then the first request's status and ms; wall and CPU time of each. */
async function loadOnce(file: string, env: NodeJS.ProcessEnv, event: unknown): Promise<Once> {
  const script = [
    `const cpu = () => { const u = process.cpuUsage(); return (u.user + u.system) / 1000; };`,
    `const c0 = cpu(), t0 = performance.now();`,
    `const { handler } = await import(${JSON.stringify(file)});`,
    `const loadMs = performance.now() - t0, loadCpuMs = cpu() - c0;`,
    `const c1 = cpu(), t1 = performance.now();`,
    `const res = await handler(${JSON.stringify(event)}, ${JSON.stringify(lambdaContext)});`,
    `const requestMs = performance.now() - t1, requestCpuMs = cpu() - c1;`,
    `process.stdout.write(JSON.stringify({ loadMs, loadCpuMs, status: res.statusCode, requestMs, requestCpuMs }));`,
  ].join('\n');
  const { stdout } = await run(process.execPath, ['--input-type=module', '-e', script], {
    env,
    cwd: ROOT,
    timeout: 60_000,
  });
  return JSON.parse(stdout) as Once;
}

async function measure(quick: boolean, progress: (m: string) => void): Promise<Figure[]> {
  const runs = quick ? 3 : 15;
  // Node 20 is supported here; the SDK's notice about future versions is noise in the table (as main.ts says).
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
  mkdirSync(join(ROOT, 'dist'), { recursive: true });
  const outDir = mkdtempSync(join(ROOT, 'dist', 'bench-lambda-'));
  const lambdaEnv = await startLambdaEnv();
  try {
    progress('bundling the four functions (scripts/bundle.ts)');
    const bundles = await bundleAll(outDir);
    const api = bundles.find((b) => b.name === 'api')!;
    progress(
      `api bundle, largest parts: ${contributions(api, 6)
        .map((c) => `${c.pkg} ${kb(c.bytes).toFixed(0)} KB`)
        .join(', ')}`,
    );

    progress('bundling the baseline (bare Hono + DynamoDB document client + Scheduler client, same options)');
    const baseEntry = join(outDir, 'baseline-entry.mjs');
    const baseFile = join(outDir, 'baseline.mjs');
    writeFileSync(baseEntry, BASELINE_ENTRY);
    const built = await build(lambdaBuildOptions(baseEntry, baseFile, await lambdaPlugins()));
    const baseBytes = Object.entries(built.metafile!.outputs).find(([out]) => out.endsWith('baseline.mjs'))![1].bytes;
    const baseTotal = Object.values(built.metafile!.outputs).reduce((sum, o) => sum + o.bytes, 0);

    // As on Lambda: the links and AWS settings, every endpoint on loopback; no NODE_OPTIONS (tsx's hooks stay out).
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      ...lambdaEnv.vars,
      AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
    };
    delete env.NODE_OPTIONS;
    progress(`module load, ${runs} fresh node processes each, interleaved ABBA`);
    const apiLoads: number[] = [];
    const baseLoads: number[] = [];
    const firstRequests: number[] = [];
    const baseFirstRequests: number[] = [];
    const apiTotals: number[] = [];
    const baseTotals: number[] = [];
    const cpu = {
      apiLoad: [] as number[],
      baseLoad: [] as number[],
      apiTotal: [] as number[],
      baseTotal: [] as number[],
    };
    let served = 0;
    let baseServed = 0;
    const loadBefore = loadAverage();
    for (let i = 0; i < runs; i++) {
      const event = functionUrlEvent('POST', '/v1/workspaces', {
        headers: { authorization: `Bearer ${ADMIN_TOKEN}` },
        body: { name: `Bench ${i}` },
      });
      const apiRun = async () => {
        const a = await loadOnce(api.file, env, event);
        apiLoads.push(a.loadMs);
        firstRequests.push(a.requestMs);
        apiTotals.push(a.loadMs + a.requestMs);
        cpu.apiLoad.push(a.loadCpuMs);
        cpu.apiTotal.push(a.loadCpuMs + a.requestCpuMs);
        if (a.status === 201) served++;
      };
      const baseRun = async () => {
        const b = await loadOnce(baseFile, env, event);
        baseLoads.push(b.loadMs);
        baseFirstRequests.push(b.requestMs);
        baseTotals.push(b.loadMs + b.requestMs);
        cpu.baseLoad.push(b.loadCpuMs);
        cpu.baseTotal.push(b.loadCpuMs + b.requestCpuMs);
        if (b.status === 201) baseServed++;
      };
      // ABBA: neither handler always runs first.
      if (i % 2 === 0) {
        await apiRun();
        await baseRun();
      } else {
        await baseRun();
        await apiRun();
      }
    }
    const loadAfter = loadAverage();
    progress(
      `api loads ${apiLoads.map((x) => x.toFixed(0)).join(' ')} ms; baseline ${baseLoads.map((x) => x.toFixed(0)).join(' ')} ms`,
    );
    progress(
      `api load + first request ${apiTotals.map((x) => x.toFixed(0)).join(' ')} ms; baseline ${baseTotals.map((x) => x.toFixed(0)).join(' ')} ms`,
    );

    const apiLoad = median(apiLoads);
    const baseLoad = median(baseLoads);
    const baseline = {
      name: 'bare Hono + DynamoDB + Scheduler handler, same options',
      value: kb(baseBytes),
      unit: 'KB',
    };
    const order = ['api', 'publish', 'watchdog', 'webhooks'];
    // Reported, not budgeted: the entry a cold start loads, and with its chunks.
    const sizes: Figure[] = [...bundles]
      .sort((a, b) => order.indexOf(a.name) - order.indexOf(b.name))
      .flatMap((b) => [
        {
          name: `lambda: ${b.name} entry bytes (minified ESM, SDK bundled)`,
          value: kb(b.bytes),
          unit: 'KB',
          baseline,
          ratio: b.bytes / baseBytes,
        },
        {
          name: `lambda: ${b.name} entry + ${b.chunks.length} chunks`,
          value: kb(b.totalBytes),
          unit: 'KB',
          baseline: { ...baseline, value: kb(baseTotal) },
          ratio: b.totalBytes / baseTotal,
        },
      ]);
    const ratio = apiLoad / baseLoad;
    const baseCold = coldStartBytes(built.metafile!, baseFile);
    const cold: Figure = {
      name: 'lambda: api bytes a cold start parses (entry + static chunks)',
      value: kb(coldStartBytes(api.metafile, api.file)),
      unit: 'KB',
      baseline: { ...baseline, value: kb(baseCold) },
      ratio: coldStartBytes(api.metafile, api.file) / baseCold,
    };
    return [
      ...sizes,
      cold,
      {
        name: `lambda: api module load (SDK bundled), median of ${runs} fresh processes`,
        value: apiLoad,
        unit: 'ms',
        baseline: { name: 'bare Hono + DynamoDB + Scheduler handler', value: baseLoad, unit: 'ms' },
        ratio,
        budget: `ratio ≤ ${LOAD_RATIO_BUDGET}`,
        ok: ratio <= LOAD_RATIO_BUDGET,
      },
      {
        name: `lambda: 1-minute load average after the module-load runs (${loadBefore.toFixed(2)} before)`,
        value: loadAfter,
        unit: 'load',
      },
      {
        name: 'lambda: api first request after load (create a workspace; loads its route group and the two use-cases it uses), median',
        value: median(firstRequests),
        unit: 'ms',
        baseline: { name: 'bare handler, one write to the table', value: median(baseFirstRequests), unit: 'ms' },
      },
      {
        name: `lambda: api module load + first request, median of ${runs} fresh processes`,
        value: median(apiTotals),
        unit: 'ms',
        baseline: {
          name: 'bare Hono + DynamoDB + Scheduler handler, one write',
          value: median(baseTotals),
          unit: 'ms',
        },
        ratio: median(apiTotals) / median(baseTotals),
      },
      {
        name: 'lambda: api module load, CPU time (user + system), median',
        value: median(cpu.apiLoad),
        unit: 'ms',
        baseline: { name: 'bare handler', value: median(cpu.baseLoad), unit: 'ms' },
        ratio: median(cpu.apiLoad) / median(cpu.baseLoad),
      },
      {
        name: 'lambda: api module load + first request, CPU time (user + system), median',
        value: median(cpu.apiTotal),
        unit: 'ms',
        baseline: { name: 'bare handler, one write', value: median(cpu.baseTotal), unit: 'ms' },
        ratio: median(cpu.apiTotal) / median(cpu.baseTotal),
      },
      {
        name: 'lambda: api bundle served its first request (201)',
        value: served,
        unit: 'of runs',
        budget: `= ${runs}`,
        ok: served === runs,
      },
      {
        name: 'lambda: baseline served its first request (201)',
        value: baseServed,
        unit: 'of runs',
        budget: `= ${runs}`,
        ok: baseServed === runs,
      },
    ];
  } finally {
    await lambdaEnv.close();
    rmSync(outDir, { recursive: true, force: true });
  }
}

export const lambdaBench: Bench = benchOf('lambda', measure);
