import { rruleParts } from '@drumbeat/standards/rrule';
import { slotsAfter, type CadenceSpec } from './slots.js';

/** How far ahead a rule with an UNTIL is looked at for a slot (a rule silent for longer is as good as spent). */
const HORIZON_MS = 10 * 366 * 86_400_000;

/**
 * The rules of a cadence whose UNTIL leaves them no slot from `now` on: they
 * can never fire, which is a mistake worth a 400 rather than a silent
 * calendar. Each is named by its index in `spec.slots`.
 */
export function spentSlotRules(spec: CadenceSpec, now: Date): { index: number; message: string }[] {
  const out: { index: number; message: string }[] = [];
  spec.slots.forEach((rule, index) => {
    const parsed = rruleParts(rule);
    const until = 'error' in parsed ? undefined : parsed.parts.get('UNTIL');
    if (until === undefined) return;
    const horizon = new Date(now.getTime() + HORIZON_MS);
    if (slotsAfter({ ...spec, slots: [rule] }, new Date(now.getTime() - 1), 1, horizon).length > 0) return;
    out.push({
      index,
      message: `UNTIL=${until} is before every slot of this rule from ${now.toISOString()} on: it can never fire`,
    });
  });
  return out;
}
