// For the oracle tests: one rule's occurrences, as core's slotsBetween gives them for a cadence of that rule alone.
import { epochDay, localToInstant } from '../time/index.js';
import { expandRule, prepareRule } from './expand.js';
import { rulePlan } from './rule-plan.js';
import { MAX_COUNT } from './rrule.js';

/** The occurrences (epoch ms) of `rule` in [fromMs, toMs), read in `zone` with DTSTART at local midnight of `anchor` (YYYY-MM-DD). */
export function occurrences(rule: string, zone: string, anchor: string, fromMs: number, toMs: number): number[] {
  const [y, m, d] = anchor.split('-').map(Number) as [number, number, number];
  const point = { day: epochDay(y, m, d), ms: localToInstant(`${anchor}T00:00`, zone).getTime() };
  return expandRule(prepareRule(rulePlan(rule), zone, point), fromMs, toMs, MAX_COUNT);
}
