import { expandDailyAndLonger } from './daily-and-longer.js';
import { ruleSpan, type AnchorPoint } from './expander.js';
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
 * How far slots are looked for, from a window's start or, for a COUNT rule's
 * COUNT-th slot, from DTSTART: 100 years unless listed. Slots beyond are not
 * found: the rule answers "no more slots". It bounds the work of any query
 * (and of preparing a COUNT rule) to that many periods of the rule, however
 * sparse the rule and however long the window asked for.
 */
const HORIZON: Record<string, number> = { MINUTELY: YEAR, HOURLY: 10 * YEAR };
const horizonOf = (freq: string) => HORIZON[freq] ?? 100 * YEAR;

/**
 * A rule prepared for (zone, DTSTART): parsing only, never results. A COUNT
 * rule becomes its COUNT-less form with UNTIL at its COUNT-th slot, found
 * once here (at most 10,000 slots, looked for within HORIZON: 100
 * years, 10 for HOURLY, 1 for MINUTELY), so later windows never walk from
 * DTSTART again. COUNT thus counts slots: occurrences skipped in a DST gap do
 * not count, and a local time repeated by a fall-back counts once.
 */
export function prepareRule(plan: RulePlan, zone: string, point: AnchorPoint): PreparedRule {
  const base = plan.uncounted;
  if (plan.count === undefined || !base) return { plan, point, zone };
  const horizon = point.ms + horizonOf(base.compiled.freq);
  const found = expandRule({ plan: base, point, zone }, point.ms, horizon, plan.count);
  // The COUNT-th slot, or the horizon when there are fewer.
  const last = found[plan.count - 1] ?? horizon - 1;
  return {
    plan: { ...base, compiled: { ...base.compiled, untilMs: Math.min(base.compiled.untilMs, last) } },
    point,
    zone,
  };
}

/**
 * The first `limit` occurrences (epoch ms) of one rule in [fromMs, toMs),
 * ascending, looked for within HORIZON of the window's start; walked a year
 * at a time, stopping once `limit` are found.
 */
export function expandRule(r: PreparedRule, fromMs: number, toMs: number, limit: number): number[] {
  const out: number[] = [];
  const rule = r.plan.compiled;
  const subDaily = rule.freq === 'HOURLY' || rule.freq === 'MINUTELY';
  const span = ruleSpan(rule, r.point, fromMs, toMs);
  if (!span) return out;
  const [start, until] = span;
  const end = Math.min(until, start + horizonOf(rule.freq));
  for (let a = start; a < end && out.length < limit; a += YEAR) {
    const b = Math.min(end, a + YEAR);
    if (subDaily) expandSubDaily(rule, r.zone, r.point, a, b, limit, out);
    else expandDailyAndLonger(rule, r.zone, r.point, a, b, limit, out);
  }
  return out;
}
