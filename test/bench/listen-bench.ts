/**
 * Cost of listening (issue 18; DESIGN.md "Budgets": listening accounts cost
 * one poll per interval, others nothing). N accounts listen every PT5M on the
 * Mastodon stand-in (one instance on loopback, no rate limit), N others do
 * not; after a first interval (first polls read the account id once), six
 * intervals are simulated with a manual clock and the local scheduler's
 * `runDue()` every simulated minute, one new mention per interval.
 *
 * Reported: listen timers fired per listening account per interval, network
 * requests per poll (notifications, plus our own recent statuses to see
 * answers made outside drumbeat), store operations per poll, and what the
 * non-listening accounts cost (timers, requests): 0.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { allowAllUrls, ManualClock, type InboundItem, type InboxSink } from '@drumbeat/core';
import { sourceFor } from '@drumbeat/channels';
import { createServices } from '@drumbeat/services';
import { LocalScheduler } from '../../packages/local/src/scheduler/index.js';
import { OutboxMailer } from '../../packages/local/src/mail/index.js';
import { MASTODON_TOKEN, mastodonStandIn } from '../support/mastodon-stand-in.js';
import type { Bench, Figure } from './figure.js';
import { pool, startCountedStore } from './bench-store.js';

const MINUTE = 60_000;
const START = '2027-01-04T09:00:00Z';
const INTERVALS = 6;

/** An inbox that counts what it is handed, idempotent by external id per account. */
class CountingSink implements InboxSink {
  readonly seen = new Set<string>();
  async ingest(_ws: string, acc: string, items: InboundItem[]) {
    let created = 0;
    for (const i of items)
      if (!this.seen.has(`${acc}/${i.externalId}`) && this.seen.add(`${acc}/${i.externalId}`)) created++;
    return { created };
  }
  async answeredOutside() {
    return { updated: 0 };
  }
}

async function simulate(n: number, progress: (m: string) => void): Promise<Figure[]> {
  const cs = await startCountedStore({ open: true });
  const m = await mastodonStandIn({ rateLimit: 1e12 });
  try {
    const clock = new ManualClock(START);
    const scheduler = new LocalScheduler({ db: cs.store.db, clock, batchSize: 500 });
    const services = createServices({
      store: cs.store,
      clock,
      scheduler,
      urlPolicy: allowAllUrls,
      webhookSender: { send: async () => ({ ok: true, retryable: false, durationMs: 0 }) },
      channelFor: () => ({ publish: async () => ({}) }),
      sourceFor: (c) => sourceFor(c, { allowPrivate: true, timeoutMs: 10_000 }),
      mailer: new OutboxMailer({
        dir: mkdtempSync(join(tmpdir(), 'drumbeat-listen-bench-')),
        from: 'bench@example.com',
        log: () => {},
        clock,
      }),
      publicUrl: 'http://bench.example',
    });
    const sink = new CountingSink();
    services.listening.sink = sink;
    const fired = new Map<string, number>();
    const listening = new Set<string>();
    let silentTimers = 0;
    scheduler.start(
      async (p) => {
        fired.set(p.kind, (fired.get(p.kind) ?? 0) + 1);
        if (p.kind === 'listen' && !listening.has(p.accountId)) silentTimers++;
        if (p.kind === 'listen') await services.listening.run(p);
        else if (p.kind === 'watchdog') await services.watchdog.run(p);
      },
      { loop: false },
    );
    const { workspace } = await services.workspaces.create({ name: `Listen ${n}` });
    progress(`creating ${n} listening and ${n} silent accounts`);
    await pool(2 * n, 32, async (i) => {
      const listens = i % 2 === 0;
      const a = await services.accounts.create(workspace.id, {
        name: `Account ${i}`,
        network: 'mastodon',
        handle: `@acct${i}`,
        timezone: 'Europe/Paris',
        channel: listens ? { type: 'mastodon', instanceUrl: m.url, accessToken: MASTODON_TOKEN } : { type: 'manual' },
        ...(listens ? { listening: { enabled: true, every: 'PT5M' } } : {}),
      });
      if (listens) listening.add(a.id);
    });

    progress('first polls (the account id is read once and kept in the cursor)');
    const t0 = Date.parse(START);
    m.mention('carol', '@acme first');
    for (let min = 0; min < 5; min++) {
      clock.set(t0 + min * MINUTE);
      await scheduler.runDue();
    }
    const firstPollRequests = m.requests.length;
    cs.reset();
    fired.clear();
    m.requests.length = 0;

    progress(`simulating ${INTERVALS} intervals of PT5M, runDue() every simulated minute`);
    const started = performance.now();
    for (let min = 5; min < 5 + INTERVALS * 5; min++) {
      if (min % 5 === 0) m.mention('dave', `@acme question at minute ${min}`);
      clock.set(t0 + min * MINUTE);
      await scheduler.runDue();
    }
    const wallMs = performance.now() - started;
    await scheduler.stop();

    const polls = fired.get('listen') ?? 0;
    const requests = m.requests.length;
    const received = sink.seen.size;
    progress(
      `timers fired: ${JSON.stringify(Object.fromEntries(fired))}; requests: ${requests}; store ops: ${JSON.stringify(Object.fromEntries(cs.counts))}; items: ${received}`,
    );
    return [
      {
        name: `listen ${n} accounts × ${INTERVALS} intervals: listen timers fired per listening account per interval`,
        value: polls / (n * INTERVALS),
        unit: 'timers',
        budget: '1 (one poll per interval)',
        ok: polls === n * INTERVALS,
      },
      {
        name: `listen ${n} accounts: network requests per poll (notifications + own recent statuses)`,
        value: requests / Math.max(1, polls),
        unit: 'requests',
      },
      {
        name: `listen ${n} accounts: network requests of the first poll of an account (verify_credentials once)`,
        value: firstPollRequests / n,
        unit: 'requests',
      },
      { name: `listen ${n} accounts: store operations per poll`, value: cs.total() / Math.max(1, polls), unit: 'ops' },
      {
        name: `listen ${n} accounts: wall time per poll (loopback instance, embedded store)`,
        value: wallMs / Math.max(1, polls),
        unit: 'ms',
      },
      {
        name: `listen ${n} accounts: items handed to the inbox once each (new per account per interval)`,
        value: received / n,
        unit: 'items',
        budget: `${INTERVALS + 1} (one mention per interval, and the first)`,
        ok: received === n * (INTERVALS + 1),
      },
      {
        name: `silent ${n} accounts (no listening): listen timers fired (so no request either)`,
        value: silentTimers,
        unit: 'timers',
        budget: '0',
        ok: silentTimers === 0,
      },
    ];
  } finally {
    await m.close();
    await cs.close();
  }
}

export const listenBench: Bench = {
  name: 'listen',
  run: ({ quick, progress }) => simulate(quick ? 100 : 1000, progress),
};
