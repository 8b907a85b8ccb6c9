/**
 * Cadence engine budget (DESIGN.md "Budgets"): slots and gaps for 10,000
 * accounts × 30 days in under one second of one core.
 *
 * Accounts get varied rules (daily at one or several hours, weekly with BYDAY
 * lists, fortnightly, monthly "first Monday" or "last weekday", 1% hourly or
 * yearly, and 0.25% ISO-week rules, BYWEEKNO) and varied zones (northern and southern DST, half- and
 * three-quarter-hour offsets, no DST). For each account the timed loop
 * computes slotsBetween, emptySlots against its posts, and findLapses over the
 * same 30 days. The first pass starts with cold caches (every rule parsed, every
 * zone's offsets read); the budget applies to it. Warm passes are reported too.
 */
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { Temporal } from 'temporal-polyfill';
import { emptySlots, findLapses, slotsBetween, type CadenceSpec } from '../../packages/core/src/cadence/index.js';
import type { Bench, Figure } from './figure.js';

const ZONES = [
  'America/New_York',
  'America/Los_Angeles',
  'America/Sao_Paulo',
  'America/Santiago',
  'America/St_Johns',
  'Europe/Paris',
  'Europe/London',
  'Africa/Johannesburg',
  'Asia/Kolkata',
  'Asia/Tokyo',
  'Australia/Sydney',
  'Australia/Lord_Howe',
  'Pacific/Auckland',
  'Pacific/Chatham',
  'UTC',
];
const DAYS = ['MO', 'TU', 'WE', 'TH', 'FR', 'SA', 'SU'];
const DAY = 86_400_000;
const FROM = Date.UTC(2026, 2, 1); // 1 March 2026: the window spans the northern spring change
const TO = FROM + 30 * DAY;

/** A small deterministic PRNG (mulberry32), so every run measures the same accounts. */
function prng(seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

interface Account {
  spec: CadenceSpec;
  posts: Date[];
}

export function makeAccounts(n: number): Account[] {
  const rnd = prng(20_260_301);
  const pick = <T>(xs: T[]) => xs[Math.floor(rnd() * xs.length)]!;
  const hour = () => 6 + Math.floor(rnd() * 15);
  const minute = () => pick([0, 0, 15, 30, 45]);
  const days = () => DAYS.filter(() => rnd() < 0.45).join(',') || pick(DAYS);
  const accounts: Account[] = [];
  const offsets: Record<string, number> = {};
  for (let i = 0; i < n; i++) {
    const timezone = pick(ZONES);
    const slots: string[] = [];
    const count = 1 + Math.floor(rnd() * 3);
    for (let r = 0; r < count; r++) {
      const kind = rnd();
      if (kind < 0.3) slots.push(`FREQ=DAILY;BYHOUR=${hour()};BYMINUTE=${minute()}`);
      else if (kind < 0.45) slots.push(`FREQ=DAILY;BYHOUR=${hour()},${hour()}`);
      else if (kind < 0.8) slots.push(`FREQ=WEEKLY;BYDAY=${days()};BYHOUR=${hour()};BYMINUTE=${minute()}`);
      else if (kind < 0.95) slots.push(`FREQ=WEEKLY;INTERVAL=2;BYDAY=${days()};BYHOUR=${hour()}`);
      else if (kind < 0.98) slots.push(`FREQ=MONTHLY;BYDAY=${pick(['1', '2', '-1'])}${pick(DAYS)};BYHOUR=${hour()}`);
      else if (kind < 0.99)
        slots.push(`FREQ=MONTHLY;BYDAY=MO,TU,WE,TH,FR;BYSETPOS=-1;BYHOUR=${hour()}`); // last weekday of the month
      // Every 8 hours (periods in elapsed time, across DST changes), a yearly date,
      // and the Monday of an ISO week (BYWEEKNO).
      else if (kind < 0.995) slots.push(`FREQ=HOURLY;INTERVAL=8;BYMINUTE=${minute()}`);
      else if (kind < 0.9975)
        slots.push(`FREQ=YEARLY;BYMONTH=3;BYMONTHDAY=${1 + Math.floor(rnd() * 28)};BYHOUR=${hour()}`);
      else slots.push(`FREQ=YEARLY;BYWEEKNO=${10 + Math.floor(rnd() * 4)};BYDAY=MO;BYHOUR=${hour()}`);
    }
    // Posts on about half the days, at the first rule's hour read with the zone's
    // offset on 1 March: most land on a slot, some (after a DST change) do not.
    const offset = (offsets[timezone] ??=
      Temporal.Instant.fromEpochMilliseconds(FROM).toZonedDateTimeISO(timezone).offsetNanoseconds / 1e6);
    const h = Number(/BYHOUR=(\d+)/.exec(slots[0]!)?.[1] ?? 12);
    const m = Number(/BYMINUTE=(\d+)/.exec(slots[0]!)?.[1] ?? 0);
    const posts: Date[] = [];
    for (let d = 0; d < 30; d++) if (rnd() < 0.5) posts.push(new Date(FROM + d * DAY + (h * 60 + m) * 60_000 - offset));
    accounts.push({ spec: { slots, timezone }, posts });
  }
  return accounts;
}

/** A full garbage collection, so the setup's garbage is not collected (and timed) inside a pass. */
function collectGarbage(): void {
  setFlagsFromString('--expose-gc');
  (runInNewContext('gc') as () => void)();
}

/** One pass over every account; returns ms and a checksum so no work can be skipped. */
export function pass(accounts: Account[]): { ms: number; cpuMs: number; slots: number; empty: number; lapses: number } {
  const from = new Date(FROM);
  const to = new Date(TO);
  let slots = 0;
  let empty = 0;
  let lapses = 0;
  collectGarbage();
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  for (const a of accounts) {
    const s = slotsBetween(a.spec, from, to);
    slots += s.length;
    empty += emptySlots(s, a.posts).length;
    lapses += findLapses({ maxGap: 'P2D' }, from, to, a.posts, from).length;
  }
  const ms = performance.now() - t0;
  const cpu = process.cpuUsage(cpu0);
  return { ms, cpuMs: (cpu.user + cpu.system) / 1000, slots, empty, lapses };
}

/** The floor measured in the same run: building as many Date arrays as a pass returns, and nothing else. */
function floorMs(accounts: number, slots: number): number {
  const per = Math.round(slots / accounts);
  let sink = 0;
  collectGarbage();
  const t0 = performance.now();
  for (let a = 0; a < accounts; a++) {
    const out: Date[] = [];
    for (let i = 0; i < per; i++) out.push(new Date(FROM + (a + i) * 60_000));
    sink += out.length;
  }
  if (sink !== per * accounts) throw new Error('cadence bench: floor miscounted');
  return performance.now() - t0;
}

export const cadenceBench: Bench = {
  name: 'cadence',
  async run({ quick, progress }) {
    const n = quick ? 1_000 : 10_000;
    const accounts = makeAccounts(n);
    const cold = pass(accounts);
    progress(`${n} accounts, ${ZONES.length} zones`);
    progress(
      `cold pass: ${cold.ms.toFixed(0)} ms (${cold.cpuMs.toFixed(0)} ms CPU), ${cold.slots} slots, ${cold.empty} empty, ${cold.lapses} lapses`,
    );
    const warm = [pass(accounts), pass(accounts), pass(accounts)].sort((a, b) => a.ms - b.ms)[1]!;
    if (warm.slots !== cold.slots || warm.empty !== cold.empty) throw new Error('cadence bench: passes disagree');
    progress(`warm pass (median of 3): ${warm.ms.toFixed(0)} ms`);
    const floor = [floorMs(n, cold.slots), floorMs(n, cold.slots), floorMs(n, cold.slots)].sort((a, b) => a - b)[1]!;
    // The budget is for 10,000 accounts; a quick run only checks the bench works.
    const budgetMs = 1000;
    const label = `${n.toLocaleString('en-US')} accounts × 30 days`;
    const figures: Figure[] = [
      {
        name: `cadence: slots + empty slots + lapses, ${label}, cold caches`,
        value: cold.ms,
        unit: 'ms',
        budget: `< ${budgetMs} ms`,
        ratio: cold.ms / budgetMs,
        ok: cold.ms < budgetMs,
      },
      { name: `cadence: accounts per second, cold caches`, value: (n / cold.ms) * 1000, unit: 'accounts/s' },
      // Process CPU time (all threads, so V8's GC helpers too): what the pass costs when other work shares the cores.
      { name: `cadence: CPU time of the cold pass`, value: cold.cpuMs, unit: 'ms' },
      {
        name: `cadence: slots + empty slots + lapses, ${label}, warm caches`,
        value: warm.ms,
        unit: 'ms',
        // How loaded the machine is shows in the floor: the same number of Dates, only allocated.
        baseline: { name: 'allocating the slots as Dates, nothing else', value: floor, unit: 'ms' },
        ratio: warm.ms / floor,
        budget: `< ${budgetMs} ms`,
        ok: warm.ms < budgetMs,
      },
      { name: `cadence: accounts per second, warm caches`, value: (n / warm.ms) * 1000, unit: 'accounts/s' },
      { name: `cadence: slots computed per pass`, value: cold.slots, unit: 'slots' },
    ];
    return figures;
  },
};
