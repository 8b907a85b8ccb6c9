import type { Temporal } from 'temporal-polyfill';
import { RRuleTemporal } from 'rrule-temporal';
import { MAX_SLOTS_PER_CALL } from './limits.js';
import type { RulePlan } from './rule-plan.js';

/** An rrule-temporal rule for `plan` with DTSTART `dtstart` (local midnight of the anchor in the account's zone). */
export function buildRRule(plan: RulePlan, dtstart: Temporal.ZonedDateTime): RRuleTemporal {
  // Allow enough periods for a query window sized to the cap (a rate estimate
  // may count one occurrence per period), and for a COUNT rule walked from
  // DTSTART whose occurrences are sparse (e.g. the 31st of each month).
  const maxIterations = Math.max(5 * MAX_SLOTS_PER_CALL, (plan.count ?? 0) * 4);
  try {
    return new RRuleTemporal({ rruleString: plan.text, dtstart, strict: true, maxIterations, cache: false });
  } catch (err) {
    throw new RangeError(`slot rule "${plan.text}": invalid RRULE: ${(err as Error).message}`);
  }
}

/**
 * Appends to `out` the occurrences of `rule` in [fromMs, toMs), ascending, at
 * most `limit`. A COUNT rule is walked from DTSTART (COUNT is at most 10,000,
 * so the walk is bounded); any other rule is queried window by window, each
 * window sized from the rule's densest rate so a query never builds much more
 * than the cap, whatever the rule.
 */
export function expandGeneral(rule: RRuleTemporal, plan: RulePlan, fromMs: number, toMs: number, limit: number, out: number[]): void {
  try {
    if (plan.count !== undefined) {
      for (const z of rule.all((d) => d.epochMilliseconds < toMs)) {
        if (z.epochMilliseconds < fromMs) continue;
        out.push(z.epochMilliseconds);
        if (out.length >= limit) return;
      }
      return;
    }
    let size = Math.max(limit, 64) / plan.rate;
    const maxSize = MAX_SLOTS_PER_CALL / plan.rate;
    for (let a = fromMs; a < toMs; ) {
      const b = Math.min(toMs, a + size);
      for (const z of rule.between(new Date(a), new Date(b), true)) {
        const e = z.epochMilliseconds;
        if (e < a || e >= b) continue;
        out.push(e);
        if (out.length >= limit) return;
      }
      a = b;
      size = Math.min(size * 2, maxSize);
    }
  } catch (err) {
    throw new RangeError(`slot rule "${plan.text}" cannot be expanded: ${(err as Error).message}`);
  }
}
