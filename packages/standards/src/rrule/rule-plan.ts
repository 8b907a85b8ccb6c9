import { memoized } from '../memoized.js';
import { compileRule, type CompiledRule } from './compiled-rule.js';
import { rruleParts } from './rrule.js';

/** One rule, checked and prepared for expansion. */
export interface RulePlan {
  /** The rule with the times of day DTSTART would supply written out (BYHOUR=0…), as another RFC 5545 engine should read it. */
  text: string;
  freq: string;
  count: number | undefined;
  /** The rule read into the numbers the expansion works with. */
  compiled: CompiledRule;
  /** With COUNT: the same rule without it (COUNT n is the same as UNTIL at its n-th occurrence). */
  uncounted: RulePlan | null;
}

/** The plan of a rule (cached by its text); throws RangeError when the rule is invalid. */
export const rulePlan: (text: string) => RulePlan = memoized((text) => buildPlan(text), 10_000);

function buildPlan(text: string): RulePlan {
  const checked = rruleParts(text);
  if ('error' in checked) throw new RangeError(`slot rule "${text}": ${checked.error}`);
  const compiled = compileRule(checked.parts);
  if ('error' in compiled) throw new RangeError(`slot rule "${text}": ${compiled.error}`);
  const parts = checked.parts;
  const freq = parts.get('FREQ')!;
  // DTSTART sits at local midnight: write out the time parts it would supply.
  const sub =
    freq === 'MINUTELY'
      ? ['BYSECOND']
      : freq === 'HOURLY'
        ? ['BYMINUTE', 'BYSECOND']
        : ['BYHOUR', 'BYMINUTE', 'BYSECOND'];
  let ruleText = checked.rule;
  for (const name of sub) if (!parts.has(name)) ruleText += `;${name}=0`;
  const count = parts.has('COUNT') ? Number(parts.get('COUNT')) : undefined;
  const uncounted =
    count === undefined
      ? null
      : rulePlan(
          [...parts]
            .filter(([k]) => k !== 'COUNT')
            .map(([k, v]) => `${k}=${v}`)
            .join(';'),
        );
  return { text: ruleText, freq, count, compiled: compiled.rule, uncounted };
}
