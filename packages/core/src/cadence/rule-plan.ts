import { parseSlotRule, slotRuleParts } from './rrule.js';

const HOUR = 3_600_000;
const DAY = 86_400_000;
const WEEKDAYS = ['MO', 'TU', 'WE', 'TH', 'FR', 'SA', 'SU'];
/** Parts the direct expansion understands; any other part sends the rule to rrule-temporal. */
const FAST_PARTS = new Set(['FREQ', 'INTERVAL', 'BYDAY', 'BYHOUR', 'BYMINUTE', 'BYSECOND', 'BYMONTH', 'WKST', 'UNTIL']);

/** A DAILY or WEEKLY rule the engine expands with plain arithmetic. */
export interface FastRule {
  freq: 'DAILY' | 'WEEKLY';
  interval: number;
  /** Bit (1 << isoWeekday) per allowed weekday, Monday = 1; null when BYDAY is absent. */
  days: number | null;
  /** Bit (1 << month) per allowed month; null when BYMONTH is absent. */
  months: number | null;
  /** ISO weekday weeks start on (WKST, default Monday = 1). */
  wkst: number;
  /** Milliseconds after local midnight of each slot of a day, ascending. */
  times: number[];
  /** Last allowed instant (UNTIL, inclusive), or Infinity. */
  untilMs: number;
}

/** One slot rule, checked and prepared for expansion. */
export interface RulePlan {
  /** The rule for rrule-temporal, with the times of day DTSTART would supply written out. */
  text: string;
  freq: string;
  count: number | undefined;
  /** An upper bound on occurrences per millisecond, to size rrule-temporal queries. */
  rate: number;
  fast: FastRule | null;
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

function numbers(v: string | undefined, max: number): number[] | null {
  if (v === undefined) return null;
  const out = v.split(',').map((x) => (/^\d+$/.test(x) ? Number(x) : NaN));
  return out.every((n) => n <= max) ? [...new Set(out)].sort((a, b) => a - b) : null;
}

function buildPlan(text: string): RulePlan {
  const checked = slotRuleParts(text);
  if ('error' in checked) throw new RangeError(`slot rule "${text}": ${checked.error}`);
  const parts = checked.parts;
  const freq = parts.get('FREQ')!;
  // DTSTART sits at local midnight: write out the time parts it would supply, so
  // both engines agree even when midnight of the anchor day does not exist.
  const sub = freq === 'MINUTELY' ? ['BYSECOND'] : freq === 'HOURLY' ? ['BYMINUTE', 'BYSECOND'] : ['BYHOUR', 'BYMINUTE', 'BYSECOND'];
  for (const name of sub) if (!parts.has(name)) parts.set(name, '0');
  const size = (name: string) => parts.get(name)?.split(',').length ?? 1;
  const perPeriod = size('BYHOUR') * size('BYMINUTE') * size('BYSECOND');
  const rate = freq === 'MINUTELY' ? size('BYSECOND') / 60_000 : freq === 'HOURLY' ? (size('BYMINUTE') * size('BYSECOND')) / HOUR : perPeriod / DAY;
  const count = parts.has('COUNT') ? Number(parts.get('COUNT')) : undefined;
  const fast = fastRule(freq, parts);
  // A rule the direct expansion fully understands is valid; any other is checked by rrule-temporal.
  const full = fast ? null : parseSlotRule(text);
  if (full && 'error' in full) throw new RangeError(`slot rule "${text}": ${full.error}`);
  return {
    text: [...parts].map(([k, v]) => `${k}=${v}`).join(';'),
    freq,
    count,
    rate,
    fast,
  };
}

function fastRule(freq: string, parts: Map<string, string>): FastRule | null {
  if (freq !== 'DAILY' && freq !== 'WEEKLY') return null;
  for (const k of parts.keys()) if (!FAST_PARTS.has(k)) return null;
  const interval = Number(parts.get('INTERVAL') ?? '1');
  if (!Number.isSafeInteger(interval) || interval < 1) return null;
  const hours = numbers(parts.get('BYHOUR'), 23);
  const minutes = numbers(parts.get('BYMINUTE'), 59);
  const seconds = numbers(parts.get('BYSECOND'), 59);
  if (!hours || !minutes || !seconds) return null;
  const times: number[] = [];
  for (const h of hours) for (const m of minutes) for (const s of seconds) times.push(((h * 60 + m) * 60 + s) * 1000);
  let days: number | null = null;
  if (parts.has('BYDAY')) {
    days = 0;
    for (const d of parts.get('BYDAY')!.split(',')) {
      const i = WEEKDAYS.indexOf(d);
      if (i < 0) return null; // an ordinal such as 1MO: not a plain weekday
      days |= 1 << (i + 1);
    }
  }
  const monthList = numbers(parts.get('BYMONTH'), 12);
  if (parts.has('BYMONTH') && (!monthList || monthList.includes(0))) return null;
  const months = monthList ? monthList.reduce((bits, m) => bits | (1 << m), 0) : null;
  const wkst = parts.has('WKST') ? WEEKDAYS.indexOf(parts.get('WKST')!) + 1 : 1;
  if (wkst < 1) return null;
  let untilMs = Infinity;
  const until = parts.get('UNTIL');
  if (until !== undefined) {
    const m = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(until);
    if (!m || m[1]! < '1000') return null;
    const [y, mo, d, h, mi, s] = m.slice(1).map(Number) as [number, number, number, number, number, number];
    untilMs = Date.UTC(y, mo - 1, d, h, mi, s);
  }
  return { freq, interval, days, months, wkst, times, untilMs };
}
