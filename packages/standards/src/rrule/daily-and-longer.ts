import { dayOf, zoneTable, type ZoneTable } from '../time/zone-table.js';
import { civilDate, daysInMonth, epochDay, isLeapYear } from '../time/civil.js';
import { firstWeekStart, isoWeekday } from './weeks.js';
import type { CompiledRule } from './compiled-rule.js';
import { ruleSpan, type Expander } from './expander.js';

const DAY = 86_400_000;
const ALL_DAYS = 0b1111_1110;

/** One period of a DAILY, WEEKLY, MONTHLY or YEARLY rule: its days [start, end] and its number counted from the anchor's. */
interface Period {
  start: number;
  end: number;
  index: number;
}

/** What a rule takes from DTSTART when its parts leave a date open. */
interface AnchorParts {
  day: number;
  dow: number;
  year: number;
  month: number;
  dom: number;
}

/**
 * The period of `rule` holding day `d`. A YEARLY rule with BYWEEKNO has its
 * year made of whole weeks (week 1 holds 4 January, weeks start on WKST), so
 * its first and last days may lie in the years either side.
 */
function periodOf(rule: CompiledRule, a: AnchorParts, d: number): Period {
  switch (rule.freq) {
    case 'DAILY':
      return { start: d, end: d, index: d - a.day };
    case 'WEEKLY': {
      const start = d - ((isoWeekday(d) - rule.wkst + 7) % 7);
      const anchorWeek = a.day - ((a.dow - rule.wkst + 7) % 7);
      return { start, end: start + 6, index: (start - anchorWeek) / 7 };
    }
    case 'MONTHLY': {
      const [y, m] = civilDate(d);
      const start = epochDay(y, m, 1);
      return { start, end: start + daysInMonth(y, m) - 1, index: (y - a.year) * 12 + m - a.month };
    }
    default: {
      let [y] = civilDate(d);
      if (rule.weekNos === null) return { start: epochDay(y, 1, 1), end: epochDay(y, 12, 31), index: y - a.year };
      if (d < firstWeekStart(y, rule.wkst)) y--;
      else if (d >= firstWeekStart(y + 1, rule.wkst)) y++;
      return { start: firstWeekStart(y, rule.wkst), end: firstWeekStart(y + 1, rule.wkst) - 1, index: y - a.year };
    }
  }
}

/** Where `n` (negative: counted from the end) falls among `size` positions 1…size. */
function at(n: number, size: number): number {
  return n > 0 ? n : size + 1 + n;
}

/**
 * Whether the rule's date parts pick day `d` of period `p`: BYMONTH,
 * BYWEEKNO, BYYEARDAY, BYMONTHDAY and BYDAY each limit or expand as RFC
 * 5545's table says, which for one day comes to all of them holding; without
 * any, the day is DTSTART's weekday (WEEKLY, BYWEEKNO), day of month
 * (MONTHLY) or day of year (YEARLY, in each BYMONTH month if given).
 */
function picks(rule: CompiledRule, a: AnchorParts, p: Period, d: number): boolean {
  const [y, m, dom] = civilDate(d);
  if (rule.months !== null && !(rule.months & (1 << m))) return false;
  if (rule.weekNos !== null) {
    const n = Math.floor((d - p.start) / 7) + 1;
    const weeks = (p.end + 1 - p.start) / 7;
    if (!rule.weekNos.some((w) => at(w, weeks) === n)) return false;
  }
  let doy = 0;
  let diy = 0;
  if (rule.yearDays !== null || rule.nthInYear) {
    doy = d - epochDay(y, 1, 1) + 1;
    diy = isLeapYear(y) ? 366 : 365;
    if (rule.yearDays !== null && !rule.yearDays.some((n) => at(n, diy) === doy)) return false;
  }
  const dim = daysInMonth(y, m);
  if (rule.monthDays !== null && !rule.monthDays.some((n) => at(n, dim) === dom)) return false;
  const dow = isoWeekday(d);
  if (rule.days !== null) {
    if (rule.days & (1 << dow)) return true;
    // An ordinal weekday: the nth (from the start) or -nth (from the end) of its month, or of its year.
    const [pos, size] = rule.nthInYear ? [doy, diy] : [dom, dim];
    return rule.nth.some(
      ([n, w]) => w === dow && (n > 0 ? Math.ceil(pos / 7) === n : Math.floor((size - pos) / 7) + 1 === -n),
    );
  }
  if (rule.freq === 'WEEKLY' || rule.weekNos !== null) return dow === a.dow;
  if (rule.monthDays !== null || rule.yearDays !== null || rule.freq === 'DAILY') return true;
  return dom === a.dom && (rule.freq === 'MONTHLY' || rule.months !== null || m === a.month);
}

/**
 * Appends to `out` the occurrences of a DAILY, WEEKLY, MONTHLY or YEARLY rule
 * in [fromMs, toMs), ascending, at most `limit` of them. The same rule as RFC
 * 5545 with DTSTART at the anchor: a period (day, week starting on WKST,
 * month or year) counts when INTERVAL divides its distance from the
 * anchor's; its days are those its date parts pick (picks), and each BYHOUR ×
 * BYMINUTE × BYSECOND wall time of a day is one slot, skipped when it falls
 * in a DST gap and taken at its first occurrence when repeated. BYSETPOS
 * picks among the period's set of slots (gap times left out), counting from
 * its start or, when negative, its end; only the slots it can reach are
 * read (walkSlots), never the whole set, which may hold half a million.
 */
export const expandDailyAndLonger: Expander = (rule, zone, anchor, fromMs, toMs, limit, out) => {
  const span = ruleSpan(rule, anchor, fromMs, toMs);
  if (!span) return;
  const [lo, hi] = span;
  const [year, month, dom] = civilDate(anchor.day);
  const a: AnchorParts = { day: anchor.day, dow: isoWeekday(anchor.day), year, month, dom };
  // Wall days that may hold an instant of [lo, hi): offsets are within ±1 day.
  let table = zoneTable(zone, lo, hi);
  const first = Math.max(anchor.day, dayOf(table.wallOf(lo)) - 1);
  const last = dayOf(table.wallOf(hi - 1)) + 1;
  const { interval, times, setPos } = rule;
  // When only weekdays decide (the common DAILY and WEEKLY rules), a mask of them does.
  const plain =
    rule.months === null &&
    rule.weekNos === null &&
    rule.yearDays === null &&
    rule.monthDays === null &&
    rule.nth.length === 0;
  const quickDays = !plain
    ? 0
    : rule.days !== null
      ? rule.days
      : rule.freq === 'DAILY'
        ? ALL_DAYS
        : rule.freq === 'WEEKLY'
          ? 1 << a.dow
          : 0;
  const reach = setPos ? setPosReach(setPos) : null;
  const front: number[] = [];
  const back: number[] = [];
  for (let p = periodOf(rule, a, first); p.start <= last; p = periodOf(rule, a, p.end + 1)) {
    // (A BYWEEKNO year before the anchor's calendar year is not the rule's.)
    if (p.index < 0 || p.index % interval !== 0) continue;
    if (reach) {
      // Only the slots BYSETPOS can reach: the first and last few of the period, read with offsets covering it.
      table = zoneTable(zone, p.start * DAY - DAY, (p.end + 2) * DAY);
      const isDay = (d: number) => (quickDays ? (quickDays & (1 << isoWeekday(d))) !== 0 : picks(rule, a, p, d));
      walkSlots(table, times, p.start, p.end, 1, reach.first, isDay, front);
      walkSlots(table, times, p.end, p.start, -1, reach.last, isDay, back);
      if (pickSetPos(setPos!, front, back, lo, hi, limit, out)) return;
      continue;
    }
    const end = Math.min(p.end, last);
    for (let d = Math.max(p.start, first); d <= end; d++) {
      if (quickDays ? !(quickDays & (1 << isoWeekday(d))) : !picks(rule, a, p, d)) continue;
      const midnight = d * DAY;
      for (let i = 0; i < times.length; i++) {
        const e = table.instantOf(midnight + times[i]!, 'skip');
        if (Number.isNaN(e) || e < lo || e >= hi) continue;
        out.push(e);
        if (out.length >= limit) return;
      }
    }
  }
};

/** How many slots BYSETPOS reaches from a period's start (its largest position) and from its end (its most negative one). */
export function setPosReach(setPos: number[]): { first: number; last: number } {
  let first = 0;
  let last = 0;
  for (const n of setPos) {
    if (n > 0) first = Math.max(first, n);
    else last = Math.max(last, -n);
  }
  return { first, last };
}

/**
 * Sets `into` to the first `count` slots (gap times left out) of the days
 * from `from` to `to` that `isDay` keeps, walking by `dir` (+1 forward from
 * the period's start, -1 backward from its end, then the slots come latest
 * first). The work is bounded by `count`, not by the size of the period's set.
 */
function walkSlots(
  table: ZoneTable,
  times: number[],
  from: number,
  to: number,
  dir: 1 | -1,
  count: number,
  isDay: (d: number) => boolean,
  into: number[],
): void {
  into.length = 0;
  if (count === 0) return;
  for (let d = from; dir > 0 ? d <= to : d >= to; d += dir) {
    if (!isDay(d)) continue;
    const midnight = d * DAY;
    for (let i = dir > 0 ? 0 : times.length - 1; i >= 0 && i < times.length; i += dir) {
      const e = table.instantOf(midnight + times[i]!, 'skip');
      if (Number.isNaN(e)) continue;
      into.push(e);
      if (into.length >= count) return;
    }
  }
}

/**
 * Appends the slots BYSETPOS picks from a period's set that lie in [lo, hi),
 * ascending and distinct; true when `out` has reached `limit`. `front` holds
 * the set's first slots ascending and `back` its last ones, latest first (as
 * many as setPosReach says, or all there are: then each holds the whole set),
 * so position n is front[n - 1] and position -n is back[n - 1].
 */
export function pickSetPos(
  setPos: number[],
  front: number[],
  back: number[],
  lo: number,
  hi: number,
  limit: number,
  out: number[],
): boolean {
  const chosen = new Set<number>();
  for (const n of setPos) {
    const e = n > 0 ? front[n - 1] : back[-n - 1];
    if (e !== undefined && e >= lo && e < hi) chosen.add(e);
  }
  for (const e of [...chosen].sort((x, y) => x - y)) {
    out.push(e);
    if (out.length >= limit) return true;
  }
  return false;
}
