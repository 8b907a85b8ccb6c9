/**
 * API budget (DESIGN.md "Budgets"): create-post throughput at least half of
 * the raw embedded-store write rate measured in the same run; p99 latency
 * reported. Calendar reads are measured too, against a bare Hono route.
 *
 * The real embedded runtime (`startRuntime`: dynalite in this process, the
 * local scheduler, the services, the HTTP API on loopback), in memory, with
 * the per-key rate limit lifted so nothing is answered 429. Load comes from
 * autocannon in a worker thread, so the main thread runs only what is
 * measured (server, services, SDK client, dynalite), as the raw-store
 * baseline's main thread does (SDK client and dynalite). Every phase is
 * bounded in time, with a warm-up first:
 *
 * - raw store writes: PutItem of a post-sized item through the runtime's own
 *   SDK client (the document client over it) against the same dynalite, as
 *   many at once as autocannon has connections;
 * - create-post: `POST /v1/accounts/{id}/posts`, each body a distinct text
 *   (a setupRequest numbering them), `at` two months ahead, off the cadence's
 *   slots, on an account with a watched cadence;
 * - bare Hono: `@hono/node-server` serving `app.get('/', c => c.json({ok:true}))`;
 * - calendar: `GET /v1/accounts/{id}/calendar` of an account with three
 *   slots a day over a 14-day lookahead, 20 of them filled.
 *
 * Store operations per create-post (every request the runtime's SDK client
 * sends while the phase runs, scheduler and watchdog included, over the posts
 * created) are reported too, by kind in a progress line: they bound the
 * throughput ratio (at n operations a request, at most 1/n of the raw rate).
 * Setting up the accounts uses the services directly; the non-2xx figure
 * counts warm-up answers and connection errors too.
 */
import { fileURLToPath } from 'node:url';
import type { AddressInfo } from 'node:net';
import autocannon from 'autocannon';
import { Hono } from 'hono';
import { serve, type ServerType } from '@hono/node-server';
import { PutCommand } from '@aws-sdk/lib-dynamodb';
import type { Runtime } from '@drumbeat/local';
import { benchOf, type Bench, type Figure } from './figure.js';
import { startBenchRuntime } from './bench-runtime.js';
import { percentile } from './bench-store.js';

const CONNECTIONS = 32;
/** The setupRequest that makes every `[<n>]` of a body unique (a path: autocannon loads it in its worker). */
const DISTINCT_BODY = fileURLToPath(new URL('./autocannon-distinct-body.cjs', import.meta.url));
const DAY = 86_400_000;

interface Phase {
  rate: number;
  p99: number;
  non2xx: number;
  errors: number;
  codes: string;
  /** Responses of the warm-up and the run. */
  answered: number;
}

/** One autocannon run (after its warm-up) of `opts` against `url`, in one worker thread. */
async function cannon(
  url: string,
  seconds: number,
  opts: { method?: string; headers?: Record<string, string>; body?: string } = {},
): Promise<Phase> {
  const r = await autocannon({
    url,
    connections: CONNECTIONS,
    duration: seconds,
    workers: 1,
    timeout: 10,
    warmup: { connections: CONNECTIONS, duration: Math.max(1, Math.round(seconds / 4)) },
    ...(opts.method ? { method: opts.method } : {}),
    headers: { 'content-type': 'application/json', ...(opts.headers ?? {}) },
    ...(opts.body !== undefined ? { body: opts.body, requests: [{ setupRequest: DISTINCT_BODY }] } : {}),
  });
  const codes = Object.entries(r.statusCodeStats ?? {})
    .map(([code, { count }]) => `${code}×${count}`)
    .join(' ');
  // The warm-up's answers count too: a 429 or 500 there is as wrong as one measured.
  const w = r.warmup;
  return {
    rate: r['2xx'] / r.duration,
    p99: r.latency.p99,
    non2xx: r.non2xx + (w?.non2xx ?? 0),
    errors: r.errors + r.timeouts + (w ? w.errors + w.timeouts : 0),
    codes,
    answered: r.requests.total + (w?.requests.total ?? 0),
  };
}

/** Runs `fn` with `c` at once until `ms` have passed; completions a second and latencies (ms, sorted). */
async function forDuration(
  ms: number,
  c: number,
  fn: (i: number) => Promise<void>,
): Promise<{ rate: number; latencies: number[] }> {
  const latencies: number[] = [];
  let i = 0;
  const start = performance.now();
  const end = start + ms;
  await Promise.all(
    Array.from({ length: c }, async () => {
      while (performance.now() < end) {
        const t = performance.now();
        await fn(i++);
        latencies.push(performance.now() - t);
      }
    }),
  );
  return { rate: latencies.length / ((performance.now() - start) / 1000), latencies: latencies.sort((a, b) => a - b) };
}

/** Raw PutItem rate through the runtime's own client against its dynalite, `CONNECTIONS` at once. */
export async function rawWrites(rt: Runtime, seconds: number): Promise<{ rate: number; p99: number }> {
  const { doc, table } = rt.store.db;
  const text = 'x'.repeat(120);
  const put = (prefix: string) => (i: number) =>
    doc
      .send(
        new PutCommand({
          TableName: table,
          Item: {
            pk: `RAW#${prefix}${i}`,
            sk: 'RAW',
            type: 'raw',
            text,
            status: 'scheduled',
            scheduledAt: new Date(Date.now() + 60 * DAY).toISOString(),
            version: 1,
            media: [],
            approvals: [],
          },
        }),
      )
      .then(() => undefined);
  await forDuration(Math.max(1000, (seconds * 1000) / 4), CONNECTIONS, put('warm'));
  const r = await forDuration(seconds * 1000, CONNECTIONS, put(''));
  return { rate: r.rate, p99: percentile(r.latencies, 99) };
}

/** A bare Hono route on loopback, served the way the runtime serves its app. */
async function bareHono(): Promise<{ url: string; close(): Promise<void> }> {
  const app = new Hono();
  app.get('/', (c) => c.json({ ok: true }));
  const server: ServerType = await new Promise((resolve) => {
    const s = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }, () => resolve(s));
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/`,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        (server as { closeAllConnections?: () => void }).closeAllConnections?.();
      }),
  };
}

async function measure(quick: boolean, progress: (m: string) => void): Promise<Figure[]> {
  const seconds = quick ? 2 : 5;
  const { rt, stop } = await startBenchRuntime('api');
  const bare = await bareHono();
  // Every request the runtime's SDK client sends (services and scheduler share it).
  const ops = { n: 0, byKind: new Map<string, number>() };
  rt.store.db.doc.middlewareStack.add(
    (next, context) => (args) => {
      const kind = String((context as { commandName?: string }).commandName ?? 'unknown').replace(/Command$/, '');
      ops.byKind.set(kind, (ops.byKind.get(kind) ?? 0) + 1);
      ops.n++;
      return next(args);
    },
    { step: 'initialize', name: 'apiBenchOpCounter' },
  );
  try {
    const { workspace, apiKey } = rt.firstWorkspace!;
    const auth = { authorization: `Bearer ${apiKey.key}` };
    const ws = workspace.id;
    const voice = await rt.services.voices.create(ws, { name: 'Bench', affiliation: 'in_house' });
    // Channels point at a closed loopback port; no post comes due while the bench runs.
    const channel = { type: 'webhook' as const, url: 'http://127.0.0.1:9/hook' };
    const writer = await rt.services.accounts.create(ws, {
      name: 'Writer',
      network: 'mastodon',
      handle: '@writer',
      timezone: 'Europe/Paris',
      channel,
      cadence: { slots: ['FREQ=WEEKLY;BYDAY=MO,WE,FR;BYHOUR=9;BYMINUTE=30'], maxGap: 'P7D', lookahead: 'P14D' },
    });
    const reader = await rt.services.accounts.create(ws, {
      name: 'Reader',
      network: 'mastodon',
      handle: '@reader',
      timezone: 'Europe/Paris',
      channel,
      cadence: { slots: ['FREQ=DAILY;BYHOUR=9,13,17;BYMINUTE=0'], maxGap: 'P2D', lookahead: 'P14D' },
    });
    for (let i = 0; i < 20; i++)
      await rt.services.posts.create(ws, reader.id, {
        text: `Planned ${i}`,
        media: [],
        voiceId: voice.id,
        slot: 'next',
      });

    progress(`bare Hono route, ${CONNECTIONS} connections, ${seconds} s`);
    const hono = await cannon(bare.url, seconds);

    progress(`raw store writes (PutItem), ${CONNECTIONS} at once, ${seconds} s`);
    const raw = await rawWrites(rt, seconds);

    // Two months ahead at :17 past the hour, off every slot, so no slot is claimed.
    const at = new Date(Math.ceil((Date.now() + 60 * DAY) / 3_600_000) * 3_600_000 + 17 * 60_000).toISOString();
    const body = JSON.stringify({
      text: 'Bench post [<n>]: our autumn blend is back, now in 250 g bags.',
      voiceId: voice.id,
      at,
    });
    const postsBefore = (await rt.store.posts.allInWindow(ws, writer.id, '0', '9')).length;
    progress(`create-post, ${CONNECTIONS} connections, ${seconds} s`);
    ops.n = 0;
    ops.byKind.clear();
    const create = await cannon(`${rt.url}/v1/accounts/${writer.id}/posts`, seconds, {
      method: 'POST',
      headers: auth,
      body,
    });
    const created = (await rt.store.posts.allInWindow(ws, writer.id, '0', '9')).length - postsBefore;
    const createOps = ops.n / Math.max(1, created);
    const perPost = (m: Map<string, number>) =>
      JSON.stringify(Object.fromEntries([...m].map(([k, v]) => [k, Number((v / Math.max(1, created)).toFixed(2))])));
    progress(
      `create-post: ${created} posts created (warm-up included), ${createOps.toFixed(2)} store operations each ${perPost(ops.byKind)}; statuses ${create.codes}`,
    );

    progress(`calendar, ${CONNECTIONS} connections, ${seconds} s`);
    ops.n = 0;
    ops.byKind.clear();
    const calendar = await cannon(`${rt.url}/v1/accounts/${reader.id}/calendar`, seconds, { headers: auth });
    progress(
      `calendar: ${(ops.n / Math.max(1, calendar.answered)).toFixed(2)} store operations per request (warm-up included) ${JSON.stringify(Object.fromEntries(ops.byKind))}; statuses ${calendar.codes}`,
    );

    const non2xx = create.non2xx + calendar.non2xx + create.errors + calendar.errors;
    const createRatio = create.rate / raw.rate;
    return [
      {
        name: `api: create-post throughput (${CONNECTIONS} connections)`,
        value: create.rate,
        unit: 'req/s',
        baseline: {
          name: 'raw store PutItem, same client and engine, same concurrency',
          value: raw.rate,
          unit: 'writes/s',
        },
        ratio: createRatio,
        budget: '≥ 0.5 of the baseline',
        ok: createRatio >= 0.5,
      },
      {
        name: 'api: store operations per create-post (scheduler and watchdog included)',
        value: createOps,
        unit: 'ops',
        baseline: { name: 'the raw write', value: 1, unit: 'op' },
        ratio: createOps,
      },
      {
        name: 'api: create-post latency p99',
        value: create.p99,
        unit: 'ms',
        baseline: { name: 'raw store PutItem p99', value: raw.p99, unit: 'ms' },
        ratio: create.p99 / raw.p99,
      },
      {
        name: `api: calendar throughput (${CONNECTIONS} connections)`,
        value: calendar.rate,
        unit: 'req/s',
        baseline: { name: 'bare Hono route, same autocannon settings', value: hono.rate, unit: 'req/s' },
        ratio: calendar.rate / hono.rate,
      },
      {
        name: 'api: calendar latency p99',
        value: calendar.p99,
        unit: 'ms',
        baseline: { name: 'bare Hono route p99', value: hono.p99, unit: 'ms' },
        ratio: calendar.p99 / hono.p99,
      },
      {
        name: 'api: non-2xx responses and errors (create-post + calendar)',
        value: non2xx,
        unit: 'responses',
        budget: '= 0',
        ok: non2xx === 0,
      },
    ];
  } finally {
    await bare.close();
    // stop() lets the requests autocannon left under way finish before it closes the store.
    await stop();
  }
}

export const apiBench: Bench = benchOf('api', measure);
