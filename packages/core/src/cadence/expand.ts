import { expandFast, type AnchorPoint } from './fast-path.js';
import type { RulePlan } from './rule-plan.js';
import { expandSubDaily } from './sub-daily.js';

const YEAR = 366 * 86_400_000;

/** One rule of an account, prepared: its plan (COUNT already turned into UNTIL), DTSTART and zone. */
export interface PreparedRule {
  plan: RulePlan;
  point: AnchorPoint;
  zone: string;
}

/**
 * How far from DTSTART a COUNT rule's slots are looked for (100 years unless
 * listed): slots beyond are dropped. A runaway guard for COUNT rules so sparse
 * they would otherwise be walked for centuries.
 */
const COUNT_HORIZON: Record<string, number> = { MINUTELY: YEAR, HOURLY: 10 * YEAR };

/**
 * A rule prepared for (zone, DTSTART): parsing only, never results. A COUNT
 * rule becomes its COUNT-less form with UNTIL at its COUNT-th slot, found
 * once here (at most 10,000 slots, looked for within COUNT_HORIZON: 100
 * years, 10 for HOURLY, 1 for MINUTELY), so later windows never walk from
 * DTSTART again. COUNT thus counts slots: occurrences skipped in a DST gap do
 * not count, and a local time repeated by a fall-back counts once.
 */
export function prepareRule(plan: RulePlan, zone: string, point: AnchorPoint): PreparedRule {
  const base = plan.uncounted;
  if (plan.count === undefined || !base) return { plan, point, zone };
  const horizon = point.ms + (COUNT_HORIZON[base.fast.freq] ?? 100 * YEAR);
  const found = expandRule({ plan: base, point, zone }, point.ms, horizon, plan.count);
  // The COUNT-th slot, or the horizon when there are fewer.
  const last = found[plan.count - 1] ?? horizon - 1;
  return { plan: { ...base, fast: { ...base.fast, untilMs: Math.min(base.fast.untilMs, last) } }, point, zone };
}

/**
 * The first `limit` occurrences (epoch ms) of one rule in [fromMs, toMs),
 * ascending. A year at a time, so a long window costs only as much as the
 * slots it yields.
 */
export function expandRule(r: PreparedRule, fromMs: number, toMs: number, limit: number): number[] {
  const out: number[] = [];
  const fast = r.plan.fast;
  const subDaily = fast.freq === 'HOURLY' || fast.freq === 'MINUTELY';
  const end = Math.min(toMs, fast.untilMs + 1);
  for (let a = Math.max(fromMs, r.point.ms); a < end && out.length < limit; a += YEAR) {
    const b = Math.min(end, a + YEAR);
    if (subDaily) expandSubDaily(fast, r.zone, r.point, a, b, limit, out);
    else expandFast(fast, r.zone, r.point, a, b, limit, out);
  }
  return out;
}
