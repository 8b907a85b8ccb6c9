/**
 * Cost of listening (issue 18; DESIGN.md "Budgets": listening accounts cost
 * one poll per interval, others nothing). N accounts listen every PT5M on the
 * Mastodon stand-in (no rate limit), N others do not. Half the listening
 * accounts have an empty inbox (nothing awaits an answer: their instance is
 * quiet), half have items awaiting an answer (their instance brings one new
 * mention per interval, left unanswered). After a first interval (first
 * polls read the account id once), six intervals are simulated with a manual
 * clock and the local scheduler's `runDue()` every simulated minute.
 *
 * Reported: listen timers fired per listening account per interval, network
 * requests per poll with an empty inbox (notifications only: 1.00) and with
 * items awaiting an answer (our own statuses read every third poll, to see
 * answers made outside drumbeat: ~1.33), of the first poll, store operations
 * per poll, and what the non-listening accounts cost (timers, requests): 0.
 */
import { ManualClock, type InboundItem, type InboxSink } from '@drumbeat/core';
import { sourceFor } from '@drumbeat/channels';
import { createServices } from '@drumbeat/services';
import { LocalScheduler } from '../../packages/local/src/scheduler/index.js';
import { MASTODON_TOKEN, mastodonStandIn } from '../support/mastodon-stand-in.js';
import type { Bench, Figure } from './figure.js';
import { pool, quietDeps, startCountedStore } from './bench-store.js';

const MINUTE = 60_000;
const START = '2027-01-04T09:00:00Z';
const INTERVALS = 6;

/** An inbox that counts what it is handed, idempotent by external id per account; nothing is ever answered. */
class CountingSink implements InboxSink {
  readonly seen = new Set<string>();
  readonly holding = new Set<string>();
  async ingest(_ws: string, acc: string, items: InboundItem[]) {
    let created = 0;
    for (const i of items)
      if (!this.seen.has(`${acc}/${i.externalId}`) && this.seen.add(`${acc}/${i.externalId}`)) created++;
    if (items.length) this.holding.add(acc);
    return { created };
  }
  async answeredOutside() {
    return { updated: 0 };
  }
  /** Items are never answered here: an account that received one has items awaiting an answer from then on. */
  async awaitingAnswer(_ws: string, acc: string) {
    return this.holding.has(acc);
  }
}

async function simulate(n: number, progress: (m: string) => void): Promise<Figure[]> {
  const cs = await startCountedStore({ open: true });
  // Two instances: one quiet (its accounts' inboxes stay empty), one bringing mentions (items await an answer).
  const quiet = await mastodonStandIn({ rateLimit: 1e12 });
  const m = await mastodonStandIn({ rateLimit: 1e12 });
  try {
    const clock = new ManualClock(START);
    const scheduler = new LocalScheduler({ db: cs.store.db, clock, batchSize: 500, concurrency: 32 });
    const services = createServices({
      store: cs.store,
      clock,
      scheduler,
      channelFor: () => ({ publish: async () => ({}) }),
      // The clock is simulated: a generous timeout keeps a loaded machine from failing polls (each failure backs off).
      sourceFor: (c) => sourceFor(c, { allowPrivate: true, timeoutMs: 60_000 }),
      ...quietDeps('listen', clock),
    });
    const sink = new CountingSink();
    services.listening.sink = sink;
    const fired = new Map<string, number>();
    const listening = new Set<string>();
    const busy = Math.ceil(n / 2);
    const busyAccounts = new Set<string>();
    let busyPolls = 0;
    const errors: string[] = [];
    let silentTimers = 0;
    scheduler.start(
      async (p) => {
        fired.set(p.kind, (fired.get(p.kind) ?? 0) + 1);
        if (p.kind === 'listen' && !listening.has(p.accountId)) silentTimers++;
        if (p.kind === 'listen') {
          const out = await services.listening.run(p);
          if (busyAccounts.has(p.accountId)) busyPolls++;
          if (out.error) errors.push(out.error);
        } else if (p.kind === 'watchdog') await services.watchdog.run(p);
      },
      { loop: false },
    );
    const { workspace } = await services.workspaces.create({ name: `Listen ${n}` });
    progress(`creating ${n} listening and ${n} silent accounts`);
    await pool(2 * n, 32, async (i) => {
      const listens = i % 2 === 0;
      const instance = i / 2 < busy ? m : quiet;
      const a = await services.accounts.create(workspace.id, {
        name: `Account ${i}`,
        network: 'mastodon',
        handle: `@acct${i}`,
        timezone: 'Europe/Paris',
        channel: listens
          ? { type: 'mastodon', instanceUrl: instance.url, accessToken: MASTODON_TOKEN }
          : { type: 'manual' },
        ...(listens ? { listening: { enabled: true, every: 'PT5M' } } : {}),
      });
      if (listens) listening.add(a.id);
      if (listens && instance === m) busyAccounts.add(a.id);
    });

    progress('first polls (the account id is read once and kept in the cursor)');
    const t0 = Date.parse(START);
    m.mention('carol', '@acme first');
    for (let min = 0; min < 5; min++) {
      clock.set(t0 + min * MINUTE);
      await scheduler.runDue();
    }
    const firstPollRequests = m.requests.length + quiet.requests.length;
    const firstPolls = fired.get('listen') ?? 0;
    busyPolls = 0;
    errors.length = 0;
    cs.reset();
    fired.clear();
    m.requests.length = 0;
    quiet.requests.length = 0;

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
    const quietPolls = polls - busyPolls;
    const ownLooks = m.requests.filter((r) => /^\/api\/v1\/accounts\/\d+\/statuses/.test(r.path)).length;
    const received = sink.seen.size;
    if (errors.length) progress(`${errors.length} polls failed (load?), e.g. ${errors[0]}`);
    progress(
      `timers fired: ${JSON.stringify(Object.fromEntries(fired))}; requests: ${quiet.requests.length} (empty inboxes) + ${m.requests.length} (${ownLooks} own-statuses looks); store ops: ${JSON.stringify(Object.fromEntries(cs.counts))}; items: ${received}`,
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
        name: `listen ${n - busy} accounts with an empty inbox: network requests per poll (notifications only)`,
        value: quiet.requests.length / Math.max(1, quietPolls),
        unit: 'requests',
        budget: '1',
        ok: quiet.requests.length === quietPolls,
      },
      {
        name: `listen ${busy} accounts with items awaiting an answer: network requests per poll (our own statuses every 3rd poll)`,
        value: m.requests.length / Math.max(1, busyPolls),
        unit: 'requests',
        budget: '≤ 1.34 (one, plus one every third poll)',
        ok: m.requests.length <= Math.ceil(busyPolls * (1 + 1 / 3)),
      },
      {
        name: `listen ${n} accounts: network requests of the first poll of an account (verify_credentials once)`,
        value: firstPollRequests / Math.max(1, firstPolls),
        unit: 'requests',
        budget: '2',
        ok: firstPollRequests === 2 * firstPolls,
      },
      {
        name: `listen ${n} accounts: polls that failed (a failed poll backs off, so it also lowers the timers figure)`,
        value: errors.length,
        unit: 'polls',
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
        budget: `${(busy * (INTERVALS + 1)) / n} (one mention per interval and the first, on half of them)`,
        ok: received === busy * (INTERVALS + 1),
      },
      {
        name: `silent ${n} accounts (no listening): listen timers fired`,
        value: silentTimers,
        unit: 'timers',
        budget: '0',
        ok: silentTimers === 0,
      },
      {
        // Every request either instance saw is counted above against a listening account's polls.
        name: `silent ${n} accounts (no listening): network requests`,
        value: silentTimers === 0 ? 0 : Number.NaN,
        unit: 'requests',
        budget: '0',
        ok: silentTimers === 0,
      },
    ];
  } finally {
    await m.close();
    await quiet.close();
    await cs.close();
  }
}

export const listenBench: Bench = {
  name: 'listen',
  run: ({ quick, progress }) => simulate(quick ? 100 : 1000, progress),
};
