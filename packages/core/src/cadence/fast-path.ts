import { dayOf, zoneTable } from '../time/zone-table.js';
import { civil, daysInMonth, epochDay, firstWeekStart, isLeap, isoWeekday } from './calendar.js';
import type { FastRule } from './fast-rule.js';

const DAY = 86_400_000;
const ALL_DAYS = 0b1111_1110;

/** Where a rule starts: the anchor's epoch day number and the instant its day begins (DTSTART). */
export interface AnchorPoint {
  day: number;
  ms: number;
}

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
function periodOf(rule: FastRule, a: AnchorParts, d: number): Period {
  switch (rule.freq) {
    case 'DAILY':
      return { start: d, end: d, index: d - a.day };
    case 'WEEKLY': {
      const start = d - ((isoWeekday(d) - rule.wkst + 7) % 7);
      const anchorWeek = a.day - ((a.dow - rule.wkst + 7) % 7);
      return { start, end: start + 6, index: (start - anchorWeek) / 7 };
    }
    case 'MONTHLY': {
      const [y, m] = civil(d);
      const start = epochDay(y, m, 1);
      return { start, end: start + daysInMonth(y, m) - 1, index: (y - a.year) * 12 + m - a.month };
    }
    default: {
      let [y] = civil(d);
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
function picks(rule: FastRule, a: AnchorParts, p: Period, d: number): boolean {
  const [y, m, dom] = civil(d);
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
    diy = isLeap(y) ? 366 : 365;
    if (rule.yearDays !== null && !rule.yearDays.some((n) => at(n, diy) === doy)) return false;
  }
  const dim = daysInMonth(y, m);
  if (rule.monthDays !== null && !rule.monthDays.some((n) => at(n, dim) === dom)) return false;
  const dow = isoWeekday(d);
  if (rule.days !== null) {
    if (rule.days & (1 << dow)) return true;
    // An ordinal weekday: the nth (from the start) or -nth (from the end) of its month, or of its year.
    const [pos, size] = rule.nthInYear ? [doy, diy] : [dom, dim];
    return rule.nth.some(([n, w]) => w === dow && (n > 0 ? Math.ceil(pos / 7) === n : Math.floor((size - pos) / 7) + 1 === -n));
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
 * in a DST gap and taken at its first occurrence when repeated. With BYSETPOS
 * the period's whole set of slots (gap times left out) is built, then
 * BYSETPOS picks among them, counting from its start or, when negative, its end.
 */
export function expandFast(rule: FastRule, zone: string, anchor: AnchorPoint, fromMs: number, toMs: number, limit: number, out: number[]): void {
  const lo = Math.max(fromMs, anchor.ms);
  const hi = Math.min(toMs, rule.untilMs + 1);
  if (!(lo < hi)) return;
  const [year, month, dom] = civil(anchor.day);
  const a: AnchorParts = { day: anchor.day, dow: isoWeekday(anchor.day), year, month, dom };
  // Wall days that may hold an instant of [lo, hi): offsets are within ±1 day.
  let table = zoneTable(zone, lo, hi);
  const first = Math.max(anchor.day, dayOf(table.wallOf(lo)) - 1);
  const last = dayOf(table.wallOf(hi - 1)) + 1;
  const { interval, times, setPos } = rule;
  // When only weekdays decide (the common DAILY and WEEKLY rules), a mask of them does.
  const plain = rule.months === null && rule.weekNos === null && rule.yearDays === null && rule.monthDays === null && rule.nth.length === 0;
  const quickDays = !plain ? 0 : rule.days !== null ? rule.days : rule.freq === 'DAILY' ? ALL_DAYS : rule.freq === 'WEEKLY' ? 1 << a.dow : 0;
  const set: number[] = [];
  for (let p = periodOf(rule, a, first); p.start <= last; p = periodOf(rule, a, p.end + 1)) {
    // (A BYWEEKNO year before the anchor's calendar year is not the rule's.)
    if (p.index < 0 || p.index % interval !== 0) continue;
    let d = Math.max(p.start, first);
    let end = Math.min(p.end, last);
    if (setPos) {
      // The whole period, read with offsets covering it.
      d = p.start;
      end = p.end;
      table = zoneTable(zone, d * DAY - DAY, (end + 2) * DAY);
      set.length = 0;
    }
    for (; d <= end; d++) {
      if (quickDays ? !(quickDays & (1 << isoWeekday(d))) : !picks(rule, a, p, d)) continue;
      const midnight = d * DAY;
      for (let i = 0; i < times.length; i++) {
        const e = table.instantOf(midnight + times[i]!, 'skip');
        if (Number.isNaN(e)) continue;
        if (setPos) set.push(e);
        else if (e >= lo && e < hi) {
          out.push(e);
          if (out.length >= limit) return;
        }
      }
    }
    if (setPos && pickSetPos(setPos, set, lo, hi, limit, out)) return;
  }
}

/**
 * Appends the slots BYSETPOS picks from a period's ascending `set` that lie
 * in [lo, hi), ascending and distinct; true when `out` has reached `limit`.
 */
export function pickSetPos(setPos: number[], set: number[], lo: number, hi: number, limit: number, out: number[]): boolean {
  const chosen = new Set<number>();
  for (const n of setPos) {
    const e = set[at(n, set.length) - 1];
    if (e !== undefined && e >= lo && e < hi) chosen.add(e);
  }
  for (const e of [...chosen].sort((x, y) => x - y)) {
    out.push(e);
    if (out.length >= limit) return true;
  }
  return false;
}
