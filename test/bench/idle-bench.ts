/**
 * Idle cost budget (DESIGN.md "Budgets"): an account with nothing due costs no
 * store read and no invocation. N idle accounts (a cadence with quarterly
 * slots, every slot of the year ahead filled, a lapse allowed after 100 days)
 * are created through the services, then 30 days are simulated with a manual
 * clock and the local scheduler's `runDue()` every simulated hour.
 *
 * Reported: the store operations the services make per day over those 30 days
 * (the watchdog, alerts, anything but the scheduler's own polling), and the
 * watchdog invocations, both next to what a once-a-minute sweep would cost
 * (N reads × 1,440 a day). The scheduler has its own SDK client, so its
 * polling is counted apart: it is this simulation's driver (the real loop
 * sleeps until the next due timer instead), a per-table cost, not per account.
 * For scale, a small cohort whose cadence does lapse shows what one deadline
 * costs when it fires.
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { ManualClock, type Channel, type TimerPayload } from '@drumbeat/core';
import { createDb } from '@drumbeat/store';
import { createServices } from '@drumbeat/services';
import { LocalScheduler } from '../../packages/local/src/scheduler/index.js';
import type { Bench, Figure } from './figure.js';
import { pool, quietDeps, startCountedStore } from './bench-store.js';

const DAY = 86_400_000;
const HOUR = 3_600_000;
const START = '2027-01-04T00:00:00Z';
const SIM_DAYS = 30;
/** Quarterly slots (1 Jan, Apr, Jul, Oct at 09:00 Paris) and the four of the year ahead, as UTC instants. */
const SLOTS = ['FREQ=MONTHLY;INTERVAL=3;BYMONTHDAY=1;BYHOUR=9'];
const FILLED = ['2027-04-01T07:00:00Z', '2027-07-01T07:00:00Z', '2027-10-01T07:00:00Z', '2028-01-01T08:00:00Z'];

/** A client of its own for the scheduler, so its requests are counted apart from the services'. */
function countedClient(endpoint: string, counts: { n: number }): DynamoDBClient {
  const client = new DynamoDBClient({
    endpoint,
    region: 'local',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    maxAttempts: 3,
  });
  client.middlewareStack.add(
    (next) => async (args) => {
      counts.n++;
      return next(args);
    },
    { step: 'initialize', name: 'schedulerOpCounter' },
  );
  return client;
}

async function simulate(n: number, progress: (m: string) => void): Promise<Figure[]> {
  const cs = await startCountedStore({ open: true }); // the scheduler's own counted client comes in too
  const schedulerOps = { n: 0 };
  const schedulerClient = countedClient(cs.dynamo.endpoint, schedulerOps);
  try {
    const clock = new ManualClock(START);
    const scheduler = new LocalScheduler({ db: createDb(schedulerClient, 'drumbeat-bench'), clock, batchSize: 500 });
    const channel: Channel = { publish: async (req) => ({ url: `https://social.example/${req.postId}` }) };
    const services = createServices({
      store: cs.store,
      clock,
      scheduler,
      channelFor: () => channel,
      ...quietDeps('idle', clock),
    });
    const fired = new Map<TimerPayload['kind'], number>();
    scheduler.start(
      async (p) => {
        fired.set(p.kind, (fired.get(p.kind) ?? 0) + 1);
        if (p.kind === 'watchdog') await services.watchdog.run(p);
        else if (p.kind === 'publish') await services.publisher.run(p);
        else if (p.kind === 'deliver') await services.webhooks.deliver(p);
        else if (p.kind === 'review-digest') await services.reviewDigests.run(p);
        else if (p.kind === 'listen') await services.listening.run(p);
        // 'import-lease': import jobs run on AWS only; never armed here.
      },
      { loop: false },
    );

    const { workspace } = await services.workspaces.create({ name: `Idle ${n}` });
    const voice = await services.voices.create(workspace.id, { name: 'Bench', affiliation: 'in_house' });
    progress(`creating ${n} accounts with quarterly slots, each filled for the year ahead`);
    const accountIds: string[] = [];
    await pool(n, 32, async (i) => {
      const a = await services.accounts.create(workspace.id, {
        name: `Idle ${i}`,
        network: 'mastodon',
        handle: `@idle${i}`,
        timezone: 'Europe/Paris',
        channel: { type: 'webhook', url: 'https://bench.example/hook' },
        cadence: { slots: SLOTS, maxGap: 'P100D', lookahead: 'P7D' },
        alerts: { emails: ['brand@bench.example'] },
      });
      accountIds.push(a.id);
      for (const at of FILLED)
        await services.posts.create(workspace.id, a.id, {
          text: `Planned for ${at}`,
          media: [],
          voiceId: voice.id,
          at,
        });
    });
    const openAfterSetup = (await cs.store.alerts.list(workspace.id, { status: 'open', limit: 10 })).items.length;

    progress(`simulating ${SIM_DAYS} days, runDue() every simulated hour`);
    cs.reset();
    schedulerOps.n = 0;
    fired.clear();
    const t0 = Date.parse(START);
    for (let h = 1; h <= SIM_DAYS * 24; h++) {
      clock.set(t0 + h * HOUR);
      await scheduler.runDue();
    }
    const servicesOps = cs.total();
    const watchdogRuns = fired.get('watchdog') ?? 0;
    const allFired = [...fired.values()].reduce((a, b) => a + b, 0);
    const pollOps = schedulerOps.n;
    progress(
      `services ops: ${JSON.stringify(Object.fromEntries(cs.counts))}; timers fired: ${JSON.stringify(Object.fromEntries(fired))}; scheduler polling ops: ${pollOps}`,
    );

    // For scale: a few accounts whose cadence lapses, so one deadline each fires (and its alert is opened and emailed).
    const m = 10;
    for (let i = 0; i < m; i++) {
      await services.accounts.create(workspace.id, {
        name: `Lapsing ${i}`,
        network: 'mastodon',
        handle: `@lapsing${i}`,
        timezone: 'Europe/Paris',
        channel: { type: 'webhook', url: 'https://bench.example/hook' },
        cadence: { slots: [], maxGap: 'P1D', lookahead: 'P7D' },
        alerts: { emails: ['brand@bench.example'] },
      });
    }
    cs.reset();
    fired.clear();
    const schedulerBefore = schedulerOps.n;
    clock.set(clock.now().getTime() + DAY);
    await scheduler.runDue();
    const deadlineRuns = fired.get('watchdog') ?? 0;
    // Everything the step cost, the scheduler's lease, due query, re-arms and deletes included.
    const perDeadline = deadlineRuns ? (cs.total() + schedulerOps.n - schedulerBefore) / deadlineRuns : NaN;
    await scheduler.stop();

    const sweepPerDay = n * 1440;
    const opsPerDay = servicesOps / SIM_DAYS;
    return [
      {
        name: `idle ${n} accounts × ${SIM_DAYS} days: store operations per day`,
        value: opsPerDay,
        unit: 'ops/day',
        baseline: {
          name: 'once-a-minute sweep (one read per account per minute)',
          value: sweepPerDay,
          unit: 'reads/day',
        },
        ratio: opsPerDay / sweepPerDay,
        budget: '= 0',
        ok: opsPerDay === 0,
      },
      {
        name: `idle ${n} accounts × ${SIM_DAYS} days: watchdog invocations`,
        value: watchdogRuns,
        unit: 'invocations',
        baseline: { name: 'once-a-minute sweep', value: SIM_DAYS * 1440, unit: 'invocations' },
        ratio: watchdogRuns / (SIM_DAYS * 1440),
        budget: '= 0',
        ok: watchdogRuns === 0 && allFired === 0,
      },
      {
        name: `idle ${n} accounts: alerts open after setup (all slots filled)`,
        value: openAfterSetup,
        unit: 'alerts',
        budget: '= 0',
        ok: openAfterSetup === 0,
      },
      {
        name: `simulation driver: scheduler polling over ${SIM_DAYS * 24} runDue() calls (not per account; the real loop sleeps)`,
        value: pollOps,
        unit: 'ops',
      },
      {
        name: 'for scale: store operations per watchdog deadline that opens and emails an alert (scheduler bookkeeping included)',
        value: perDeadline,
        unit: 'ops',
        ...(deadlineRuns === m ? {} : { budget: `${m} deadlines fired`, ok: false }),
      },
    ];
  } finally {
    schedulerClient.destroy();
    await cs.close();
  }
}

export const idleBench: Bench = {
  name: 'idle watchdog',
  run({ quick, progress }) {
    return simulate(quick ? 100 : 1000, progress);
  },
};
