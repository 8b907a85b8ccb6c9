import type { RRuleTemporal } from 'rrule-temporal';
import type { Temporal } from 'temporal-polyfill';
import { zoneTable } from '../time/zone-table.js';
import { expandFast, type AnchorPoint } from './fast-path.js';
import { buildRRule, expandGeneral } from './general-path.js';
import type { RulePlan } from './rule-plan.js';
import { changeMargin, expandSubDaily, firstOccurrences } from './sub-daily.js';
import type { ZoneTable } from '../time/zone-table.js';
import { MAX_SLOTS_PER_CALL } from './limits.js';

const YEAR = 366 * 86_400_000;

/** One rule of an account, prepared: its plan, DTSTART, zone, and its rrule-temporal rule built on first need. */
export interface PreparedRule {
  plan: RulePlan;
  point: AnchorPoint;
  zone: string;
  rrule(): RRuleTemporal;
}

/**
 * How far from DTSTART a COUNT rule's slots are looked for (100 years unless
 * listed): slots beyond are dropped. A runaway guard for COUNT rules so sparse
 * they would otherwise be walked for centuries (each year walked costs
 * reading that year's offsets from Temporal, about a millisecond).
 */
const COUNT_HORIZON: Record<string, number> = { MINUTELY: YEAR, HOURLY: 10 * YEAR };

/**
 * A rule prepared for (zone, DTSTART): parsing only, never results. A COUNT
 * rule whose COUNT-less form expands directly becomes that form with UNTIL
 * at its COUNT-th slot, found once here (at most 10,000 slots, looked for
 * within COUNT_HORIZON: 100 years, 10 for HOURLY, 1 for MINUTELY), so later
 * windows never walk from DTSTART again. COUNT thus counts slots: occurrences
 * skipped in a DST gap do not count, and a local time repeated by a fall-back counts once.
 */
export function prepareRule(plan: RulePlan, zone: string, point: AnchorPoint, dtstart: Temporal.ZonedDateTime): PreparedRule {
  const lazy = (p: RulePlan): PreparedRule => {
    let built: RRuleTemporal | undefined;
    return { plan: p, point, zone, rrule: () => (built ??= buildRRule(p, dtstart)) };
  };
  const base = plan.uncounted;
  if (plan.count === undefined || !base?.fast) return lazy(plan);
  const horizon = point.ms + (COUNT_HORIZON[base.fast.freq] ?? 100 * YEAR);
  const found = expandRule(lazy(base), point.ms, horizon, plan.count);
  // The COUNT-th slot, or the horizon when there are fewer.
  const last = found[plan.count - 1] ?? horizon - 1;
  return lazy({ ...base, fast: { ...base.fast, untilMs: Math.min(base.fast.untilMs, last) } });
}

/**
 * The first `limit` occurrences (epoch ms) of one rule in [fromMs, toMs),
 * ascending. A year at a time, so a long window costs only as much as the
 * slots it yields. DAILY and longer shapes expand directly; HOURLY and
 * MINUTELY shapes too, except near an offset change (changeMargin), where
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
  const end = Math.min(toMs, fast.untilMs + 1);
  for (let a = fromMs; a < end && out.length < limit; a += YEAR) {
    const b = Math.min(end, a + YEAR);
    if (!subDaily) {
      expandFast(fast, zoneTable(r.zone, a, b), r.point, a, b, limit, out);
      continue;
    }
    const margin = changeMargin(fast);
    const table = zoneTable(r.zone, a - 2 * margin, b + 2 * margin);
    let cur = a;
    for (const t of table.transitionsIn(a - margin, b + margin)) {
      const near = Math.max(cur, t - margin);
      const far = Math.min(b, t + margin);
      if (near > cur) expandSubDaily(fast, table, r.point, cur, near, limit, out);
      if (far > near && out.length < limit) nearChange(r, table, t, margin, near, far, limit, out);
      cur = Math.max(cur, far);
      if (out.length >= limit) return out;
    }
    if (cur < b) expandSubDaily(fast, table, r.point, cur, b, limit, out);
  }
  return out;
}

/**
 * HOURLY or MINUTELY occurrences in [near, far), a stretch around the offset
 * change at `t`: rrule-temporal computes the whole stretch [t - margin,
 * t + margin), whatever the window, so a slot does not depend on the window
 * that asks; then each occurrence moves to the first instant showing its
 * local time (the repeated hour's second pass merges into its first).
 */
function nearChange(r: PreparedRule, table: ZoneTable, t: number, margin: number, near: number, far: number, limit: number, out: number[]): void {
  const raw: number[] = [];
  expandGeneral(r.rrule(), r.plan, t - margin, t + margin, 5 * MAX_SLOTS_PER_CALL, raw);
  // The plan's UNTIL may stand for a COUNT (prepareRule): rrule-temporal's rule does not carry it.
  const until = r.plan.fast?.untilMs ?? Infinity;
  for (const e of firstOccurrences(table, raw)) {
    if (e < near || e >= far || e > until) continue;
    out.push(e);
    if (out.length >= limit) return;
  }
}
