import { zoneTable, type ZoneTable } from '../time/zone-table.js';
import { civilDate, daysInMonth, epochDay, isLeapYear } from '../time/civil.js';
import { isoWeekday } from './weeks.js';
import { ruleSpan, type Expander } from './expander.js';
import { pickSetPos, setPosReach } from './daily-and-longer.js';
import type { CompiledRule } from './compiled-rule.js';

const MINUTE = 60_000;
const HOUR = 3_600_000;
const DAY = 86_400_000;
/** More than any offset change moves a wall time against its instant. */
const SHIFT = 3 * HOUR;

/**
 * Appends to `out` the occurrences of an HOURLY or MINUTELY rule in
 * [fromMs, toMs), ascending and distinct, at most `limit`. Periods are
 * counted in wall-clock time, as RFC 5545 computes recurrences in local time
 * (and python-dateutil and libical do): every INTERVAL hours (minutes) on the
 * clock from DTSTART, local midnight of the anchor, whatever offset changes
 * lie between, so "every two hours" stays on the even hours all year. A
 * period is read by its wall-clock hour (minute): BYMONTH, BYYEARDAY,
 * BYMONTHDAY, BYDAY, BYHOUR (and BYMINUTE for MINUTELY) keep or drop it;
 * BYMINUTE/BYSECOND (BYSECOND) expand it into wall times, each skipped when
 * it does not exist (a spring-forward gap) and taken at its first occurrence
 * when repeated (a fall-back), as for every other frequency; BYSETPOS picks
 * among a period's slots. Wall times map to instants in order, so the slots
 * come out ascending and distinct.
 */
export const expandSubDaily: Expander = (rule, zone, anchor, fromMs, toMs, limit, out) => {
  const span = ruleSpan(rule, anchor, fromMs, toMs);
  if (!span) return;
  const [lo, hi] = span;
  const unit = rule.freq === 'HOURLY' ? HOUR : MINUTE;
  const step = unit * rule.interval;
  const table = zoneTable(zone, lo - SHIFT - DAY, hi + SHIFT + DAY);
  // DTSTART's wall time, and the wall times whose periods may hold a slot of [lo, hi): a slot's wall
  // time is within an offset change of its instant's, and within a unit of its period's start.
  const origin = anchor.day * DAY;
  const wallFrom = table.wallOf(lo) - SHIFT - unit;
  const wallTo = table.wallOf(hi - 1) + SHIFT;
  const set: number[] = [];
  const back: number[] = [];
  const picked: number[] = [];
  const reachPos = rule.setPos ? setPosReach(rule.setPos) : null;
  const hits = keptDistances(rule);
  let day = NaN;
  let dayKept = false;
  for (let k = Math.max(0, Math.ceil((wallFrom - origin) / step)); ; k++) {
    const wall = origin + k * step;
    if (wall > wallTo) return;
    if (Math.floor(wall / DAY) !== day) {
      day = Math.floor(wall / DAY);
      dayKept = keepsDay(rule, day);
    }
    if (!dayKept) {
      // On to the first period of the next wall day.
      k = Math.max(k, Math.ceil(((day + 1) * DAY - origin) / step) - 1);
      continue;
    }
    if (!keepsTime(rule, wall)) {
      // On to the next period BYHOUR/BYMINUTE keep: its distance in steps is known from the wall time of day.
      const d = hits[Math.floor((((wall % DAY) + DAY) % DAY) / unit)]!;
      if (d === Infinity) return;
      k += d - 1;
      continue;
    }
    if (rule.setPos) {
      walkOffsets(table, wall, rule.offsets, 1, reachPos!.first, set);
      walkOffsets(table, wall, rule.offsets, -1, reachPos!.last, back);
      picked.length = 0;
      pickSetPos(rule.setPos, set, back, -Infinity, Infinity, Infinity, picked);
    } else walkOffsets(table, wall, rule.offsets, 1, Infinity, picked);
    for (const e of picked) {
      if (e < lo || e >= hi) continue;
      out.push(e);
      if (out.length >= limit) return;
    }
  }
};

/**
 * Sets `into` to the first `count` slots (gap times left out) of the period
 * whose wall hour (minute) starts at `wall`: its wall times `wall + offsets`,
 * forward (`dir` +1, ascending) or backward (-1, latest first).
 */
function walkOffsets(
  table: ZoneTable,
  wall: number,
  offsets: number[],
  dir: 1 | -1,
  count: number,
  into: number[],
): void {
  into.length = 0;
  for (let i = dir > 0 ? 0 : offsets.length - 1; into.length < count && i >= 0 && i < offsets.length; i += dir) {
    const e = table.instantOf(wall + offsets[i]!, 'skip');
    if (!Number.isNaN(e)) into.push(e);
  }
}

const distances = new WeakMap<CompiledRule, number[]>();

/**
 * For each wall hour (HOURLY) or minute (MINUTELY) of the day, the number of
 * steps of INTERVAL units after which BYHOUR (and BYMINUTE) first keep a
 * period: 0 when they keep it, Infinity when no step ever comes to a kept one
 * (the units reachable by steps of INTERVAL form cycles of the day's units).
 */
function keptDistances(rule: CompiledRule): number[] {
  let dist = distances.get(rule);
  if (dist) return dist;
  const unit = rule.freq === 'HOURLY' ? HOUR : MINUTE;
  const size = DAY / unit;
  const stride = rule.interval % size;
  dist = new Array<number>(size).fill(-1);
  for (let u0 = 0; u0 < size; u0++) {
    if (dist[u0] !== -1) continue;
    const cycle: number[] = [];
    for (let u = u0; cycle.length === 0 || u !== u0; u = (u + stride) % size) cycle.push(u);
    // Twice round the cycle, backwards: each unit's distance is its successor's plus one.
    let next = Infinity;
    for (let i = 2 * cycle.length - 1; i >= 0; i--) {
      const u = cycle[i % cycle.length]!;
      next = keepsTime(rule, u * unit) ? 0 : next + 1;
      dist[u] = next;
    }
  }
  distances.set(rule, dist);
  return dist;
}

/** Whether BYHOUR (and for MINUTELY BYMINUTE) keep the period whose wall-clock hour (minute) starts at `wall`. */
function keepsTime(rule: CompiledRule, wall: number): boolean {
  const tod = ((wall % DAY) + DAY) % DAY;
  if (rule.hourOk && !rule.hourOk[Math.floor(tod / HOUR)]) return false;
  return !rule.minuteOk || rule.minuteOk[Math.floor((tod % HOUR) / MINUTE)]!;
}

/** Whether BYMONTH, BYYEARDAY, BYMONTHDAY and BYDAY keep the periods of wall day `day`. */
function keepsDay(rule: CompiledRule, day: number): boolean {
  if (rule.days !== null && !(rule.days & (1 << isoWeekday(day)))) return false;
  if (rule.months === null && rule.monthDays === null && rule.yearDays === null) return true;
  const [y, m, dom] = civilDate(day);
  if (rule.months !== null && !(rule.months & (1 << m))) return false;
  if (rule.monthDays !== null) {
    const dim = daysInMonth(y, m);
    if (!rule.monthDays.some((n) => (n > 0 ? n === dom : dim + 1 + n === dom))) return false;
  }
  if (rule.yearDays !== null) {
    const doy = day - epochDay(y, 1, 1) + 1;
    const diy = isLeapYear(y) ? 366 : 365;
    if (!rule.yearDays.some((n) => (n > 0 ? n === doy : diy + 1 + n === doy))) return false;
  }
  return true;
}
