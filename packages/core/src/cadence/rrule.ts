import { Temporal } from 'temporal-polyfill';
import { RRuleTemporal } from 'rrule-temporal';
import { MAX_SLOTS_PER_CALL } from './limits.js';

const FREQS = new Set(['YEARLY', 'MONTHLY', 'WEEKLY', 'DAILY', 'HOURLY', 'MINUTELY']);
const PROBE_START = Temporal.ZonedDateTime.from('2026-01-05T00:00:00[UTC]');

/**
 * Checks one slot rule: an RFC 5545 RRULE value such as
 * `FREQ=WEEKLY;BYDAY=MO,WE,FR;BYHOUR=9;BYMINUTE=30` (an `RRULE:` prefix is
 * accepted and dropped). DTSTART is not part of a slot rule: the account's zone
 * and cadence anchor supply it. SECONDLY is refused as no cadence needs it, and
 * COUNT is at most 10,000 (the per-call slot cap), so no rule can make a
 * computation run away.
 * Returns the normalised rule text, or an error message.
 */
export function parseSlotRule(text: string): { rule: string } | { error: string } {
  const rule = text.trim().replace(/^RRULE:/i, '');
  if (rule === '' || /[\r\n]/.test(rule)) return { error: 'must be a single RRULE value, e.g. FREQ=WEEKLY;BYDAY=MO;BYHOUR=9' };
  const parts = new Map<string, string>();
  for (const part of rule.split(';')) {
    const [k, v, extra] = part.split('=');
    if (!k || v === undefined || v === '' || extra !== undefined) return { error: `"${part}" is not a NAME=VALUE rule part` };
    const name = k.toUpperCase();
    if (parts.has(name)) return { error: `${name} appears twice` };
    parts.set(name, v.toUpperCase());
  }
  if (parts.has('DTSTART')) return { error: 'DTSTART is not allowed: slots start from the account time zone' };
  const freq = parts.get('FREQ');
  if (!freq) return { error: 'FREQ is required' };
  if (!FREQS.has(freq)) return { error: `FREQ=${freq} is not supported (use YEARLY, MONTHLY, WEEKLY, DAILY, HOURLY or MINUTELY)` };
  const count = parts.get('COUNT');
  if (count !== undefined && !(/^\d+$/.test(count) && +count >= 1 && +count <= MAX_SLOTS_PER_CALL)) {
    return { error: `COUNT must be a whole number from 1 to ${MAX_SLOTS_PER_CALL}` };
  }
  const normalised = [...parts].map(([k, v]) => `${k}=${v}`).join(';');
  try {
    const r = new RRuleTemporal({ rruleString: normalised, dtstart: PROBE_START, strict: true });
    r.all((_, i) => i < 1);
  } catch (err) {
    return { error: `invalid RRULE: ${(err as Error).message}` };
  }
  return { rule: normalised };
}
