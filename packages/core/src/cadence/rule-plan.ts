import { fastRule, type FastRule } from './fast-rule.js';
import { slotRuleParts } from './rrule.js';

const HOUR = 3_600_000;
const DAY = 86_400_000;
/** One slot rule, checked and prepared for expansion. */
export interface RulePlan {
  /** The rule for rrule-temporal, with the times of day DTSTART would supply written out. */
  text: string;
  freq: string;
  count: number | undefined;
  /** An upper bound on occurrences per millisecond, to size rrule-temporal queries. */
  rate: number;
  fast: FastRule | null;
  /** With COUNT: the same rule without it (COUNT n is the same as UNTIL at its n-th occurrence). */
  uncounted: RulePlan | null;
}

const plans = new Map<string, RulePlan>();

/** The plan of a slot rule (cached by its text); throws RangeError when the rule is invalid. */
export function rulePlan(text: string): RulePlan {
  let plan = plans.get(text);
  if (!plan) {
    plan = buildPlan(text);
    if (plans.size >= 10_000) plans.clear();
    plans.set(text, plan);
  }
  return plan;
}

function buildPlan(text: string): RulePlan {
  const checked = slotRuleParts(text);
  if ('error' in checked) throw new RangeError(`slot rule "${text}": ${checked.error}`);
  const parts = checked.parts;
  const freq = parts.get('FREQ')!;
  // DTSTART sits at local midnight: write out the time parts it would supply, so
  // both engines agree even when midnight of the anchor day does not exist.
  const sub = freq === 'MINUTELY' ? ['BYSECOND'] : freq === 'HOURLY' ? ['BYMINUTE', 'BYSECOND'] : ['BYHOUR', 'BYMINUTE', 'BYSECOND'];
  let ruleText = checked.rule;
  for (const name of sub) {
    if (parts.has(name)) continue;
    parts.set(name, '0');
    ruleText += `;${name}=0`;
  }
  const size = (name: string) => parts.get(name)?.split(',').length ?? 1;
  const perPeriod = size('BYHOUR') * size('BYMINUTE') * size('BYSECOND');
  const rate = freq === 'MINUTELY' ? size('BYSECOND') / 60_000 : freq === 'HOURLY' ? (size('BYMINUTE') * size('BYSECOND')) / HOUR : perPeriod / DAY;
  const count = parts.has('COUNT') ? Number(parts.get('COUNT')) : undefined;
  const uncounted = count === undefined ? null : rulePlan([...parts].filter(([k]) => k !== 'COUNT').map(([k, v]) => `${k}=${v}`).join(';'));
  // A rule the direct expansion understands is valid; any other is checked by
  // rrule-temporal when first expanded (buildRRule), not probed here as well.
  const fast = fastRule(freq, parts);
  return {
    text: ruleText,
    freq,
    count,
    rate,
    fast,
    uncounted,
  };
}
