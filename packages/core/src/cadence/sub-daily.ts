import type { ZoneTable } from '../time/zone-table.js';
import { civil, daysInMonth, type AnchorPoint } from './fast-path.js';
import type { FastRule } from './fast-rule.js';

const MINUTE = 60_000;
const HOUR = 3_600_000;
const DAY = 86_400_000;
/**
 * How far around an offset change the engine leaves an HOURLY or MINUTELY
 * rule to rrule-temporal: a period (INTERVAL units long) that starts before a
 * change must not be read with the offset after it, and a repeated hour must
 * fit well inside.
 */
export function changeMargin(rule: FastRule): number {
  const unit = rule.freq === 'HOURLY' ? HOUR : MINUTE;
  return Math.max(3 * HOUR, (rule.interval + 1) * unit);
}

/**
 * Appends to `out` the occurrences of an HOURLY or MINUTELY rule in
 * [fromMs, toMs), ascending, at most `limit`, for a window with no offset
 * change within changeMargin(rule) (the caller hands the stretches around changes
 * to rrule-temporal, whose way through repeated and skipped hours this need
 * not copy). Periods follow RFC 5545 as rrule-temporal reads it: with
 * INTERVAL=1 every wall-clock hour (minute); otherwise every INTERVAL hours
 * (minutes) of elapsed time from DTSTART. BYMONTH, BYMONTHDAY, BYDAY, BYHOUR
 * (and BYMINUTE for MINUTELY) keep or drop a period by its wall-clock start;
 * BYMINUTE/BYSECOND (BYSECOND) expand it.
 */
export function expandSubDaily(rule: FastRule, table: ZoneTable, anchor: AnchorPoint, fromMs: number, toMs: number, limit: number, out: number[]): void {
  const lo = Math.max(fromMs, anchor.ms);
  const hi = Math.min(toMs, rule.untilMs + 1);
  if (!(lo < hi)) return;
  const unit = rule.freq === 'HOURLY' ? HOUR : MINUTE;
  // With no offset change nearby, one offset turns wall times into instants.
  const offset = table.offsetAt(lo);
  const wallLo = lo + offset;
  const wallHi = hi + offset;
  let wall: number;
  let step: number;
  if (rule.interval === 1) {
    step = unit;
    wall = Math.floor(wallLo / unit) * unit;
  } else {
    // Exact-time periods from DTSTART: the first one starting at or before lo.
    step = unit * rule.interval;
    wall = anchor.ms + Math.max(0, Math.floor((lo - anchor.ms) / step)) * step + offset;
  }
  for (; ; wall += step) {
    const start = Math.floor(wall / unit) * unit; // the period's wall hour (minute)
    if (start >= wallHi) return;
    if (!keeps(rule, start)) continue;
    for (const o of rule.offsets) {
      const e = start + o - offset;
      if (e >= lo && e < hi) {
        out.push(e);
        if (out.length >= limit) return;
      }
    }
  }
}

function keeps(rule: FastRule, wall: number): boolean {
  const tod = ((wall % DAY) + DAY) % DAY;
  if (rule.hourOk && !rule.hourOk[Math.floor(tod / HOUR)]) return false;
  if (rule.minuteOk && !rule.minuteOk[Math.floor((tod % HOUR) / MINUTE)]) return false;
  const day = Math.floor(wall / DAY);
  if (rule.days !== null && !(rule.days & (1 << (((((day + 3) % 7) + 7) % 7) + 1)))) return false;
  if (rule.months === null && rule.monthDays === null) return true;
  const [y, m, dom] = civil(day);
  if (rule.months !== null && !(rule.months & (1 << m))) return false;
  if (rule.monthDays !== null) {
    const dim = daysInMonth(y, m);
    if (!rule.monthDays.some((n) => (n > 0 ? n === dom : dim + 1 + n === dom))) return false;
  }
  return true;
}

/**
 * The policy for a repeated local time, for occurrences rrule-temporal
 * computes in elapsed time: each becomes the first instant showing its
 * wall-clock time, so the hour a fall-back repeats yields its slots once, at
 * their first occurrence. Ascending and distinct.
 */
export function firstOccurrences(table: ZoneTable, xs: number[]): number[] {
  const out = xs.map((e) => table.instantOf(table.wallOf(e), 'skip'));
  return [...new Set(out)].sort((a, b) => a - b);
}
