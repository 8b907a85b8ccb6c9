/**
 * Publishing budget (DESIGN.md "Budgets"): N posts due in the same second on
 * the embedded runtime (dynalite in this process, the local durable scheduler,
 * the publish use-case) — published count, duplicates, lateness p50/p99, store
 * operations per publish (every request the SDK sends while publishing,
 * scheduler reads, lease and timer deletes included), and throughput against
 * the raw store's conditional-update rate measured in the same run.
 *
 * The channel is an in-process one that counts calls per post, so the figures
 * measure drumbeat's pipeline, not a receiver; the webhook channel over real
 * HTTP is exercised by the tests.
 */
import { UpdateCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { allowAllUrls, durationMs, type Channel, type Clock, type PostRecord } from '@drumbeat/core';
import { aesGcmSealer, createServices } from '@drumbeat/services';
import { singleWriterCache } from '@drumbeat/store';
import { LocalScheduler } from '../../packages/local/src/scheduler/index.js';
import { OutboxMailer } from '../../packages/local/src/mail/index.js';
import { LedgerHeadsFile } from '../../packages/local/src/ledger-heads-file.js';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Bench, Figure } from './figure.js';
import { percentile, pool, startCountedStore, type CountedStore } from './bench-store.js';

/** Publish throughput must reach this share of what the raw store rate allows for the ops a publish takes (the same for a durable burst). */
const THROUGHPUT_BUDGET = 0.7;

/** A clock that runs with real time, shifted: creation happens "an hour before" the burst, then time jumps to just before it. */
class ShiftedClock implements Clock {
  offset = 0;
  now(): Date {
    return new Date(Date.now() + this.offset);
  }
}

async function rawConditionalUpdates(cs: CountedStore, n: number, concurrency: number): Promise<number> {
  const { doc, table } = cs.store.db;
  await pool(n, concurrency, (i) =>
    doc
      .send(new PutCommand({ TableName: table, Item: { pk: `RAW#${i}`, sk: 'RAW', state: 'a' } }))
      .then(() => undefined),
  );
  const start = performance.now();
  await pool(n, concurrency, (i) =>
    doc
      .send(
        new UpdateCommand({
          TableName: table,
          Key: { pk: `RAW#${i}`, sk: 'RAW' },
          UpdateExpression: 'SET #s = :b',
          ConditionExpression: '#s = :a',
          ExpressionAttributeNames: { '#s': 'state' },
          ExpressionAttributeValues: { ':a': 'a', ':b': 'b' },
          ReturnValues: 'ALL_NEW',
        }),
      )
      .then(() => undefined),
  );
  return n / ((performance.now() - start) / 1000);
}

/**
 * One burst of `n` posts. `durable`: the store on disk, as `npm start` runs it,
 * with the claim flushed before each channel call and ledger entries flushed
 * and their head recorded before each announcement.
 */
async function burst(n: number, progress: (m: string) => void, durable = false): Promise<Figure[]> {
  const dir = durable ? mkdtempSync(join(tmpdir(), 'drumbeat-bench-')) : undefined;
  const cs = await startCountedStore(dir ? { path: join(dir, 'db') } : {});
  const label = durable ? `publish ${n} on disk, durable` : `publish ${n}`;
  try {
    const concurrency = 256; // as many at once as the runtime's scheduler runs handlers
    progress(`raw conditional-update rate (${n} updates, ${concurrency} at once)`);
    const rawRate = await rawConditionalUpdates(cs, n, concurrency);

    const clock = new ShiftedClock();
    clock.offset = -durationMs('PT1H');
    const calls = new Map<string, number>();
    const channel: Channel = {
      async publish(req) {
        calls.set(req.postId, (calls.get(req.postId) ?? 0) + 1);
        return { url: `https://social.example/${req.postId}` };
      },
    };
    const scheduler = new LocalScheduler({ db: cs.store.db, clock }); // the runtime's own settings: 256 handlers at once
    const services = createServices(
      {
        store: singleWriterCache(cs.store), // as the runtime (the only writer)
        clock,
        scheduler,
        urlPolicy: allowAllUrls,
        webhookSender: { send: async () => ({ ok: true, retryable: false, durationMs: 0 }) },
        channelFor: () => channel,
        mailer: new OutboxMailer({ dir: '/tmp/drumbeat-bench-outbox', from: 'bench@example.com', log: () => {} }),
        publicUrl: 'http://bench.example',
        singleWriter: true,
        // As the runtime: with a sealer, the ledger signs a checkpoint at every write (issue 15).
        sealer: aesGcmSealer(randomBytes(32)),
        ...(dir ? { durability: durabilityIn(dir, cs) } : {}),
      },
      // As the runtime: its only writer's claims are never foreign, so no recovery timer per publish (that is AWS's).
      { publisher: { foreignClaimStaleMs: 0 } },
    );
    const { workspace } = await services.workspaces.create({ name: `Bench ${n}` });
    const voice = await services.voices.create(workspace.id, { name: 'Bench', affiliation: 'automation' });
    const accounts = await Promise.all(
      Array.from({ length: 10 }, (_, i) =>
        services.accounts.create(workspace.id, {
          name: `A${i}`,
          network: 'other',
          handle: `@a${i}`,
          timezone: 'Europe/Paris',
          channel: { type: 'webhook', url: 'https://bench.example/hook' },
        }),
      ),
    );
    // channelFor hands every account the counting channel above
    const dueAt = new Date(Date.now() + durationMs('PT30M'));
    progress(`creating ${n} posts due at the same instant`);
    const ids: string[] = [];
    await pool(n, 32, async (i) => {
      const p = await services.posts.create(workspace.id, accounts[i % accounts.length]!.id, {
        text: `Post ${i}`,
        voiceId: voice.id,
        media: [],
        at: dueAt.toISOString(),
      });
      ids.push(p.id);
    });
    await cs.store.db.doc.send(new PutCommand({ TableName: cs.store.db.table, Item: { pk: 'WARM', sk: 'UP' } }));

    // Jump to one second before the burst, start the loop, and wait for every post.
    clock.offset = dueAt.getTime() - 1000 - Date.now();
    cs.reset();
    const started = performance.now();
    const elu0 = performance.eventLoopUtilization();
    scheduler.start(async (payload) => {
      if (payload.kind === 'publish') await services.publisher.run(payload);
    });
    const deadline = Date.now() + 120_000 + n * 20;
    let published = 0;
    while (Date.now() < deadline) {
      published = [...calls.values()].length;
      if (published >= n) break;
      await new Promise((r) => setTimeout(r, 10));
    }
    const elapsedS = (performance.now() - started) / 1000 - 1; // the first second is the wait before the burst
    const elu = performance.eventLoopUtilization(elu0).utilization;
    progress(`main event loop busy ${(elu * 100).toFixed(0)}% of the burst (the first second idle included)`);
    // let the loop finish deleting fired timers (counted in the operations, not in the time), then stop
    await new Promise((r) => setTimeout(r, 300));
    await scheduler.stop();
    const ops = cs.total();
    const opsByKind = Object.fromEntries(cs.counts);

    const posts: PostRecord[] = [];
    for (const a of accounts) posts.push(...(await cs.store.posts.allInWindow(workspace.id, a.id, '0', '9')));
    const latenesses = posts
      .filter((p) => p.status === 'published')
      .map((p) => p.lateness ?? NaN)
      .sort((a, b) => a - b);
    const duplicates = [...calls.values()].reduce((sum, c) => sum + (c - 1), 0);
    const opsPerPublish = ops / n;
    const throughput = n / elapsedS;
    const allowed = rawRate / opsPerPublish;
    progress(`ops by kind: ${JSON.stringify(opsByKind)}`);
    return [
      {
        name: `${label}: published`,
        value: latenesses.length,
        unit: 'posts',
        budget: `= ${n}`,
        ok: latenesses.length === n,
      },
      {
        name: `${label}: duplicate channel calls`,
        value: duplicates,
        unit: 'calls',
        budget: '= 0',
        ok: duplicates === 0,
      },
      { name: `${label}: lateness p50`, value: percentile(latenesses, 50), unit: 'ms' },
      {
        name: `${label}: lateness p99`,
        value: percentile(latenesses, 99),
        unit: 'ms',
        ...(n <= 1000 ? { budget: '< 2000 ms', ok: percentile(latenesses, 99) < 2000 } : {}),
      },
      {
        name: `${label}: store operations per publish`,
        value: opsPerPublish,
        unit: 'ops',
        budget: '≤ 4',
        ok: opsPerPublish <= 4,
      },
      {
        name: `${label}: throughput`,
        value: throughput,
        unit: 'posts/s',
        baseline: { name: 'raw conditional updates ÷ ops per publish', value: allowed, unit: 'posts/s' },
        ratio: throughput / allowed,
        budget: `≥ ${THROUGHPUT_BUDGET.toFixed(2)} of the baseline`,
        ok: throughput / allowed >= THROUGHPUT_BUDGET,
      },
    ];
  } finally {
    await cs.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  }
}

/** The runtime's durability: the engine's shared fsync and the ledger heads file. */
function durabilityIn(dir: string, cs: CountedStore) {
  const heads = new LedgerHeadsFile(dir);
  return {
    flush: () => cs.dynamo.flush(),
    ledgerHead: (ws: string, h: { seq: number; hash: string }) => heads.record(ws, h),
  };
}

export const publishBench: Bench = {
  name: 'publish burst',
  async run({ quick, progress }) {
    const sizes = quick ? [200] : [1000, 10_000];
    const out: Figure[] = [];
    // A server that has run a while has compiled its publish path: one small burst first, its figures dropped.
    progress('warm-up burst of 300 posts (not reported)');
    await burst(300, () => undefined);
    for (const n of sizes) out.push(...(await burst(n, progress)));
    return out;
  },
};

/**
 * The same burst with every irreversible act waiting for the disk (issue 15),
 * beside one in memory of the same size in the same run: each against the
 * same throughput budget, and durable ÷ in-memory reported.
 * Alone: `npm run bench -- --only=durable` (`--quick`: 200 posts, else 1,000).
 */
export const publishDurableBench: Bench = {
  name: 'publish durable vs in memory',
  async run({ quick, progress }) {
    const n = quick ? 200 : 1000;
    progress('warm-up burst of 300 posts (not reported)');
    await burst(300, () => undefined);
    const memory = await burst(n, progress);
    const durable = await burst(n, progress, true);
    const rate = (fs: Figure[]) => fs.find((f) => f.name.endsWith(': throughput'))!.value;
    return [
      ...memory,
      ...durable,
      {
        name: `publish ${n}: durable throughput ÷ in memory`,
        value: rate(durable),
        unit: 'posts/s',
        baseline: { name: `publish ${n} in memory`, value: rate(memory), unit: 'posts/s' },
        ratio: rate(durable) / rate(memory),
      },
    ];
  },
};
