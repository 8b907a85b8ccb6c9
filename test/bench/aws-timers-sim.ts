/**
 * How late a post leaves on AWS, by design (issue 19): a simulation, not a
 * measurement (nothing here can reach AWS). It drives drumbeat's real arming
 * and relay code (`EventBridgeScheduler`, `SqsTimerQueue`,
 * `handleTimerEvent`) on a manual clock, with in-memory SDK clients that
 * record the commands, and models the services by their documented
 * behaviour:
 *
 * - EventBridge Scheduler invokes a one-time `at()` schedule at a uniformly
 *   random instant in the minute after it (it promises the minute), and a
 *   timer less than a minute ahead is armed a minute out (an `at()` in the
 *   past is refused); then Lambda's asynchronous invocation adds 50–500 ms;
 * - SQS makes a message visible `DelaySeconds` after it received it; Lambda's
 *   event source mapping (long polling) hands it over 20–300 ms later;
 * - a cold start (1% of invocations) adds 0.4–1.2 s.
 *
 * 10,000 timers: 80% planned hours to a week ahead, 10% 2 to 10 minutes
 * ahead, 10% in the last two minutes (a post written 20 s before its time).
 * Due times are on whole minutes, as posts are. Reported: lateness p50, p99
 * and max for today's design (EventBridge at the instant) and the new one
 * (75 s early, then an SQS delay), side by side, from the same timers and
 * the same random draws.
 *
 * Also issue 22's "one ledger writer per workspace": a same-minute burst of
 * 50 posts of one workspace through the publish queue (batches of 10, at
 * most as many concurrent invocations as publish reserves), channel calls
 * in parallel, ledger appends one at a time; reported: when the last post
 * left and when its ledger entry was written.
 *
 * `npm run bench -- --only=aws-timers` runs it alone (about a second).
 */
import type { SchedulerClient } from '@aws-sdk/client-scheduler';
import type { SQSClient } from '@aws-sdk/client-sqs';
import { EventBridgeScheduler, handleTimerEvent, SqsTimerQueue } from '@drumbeat/aws';
import { ManualClock, timerName, type TimerPayload } from '@drumbeat/core';
import type { Bench, Figure } from './figure.js';

const MINUTE = 60_000;

/** A seeded generator (mulberry32), so a run is reproducible. */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const between = (rnd: () => number, lo: number, hi: number) => lo + (hi - lo) * rnd();

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;
}

/** What the in-memory SDK clients saw: the last schedule created and the last message sent. */
interface Seen {
  schedule?: { at: number; input: string };
  message?: { body: string; delaySeconds: number; at: number };
}

/** A Scheduler client that records CreateSchedule and answers the rest as an empty group would. */
function schedulerClient(seen: Seen): SchedulerClient {
  return {
    send: async (command: { constructor: { name: string }; input: Record<string, unknown> }) => {
      if (command.constructor.name === 'CreateScheduleCommand') {
        const expr = /^at\((.+)\)$/.exec(String(command.input.ScheduleExpression))![1]!;
        seen.schedule = {
          at: Date.parse(`${expr}Z`),
          input: String((command.input.Target as { Input: string }).Input),
        };
        return {};
      }
      if (command.constructor.name === 'ListSchedulesCommand') return { Schedules: [] };
      return {};
    },
  } as unknown as SchedulerClient;
}

/** An SQS client that records SendMessage at the clock's instant. */
function sqsClient(seen: Seen, clock: ManualClock): SQSClient {
  return {
    send: async (command: { input: { MessageBody: string; DelaySeconds: number } }) => {
      seen.message = {
        body: command.input.MessageBody,
        delaySeconds: command.input.DelaySeconds,
        at: clock.now().getTime(),
      };
      return { MessageId: 'm', MD5OfMessageBody: '' };
    },
  } as unknown as SQSClient;
}

/** The model of the services' latencies (see the module comment). */
function latencies(rnd: () => number) {
  const cold = () => (rnd() < 0.01 ? between(rnd, 400, 1200) : 0);
  return {
    /** EventBridge's invocation of a schedule armed at `at`: in the minute after it, then Lambda's async hand-over. */
    eventBridge: (at: number) => at + between(rnd, 0, MINUTE) + between(rnd, 50, 500) + cold(),
    /** From a message becoming visible to the function running with it. */
    sqsPoll: () => between(rnd, 20, 300) + cold(),
    /** One SendMessage round trip. */
    send: () => between(rnd, 5, 40),
  };
}

/** Lateness in ms of 10,000 timers under both designs. */
export async function simulateTimers(
  n = 10_000,
  seed = 19,
): Promise<{ old: number[]; precise: number[]; lastMinuteOld: number[]; lastMinutePrecise: number[] }> {
  const rnd = random(seed);
  const clock = new ManualClock('2027-03-01T00:00:00Z');
  const seenOld: Seen = {};
  const seenNew: Seen = {};
  const common = {
    groupName: 'sim',
    roleArn: 'arn:aws:iam::1:role/sim',
    targets: { publish: 'p', watchdog: 'w', deliver: 'd' },
    clock,
  };
  const old = new EventBridgeScheduler({ ...common, client: schedulerClient(seenOld) });
  const queue = new SqsTimerQueue({
    client: sqsClient(seenNew, clock),
    queues: { publish: 'https://sqs.sim/1/publish' },
    clock,
  });
  const precise = new EventBridgeScheduler({ ...common, client: schedulerClient(seenNew), precise: { queue } });
  const lat = latencies(rnd);
  const out = {
    old: [] as number[],
    precise: [] as number[],
    lastMinuteOld: [] as number[],
    lastMinutePrecise: [] as number[],
  };
  const base = clock.now().getTime();
  for (let i = 0; i < n; i++) {
    const kind = rnd();
    const ahead =
      kind < 0.8
        ? between(rnd, 3600_000, 7 * 24 * 3600_000)
        : kind < 0.9
          ? between(rnd, 2 * MINUTE, 10 * MINUTE)
          : between(rnd, 0, 2 * MINUTE);
    const created = base + Math.floor(between(rnd, 0, 30 * 24 * 3600_000));
    const due = Math.ceil((created + ahead) / MINUTE) * MINUTE;
    const payload: TimerPayload = { kind: 'publish', workspaceId: 'ws_sim', postId: `pst_${i}` };
    const timer = { name: timerName(payload), at: new Date(due), payload };

    // Today: EventBridge at the instant (or a minute out), the function publishes when invoked.
    clock.set(created);
    seenOld.schedule = undefined;
    await old.schedule(timer);
    const oldLate = lat.eventBridge(seenOld.schedule!.at) - due;

    // New: armed 75 s early and relayed, or queued at once when too close.
    clock.set(created);
    seenNew.schedule = undefined;
    seenNew.message = undefined;
    await precise.schedule(timer);
    const armed = seenNew.schedule as Seen['schedule'];
    if (armed) {
      clock.set(lat.eventBridge(armed.at));
      await handleTimerEvent(JSON.parse(armed.input), {
        kind: 'publish',
        queue,
        clock,
        sleep: async (ms) => clock.advance(ms),
        run: async () => undefined,
      });
    }
    const sent = seenNew.message!;
    const visible = sent.at + lat.send() + sent.delaySeconds * 1000;
    clock.set(visible + lat.sqsPoll());
    let ranAt = Number.NaN;
    await handleTimerEvent(
      { Records: [{ messageId: 'm', body: sent.body, eventSource: 'aws:sqs' }] },
      {
        kind: 'publish',
        queue,
        clock,
        sleep: async (ms) => clock.advance(ms),
        run: async () => void (ranAt = clock.now().getTime()),
      },
    );
    const newLate = ranAt - due;
    out.old.push(oldLate);
    out.precise.push(newLate);
    if (ahead < 2 * MINUTE) {
      out.lastMinuteOld.push(oldLate);
      out.lastMinutePrecise.push(newLate);
    }
  }
  return out;
}

/**
 * A same-minute burst of `posts` posts of one workspace on the publish queue:
 * the event source mapping hands batches of `batchSize` to at most
 * `concurrency` invocations at once, each runs its records side by side
 * (channel call `channelMs`), and the workspace's ledger takes one append at
 * a time (`appendMs` each). Returns when the last post left and when the last
 * ledger entry was written, in ms after the posts' instant.
 */
export function simulateBurst(opts: {
  posts: number;
  batchSize: number;
  concurrency: number;
  channelMs: number;
  appendMs: number;
  pollMs: number;
}): { lastLeft: number; lastRecorded: number } {
  const batches: number[] = [];
  for (let left = opts.posts; left > 0; left -= opts.batchSize) batches.push(Math.min(opts.batchSize, left));
  const free: number[] = Array.from({ length: opts.concurrency }, () => opts.pollMs);
  let ledgerFree = 0;
  let lastLeft = 0;
  let lastRecorded = 0;
  for (const size of batches) {
    free.sort((a, b) => a - b);
    const start = free.shift()!;
    // Every record's channel call starts at once; their appends queue on the one writer as they come back.
    const back = Array.from({ length: size }, () => start + opts.channelMs);
    let end = start;
    for (const b of back) {
      lastLeft = Math.max(lastLeft, start);
      const at = Math.max(b, ledgerFree);
      ledgerFree = at + opts.appendMs;
      lastRecorded = Math.max(lastRecorded, ledgerFree);
      end = Math.max(end, ledgerFree);
    }
    // The invocation ends when its last record is recorded; its slot then takes the next batch.
    free.push(end + opts.pollMs);
  }
  return { lastLeft, lastRecorded };
}

export const awsTimersBench: Bench = {
  name: 'aws-timers',
  async run({ quick, progress }) {
    const n = quick ? 2000 : 10_000;
    const started = Date.now();
    const r = await simulateTimers(n);
    progress(`${n} timers simulated in ${Date.now() - started} ms`);
    const s = (xs: number[]) => [...xs].sort((a, b) => a - b);
    const old = s(r.old);
    const neu = s(r.precise);
    const figures: Figure[] = [];
    for (const p of [50, 99] as const) {
      const o = percentile(old, p) / 1000;
      const v = percentile(neu, p) / 1000;
      figures.push({
        name: `aws timers (simulated, ${n}): lateness p${p}, fire early + SQS delay`,
        value: v,
        unit: 's',
        baseline: { name: 'EventBridge at the instant (today)', value: o, unit: 's' },
        ratio: v / o,
        ...(p === 99 ? { budget: 'p99 < 2 s (DESIGN.md)', ok: v < 2 } : {}),
      });
    }
    figures.push({
      name: `aws timers (simulated): lateness max, fire early + SQS delay`,
      value: neu[neu.length - 1]! / 1000,
      unit: 's',
      baseline: { name: 'today', value: old[old.length - 1]! / 1000, unit: 's' },
    });
    const lo = s(r.lastMinuteOld);
    const ln = s(r.lastMinutePrecise);
    figures.push({
      name: `aws timers (simulated): p99, the ${ln.length} created < 2 min before their time`,
      value: percentile(ln, 99) / 1000,
      unit: 's',
      baseline: { name: 'today', value: percentile(lo, 99) / 1000, unit: 's' },
    });
    // Issue 22: one ledger writer per workspace, a burst of 50 in one minute, publish reserving 10.
    const burst = { posts: 50, channelMs: 300, appendMs: 25, pollMs: 150 };
    const batched = simulateBurst({ ...burst, batchSize: 10, concurrency: 10 });
    const single = simulateBurst({ ...burst, batchSize: 1, concurrency: 10 });
    figures.push({
      name: 'aws burst (simulated): 50 posts of one workspace, last post left (batches of 10, 10 reserved)',
      value: batched.lastLeft / 1000,
      unit: 's',
      baseline: { name: 'batch size 1', value: single.lastLeft / 1000, unit: 's' },
    });
    figures.push({
      name: 'aws burst (simulated): 50 posts, last ledger entry written (one writer, 25 ms an append)',
      value: batched.lastRecorded / 1000,
      unit: 's',
      baseline: { name: 'batch size 1', value: single.lastRecorded / 1000, unit: 's' },
    });
    return figures;
  },
};
