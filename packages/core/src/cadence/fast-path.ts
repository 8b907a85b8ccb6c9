import { dayOf, type ZoneTable } from '../time/zone-table.js';
import type { FastRule } from './fast-rule.js';

const DAY = 86_400_000;
const ALL_DAYS = 0b1111_1110;

/** Where a rule starts: the anchor's epoch day number and the instant its day begins (DTSTART). */
export interface AnchorPoint {
  day: number;
  ms: number;
}

/** ISO weekday (Monday 1 … Sunday 7) of an epoch day number (1970-01-01 was a Thursday). */
function isoWeekday(day: number): number {
  return ((((day + 3) % 7) + 7) % 7) + 1;
}

/** [year, month, day of month] of an epoch day number, proleptic Gregorian (H. Hinnant's algorithm). */
export function civil(day: number): [number, number, number] {
  const z = day + 719_468;
  const era = Math.floor(z / 146_097);
  const doe = z - era * 146_097;
  const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36_524) - Math.floor(doe / 146_096)) / 365);
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const m = mp < 10 ? mp + 3 : mp - 9;
  return [yoe + era * 400 + (m <= 2 ? 1 : 0), m, doy - Math.floor((153 * mp + 2) / 5) + 1];
}

/** Epoch day number of a proleptic Gregorian date (H. Hinnant's algorithm). */
function epochDay(y: number, m: number, d: number): number {
  const yy = m <= 2 ? y - 1 : y;
  const era = Math.floor(yy / 400);
  const yoe = yy - era * 400;
  const doy = Math.floor((153 * (m > 2 ? m - 3 : m + 9) + 2) / 5) + d - 1;
  return era * 146_097 + yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy - 719_468;
}

export function daysInMonth(y: number, m: number): number {
  return m === 2 ? (y % 4 === 0 && (y % 100 !== 0 || y % 400 === 0) ? 29 : 28) : m === 4 || m === 6 || m === 9 || m === 11 ? 30 : 31;
}

/** Whether the rule's date parts pick day `d` (weekday `dow`, date y-m-dom in a month of `dim` days). */
function picks(rule: FastRule, dow: number, m: number, dom: number, dim: number, anchor: [number, number, number, number]): boolean {
  const [anchorDow, , anchorMonth, anchorDom] = anchor;
  if (rule.monthDays !== null && !rule.monthDays.some((n) => (n > 0 ? n === dom : dim + 1 + n === dom))) return false;
  if (rule.days !== null) {
    if (rule.days & (1 << dow)) return true;
    // An ordinal weekday: the nth (from the start) or -nth (from the end) of its month.
    return rule.nth.some(([n, w]) => w === dow && (n > 0 ? Math.ceil(dom / 7) === n : Math.floor((dim - dom) / 7) + 1 === -n));
  }
  // Without BYDAY: WEEKLY takes DTSTART's weekday; MONTHLY and YEARLY without
  // BYMONTHDAY its day of month, and YEARLY without BYMONTH either its month.
  if (rule.freq === 'WEEKLY') return dow === anchorDow;
  if (rule.monthDays !== null || rule.freq === 'DAILY') return true;
  return dom === anchorDom && (rule.freq === 'MONTHLY' || rule.months !== null || m === anchorMonth);
}

/**
 * Appends to `out` the occurrences of a DAILY, WEEKLY, MONTHLY or YEARLY rule
 * in [fromMs, toMs), ascending, at most `limit` of them. The same rule as RFC
 * 5545 with DTSTART at the anchor: a day qualifies by INTERVAL (days, weeks
 * starting on WKST, months or years, counted from the anchor's), BYMONTH, BYMONTHDAY
 * and BYDAY; each BYHOUR × BYMINUTE × BYSECOND wall time of the day is one
 * slot, skipped when it falls in a DST gap and taken at its first occurrence
 * when repeated. `table` must cover the window.
 */
export function expandFast(rule: FastRule, table: ZoneTable, anchor: AnchorPoint, fromMs: number, toMs: number, limit: number, out: number[]): void {
  const lo = Math.max(fromMs, anchor.ms);
  const hi = Math.min(toMs, rule.untilMs + 1);
  if (!(lo < hi)) return;
  const first = Math.max(anchor.day, dayOf(table.wallOf(lo)) - 1);
  const last = dayOf(table.wallOf(hi - 1)) + 1;
  const anchorDow = isoWeekday(anchor.day);
  const [ay, am, anchorDom] = civil(anchor.day);
  const anchorParts: [number, number, number, number] = [anchorDow, ay, am, anchorDom];
  const weekAnchor = anchor.day - ((anchorDow - rule.wkst + 7) % 7);
  if (rule.setPos) return expandSetPos(rule, table, anchor, lo, hi, first, last, limit, out);
  const { freq, interval, times } = rule;
  const quickDays = rule.nth.length === 0 && rule.monthDays === null && rule.days !== null ? rule.days : freq === 'DAILY' && rule.monthDays === null && rule.days === null ? ALL_DAYS : 0;
  let [y, m, dom] = civil(first);
  let dim = daysInMonth(y, m);
  for (let d = first; d <= last; d++, dom++) {
    if (dom > dim) {
      dom = 1;
      if (++m > 12) (m = 1), y++;
      dim = daysInMonth(y, m);
    }
    if (rule.months !== null && !(rule.months & (1 << m))) continue;
    const dow = isoWeekday(d);
    if (interval > 1) {
      const since =
        freq === 'DAILY' ? d - anchor.day : freq === 'WEEKLY' ? (d - ((dow - rule.wkst + 7) % 7) - weekAnchor) / 7 : freq === 'MONTHLY' ? (y - ay) * 12 + m - am : y - ay;
      if (since % interval !== 0) continue;
    }
    if (quickDays ? !(quickDays & (1 << dow)) : !picks(rule, dow, m, dom, dim, anchorParts)) continue;
    const midnight = d * DAY;
    for (let i = 0; i < times.length; i++) {
      const e = table.instantOf(midnight + times[i]!, 'skip');
      if (e >= lo && e < hi) {
        out.push(e);
        if (out.length >= limit) return;
      }
    }
  }
}

/**
 * MONTHLY with BYSETPOS: each month's slots (gap times already left out) are
 * built whole, then BYSETPOS picks among them, counting from the month's
 * start or, when negative, its end; the picks in [lo, hi) are appended.
 */
function expandSetPos(rule: FastRule, table: ZoneTable, anchor: AnchorPoint, lo: number, hi: number, first: number, last: number, limit: number, out: number[]): void {
  const anchorDow = isoWeekday(anchor.day);
  const [ay, am, anchorDom] = civil(anchor.day);
  const anchorParts: [number, number, number, number] = [anchorDow, ay, am, anchorDom];
  const [fy, fm] = civil(first);
  const [ly, lm] = civil(last);
  const set: number[] = [];
  for (let mi = fy * 12 + fm - 1; mi <= ly * 12 + lm - 1; mi++) {
    const y = Math.floor(mi / 12);
    const m = mi - y * 12 + 1;
    if ((mi - (ay * 12 + am - 1)) % rule.interval !== 0) continue;
    if (rule.months !== null && !(rule.months & (1 << m))) continue;
    const dim = daysInMonth(y, m);
    const d0 = epochDay(y, m, 1);
    set.length = 0;
    for (let dom = 1; dom <= dim; dom++) {
      const d = d0 + dom - 1;
      if (!picks(rule, isoWeekday(d), m, dom, dim, anchorParts)) continue;
      for (const t of rule.times) {
        const e = table.instantOf(d * DAY + t, 'skip');
        if (!Number.isNaN(e)) set.push(e);
      }
    }
    const chosen = new Set<number>();
    for (const p of rule.setPos!) {
      const e = set[p > 0 ? p - 1 : set.length + p];
      if (e !== undefined && e >= lo && e < hi) chosen.add(e);
    }
    for (const e of [...chosen].sort((a, b) => a - b)) {
      out.push(e);
      if (out.length >= limit) return;
    }
  }
}
