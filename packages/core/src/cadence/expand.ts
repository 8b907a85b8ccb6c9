import type { RRuleTemporal } from 'rrule-temporal';
import { zoneTable } from '../time/zone-table.js';
import { expandFast, type AnchorPoint } from './fast-path.js';
import { expandGeneral } from './general-path.js';
import type { RulePlan } from './rule-plan.js';
import { CHANGE_MARGIN, expandSubDaily } from './sub-daily.js';

const YEAR = 366 * 86_400_000;

/** One rule of an account, prepared: its plan, DTSTART, zone, and its rrule-temporal rule built on first need. */
export interface PreparedRule {
  plan: RulePlan;
  point: AnchorPoint;
  zone: string;
  rrule(): RRuleTemporal;
}

/**
 * The first `limit` occurrences (epoch ms) of one rule in [fromMs, toMs),
 * ascending. A year at a time, so a long window costs only as much as the
 * slots it yields. DAILY and longer shapes expand directly; HOURLY and
 * MINUTELY shapes too, except within CHANGE_MARGIN of an offset change, where
 * rrule-temporal decides; every other rule goes to rrule-temporal.
 */
export function expandRule(r: PreparedRule, fromMs: number, toMs: number, limit: number): number[] {
  const out: number[] = [];
  const fast = r.plan.fast;
  if (!fast) {
    expandGeneral(r.rrule(), r.plan, fromMs, toMs, limit, out);
    return out;
  }
  const subDaily = fast.freq === 'HOURLY' || fast.freq === 'MINUTELY';
  for (let a = fromMs; a < toMs && out.length < limit; a += YEAR) {
    const b = Math.min(toMs, a + YEAR);
    if (!subDaily) {
      expandFast(fast, zoneTable(r.zone, a, b), r.point, a, b, limit, out);
      continue;
    }
    const table = zoneTable(r.zone, a - CHANGE_MARGIN, b + CHANGE_MARGIN);
    let cur = a;
    for (const t of table.transitionsIn(a - CHANGE_MARGIN, b + CHANGE_MARGIN)) {
      const near = Math.max(cur, t - CHANGE_MARGIN);
      const far = Math.min(b, t + CHANGE_MARGIN);
      if (near > cur) expandSubDaily(fast, table, r.point, cur, near, limit, out);
      if (far > near && out.length < limit) expandGeneral(r.rrule(), r.plan, near, far, limit, out);
      cur = Math.max(cur, far);
      if (out.length >= limit) return out;
    }
    if (cur < b) expandSubDaily(fast, table, r.point, cur, b, limit, out);
  }
  return out;
}
