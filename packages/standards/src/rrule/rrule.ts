import { compileRule } from './compiled-rule.js';

/** The largest COUNT accepted, so that no rule can make a computation run away. */
export const MAX_COUNT = 10_000;

const FREQS = new Set(['YEARLY', 'MONTHLY', 'WEEKLY', 'DAILY', 'HOURLY', 'MINUTELY']);
/** RFC 5545 §3.3.10 ranges of the numeric parts: [min, max, may be negative]; BYSECOND=60, a leap second, has no slot. */
const RANGES: Record<string, readonly [number, number, boolean] | undefined> = {
  INTERVAL: [1, 1_000_000, false],
  BYSECOND: [0, 59, false],
  BYMINUTE: [0, 59, false],
  BYHOUR: [0, 23, false],
  BYMONTH: [1, 12, false],
  BYMONTHDAY: [1, 31, true],
  BYYEARDAY: [1, 366, true],
  BYWEEKNO: [1, 53, true],
  BYSETPOS: [1, 366, true],
};

/**
 * Checks one rule: an RFC 5545 RRULE value such as
 * `FREQ=WEEKLY;BYDAY=MO,WE,FR;BYHOUR=9;BYMINUTE=30` (an `RRULE:` prefix is
 * accepted and dropped). DTSTART is not part of the rule: the caller supplies
 * it (prepareRule). SECONDLY is refused as no caller needs it, and
 * COUNT is at most MAX_COUNT (10,000), so no rule can make a
 * computation run away. Parts outside RFC 5545 (RSCALE and SKIP from RFC
 * 7529, X- parts) and the combinations it forbids are refused (compileRule).
 * Returns the normalised rule text, or an error message (the messages speak
 * of slots, as drumbeat's API shows them).
 */
export function parseRRule(text: string): { rule: string } | { error: string } {
  const checked = rruleParts(text);
  if ('error' in checked) return checked;
  const compiled = compileRule(checked.parts);
  return 'error' in compiled ? compiled : { rule: checked.rule };
}

/**
 * The syntax checks of parseRRule: the rule normalised (upper case, no
 * prefix) and its parts by name, or an error message.
 */
export function rruleParts(text: string): { rule: string; parts: Map<string, string> } | { error: string } {
  const rule = text.trim().replace(/^RRULE:/i, '');
  if (rule === '' || /[\r\n]/.test(rule))
    return { error: 'must be a single RRULE value, e.g. FREQ=WEEKLY;BYDAY=MO;BYHOUR=9' };
  const parts = new Map<string, string>();
  let normalised = '';
  for (const part of rule.split(';')) {
    const [k, v, extra] = part.split('=');
    if (!k || v === undefined || v === '' || extra !== undefined)
      return { error: `"${part}" is not a NAME=VALUE rule part` };
    const name = k.toUpperCase();
    if (parts.has(name)) return { error: `${name} appears twice` };
    const value = v.toUpperCase();
    const range = RANGES[name];
    if (range && !inRange(value, range)) {
      const [min, max, signed] = range;
      return { error: `${name}=${value}: each value must be ${signed ? `±${min}…${max}` : `${min}…${max}`}` };
    }
    parts.set(name, value);
    normalised += normalised === '' ? `${name}=${value}` : `;${name}=${value}`;
  }
  if (parts.has('DTSTART')) return { error: 'DTSTART is not allowed: slots start from the account time zone' };
  const freq = parts.get('FREQ');
  if (!freq) return { error: 'FREQ is required' };
  if (!FREQS.has(freq))
    return { error: `FREQ=${freq} is not supported (use YEARLY, MONTHLY, WEEKLY, DAILY, HOURLY or MINUTELY)` };
  const count = parts.get('COUNT');
  if (count !== undefined && !(/^\d+$/.test(count) && +count >= 1 && +count <= MAX_COUNT)) {
    return { error: `COUNT must be a whole number from 1 to ${MAX_COUNT}` };
  }
  return { rule: normalised, parts };
}

/** Whether every comma-separated value of `value` is a whole number within `range`. */
function inRange(value: string, [min, max, signed]: readonly [number, number, boolean]): boolean {
  for (const x of value.split(',')) {
    const n = /^[+-]?\d{1,7}$/.test(x) ? Number(x) : NaN;
    if (!(Math.abs(n) >= min && Math.abs(n) <= max && (signed || n >= 0))) return false;
  }
  return true;
}
