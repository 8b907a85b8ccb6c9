import { dayOf, type ZoneTable } from '../time/zone-table.js';
import type { FastRule } from './rule-plan.js';

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

/**
 * Appends to `out` the occurrences of a DAILY or WEEKLY rule in [fromMs, toMs),
 * ascending, at most `limit` of them. The same rule as RFC 5545 with DTSTART at
 * the anchor: a day qualifies by INTERVAL (days, or weeks starting on WKST,
 * counted from the anchor's), BYDAY and BYMONTH; each BYHOUR × BYMINUTE ×
 * BYSECOND wall time of the day is one slot, skipped when it falls in a DST
 * gap and taken at its first occurrence when repeated. `table` must cover the window.
 */
export function expandFast(rule: FastRule, table: ZoneTable, anchor: AnchorPoint, fromMs: number, toMs: number, limit: number, out: number[]): void {
  const lo = Math.max(fromMs, anchor.ms);
  const hi = Math.min(toMs, rule.untilMs + 1);
  if (!(lo < hi)) return;
  const first = Math.max(anchor.day, dayOf(table.wallOf(lo)) - 1);
  const last = dayOf(table.wallOf(hi - 1)) + 1;
  const weekly = rule.freq === 'WEEKLY';
  const days = rule.days ?? (weekly ? 1 << isoWeekday(anchor.day) : ALL_DAYS);
  const weekAnchor = anchor.day - ((isoWeekday(anchor.day) - rule.wkst + 7) % 7);
  const period = weekly ? 7 * rule.interval : rule.interval;
  const times = rule.times;
  for (let d = first; d <= last; d++) {
    const dow = isoWeekday(d);
    if (!(days & (1 << dow))) continue;
    if (period > 1) {
      const since = weekly ? d - ((dow - rule.wkst + 7) % 7) - weekAnchor : d - anchor.day;
      if (since % period !== 0) continue;
    }
    if (rule.months !== null && !(rule.months & (1 << (new Date(d * DAY).getUTCMonth() + 1)))) continue;
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
