import { zoneTable } from '../time/zone-table.js';
import { civil, daysInMonth, epochDay, isLeap, isoWeekday } from './calendar.js';
import type { AnchorPoint } from './fast-path.js';
import { pickSetPos } from './fast-path.js';
import type { FastRule } from './fast-rule.js';

const MINUTE = 60_000;
const HOUR = 3_600_000;
const DAY = 86_400_000;
/** More than any offset change moves a wall time against its period's start. */
const SHIFT = 3 * HOUR;

/**
 * Appends to `out` the occurrences of an HOURLY or MINUTELY rule in
 * [fromMs, toMs), ascending and distinct, at most `limit`. Periods follow RFC
 * 5545 as rrule-temporal reads it: every INTERVAL hours (minutes) of elapsed
 * time from DTSTART, so with INTERVAL=1 every wall-clock hour (minute) that
 * exists. A period is read by its wall-clock hour (minute): BYMONTH,
 * BYYEARDAY, BYMONTHDAY, BYDAY, BYHOUR (and BYMINUTE for MINUTELY) keep or
 * drop it; BYMINUTE/BYSECOND (BYSECOND) expand it into wall times, each taken
 * at the first instant showing it (a period in the second pass of a repeated
 * hour gives the first pass's slots, merged when already there) and skipped
 * when in a gap; BYSETPOS picks among a period's slots.
 */
export function expandSubDaily(rule: FastRule, zone: string, anchor: AnchorPoint, fromMs: number, toMs: number, limit: number, out: number[]): void {
  const lo = Math.max(fromMs, anchor.ms);
  const hi = Math.min(toMs, rule.untilMs + 1);
  if (!(lo < hi)) return;
  const unit = rule.freq === 'HOURLY' ? HOUR : MINUTE;
  const step = unit * rule.interval;
  // A period's slots lie within a unit and an offset change of its start.
  const reach = unit + SHIFT;
  const table = zoneTable(zone, lo - reach - DAY, hi + reach + DAY);
  const chunk = Math.max(DAY, 64 * step);
  const found: number[] = [];
  const set: number[] = [];
  for (let a = lo; a < hi; a += chunk) {
    const b = Math.min(hi, a + chunk);
    found.length = 0;
    let sorted = true;
    const k0 = Math.max(0, Math.ceil((a - reach - anchor.ms) / step));
    let day = NaN;
    let dayKept = false;
    for (let k = k0; ; k++) {
      const start = anchor.ms + k * step;
      if (start >= b + reach) break;
      const wall = Math.floor(table.wallOf(start) / unit) * unit;
      if (Math.floor(wall / DAY) !== day) {
        day = Math.floor(wall / DAY);
        dayKept = keepsDay(rule, day);
      }
      if (!dayKept) {
        // Jump to the periods just before the next wall day, unless an offset change is near
        // (a repeated hour may bring a kept day's wall times back).
        const next = (day + 1) * DAY - table.offsetAt(start) - SHIFT;
        const k2 = Math.ceil((next - anchor.ms) / step) - 1;
        if (k2 > k && table.transitionsIn(start - reach, next + reach).length === 0) k = k2;
        continue;
      }
      if (!keepsTime(rule, wall)) continue;
      set.length = 0;
      for (const o of rule.offsets) {
        const e = table.instantOf(wall + o, 'skip');
        if (!Number.isNaN(e)) set.push(e);
      }
      const picked = rule.setPos ? pickFrom(rule.setPos, set) : set;
      for (const e of picked) {
        if (e < a || e >= b) continue;
        if (found.length > 0 && !(found[found.length - 1]! < e)) sorted = false;
        found.push(e);
      }
    }
    const slots = sorted ? found : [...new Set(found)].sort((x, y) => x - y);
    for (const e of slots) {
      out.push(e);
      if (out.length >= limit) return;
    }
  }
}

/** The slots BYSETPOS picks from a period's ascending set, ascending. */
function pickFrom(setPos: number[], set: number[]): number[] {
  const picked: number[] = [];
  pickSetPos(setPos, set, -Infinity, Infinity, Infinity, picked);
  return picked;
}

/** Whether BYHOUR (and for MINUTELY BYMINUTE) keep the period whose wall-clock hour (minute) starts at `wall`. */
function keepsTime(rule: FastRule, wall: number): boolean {
  const tod = ((wall % DAY) + DAY) % DAY;
  if (rule.hourOk && !rule.hourOk[Math.floor(tod / HOUR)]) return false;
  return !rule.minuteOk || rule.minuteOk[Math.floor((tod % HOUR) / MINUTE)]!;
}

/** Whether BYMONTH, BYYEARDAY, BYMONTHDAY and BYDAY keep the periods of wall day `day`. */
function keepsDay(rule: FastRule, day: number): boolean {
  if (rule.days !== null && !(rule.days & (1 << isoWeekday(day)))) return false;
  if (rule.months === null && rule.monthDays === null && rule.yearDays === null) return true;
  const [y, m, dom] = civil(day);
  if (rule.months !== null && !(rule.months & (1 << m))) return false;
  if (rule.monthDays !== null) {
    const dim = daysInMonth(y, m);
    if (!rule.monthDays.some((n) => (n > 0 ? n === dom : dim + 1 + n === dom))) return false;
  }
  if (rule.yearDays !== null) {
    const doy = day - epochDay(y, 1, 1) + 1;
    const diy = isLeap(y) ? 366 : 365;
    if (!rule.yearDays.some((n) => (n > 0 ? n === doy : diy + 1 + n === doy))) return false;
  }
  return true;
}
