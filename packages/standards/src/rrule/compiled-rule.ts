import { weekNoMonths, yearDayMonths } from './month-reach.js';
import { occurrencesADay, occurrencesADayError } from './occurrences-a-day.js';

const WEEKDAYS = ['MO', 'TU', 'WE', 'TH', 'FR', 'SA', 'SU'];
/** The RFC 5545 rule parts the engine expands. */
const PARTS = new Set([
  'FREQ',
  'UNTIL',
  'COUNT',
  'INTERVAL',
  'BYSECOND',
  'BYMINUTE',
  'BYHOUR',
  'BYDAY',
  'BYMONTHDAY',
  'BYYEARDAY',
  'BYWEEKNO',
  'BYMONTH',
  'BYSETPOS',
  'WKST',
]);
/** The most days each month (1…12) can have. */
const LONGEST_MONTH = [0, 31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
type Freq = 'MINUTELY' | 'HOURLY' | 'DAILY' | 'WEEKLY' | 'MONTHLY' | 'YEARLY';

/** A slot rule read into the numbers the expansion works with (RFC 5545 §3.3.10). */
export interface CompiledRule {
  freq: Freq;
  interval: number;
  /** Bit (1 << isoWeekday) per weekday BYDAY names without an ordinal, Monday = 1; null when BYDAY is absent. */
  days: number | null;
  /** BYDAY entries with an ordinal, as [n, isoWeekday] (1MO = [1, 1], -1FR = [-1, 5]). */
  nth: [number, number][];
  /** Whether ordinals count within the year (YEARLY without BYMONTH) rather than the month. */
  nthInYear: boolean;
  /** BYMONTHDAY values (negative counts from the month's end); null when absent. */
  monthDays: number[] | null;
  /** BYYEARDAY values (negative counts from the year's end); null when absent. */
  yearDays: number[] | null;
  /** BYWEEKNO values (negative counts from the year's last week); null when absent. */
  weekNos: number[] | null;
  /** Bit (1 << month) per allowed month; null when BYMONTH is absent. */
  months: number | null;
  /** BYSETPOS: positions (negative from the end) in each period's set of slots; null when absent. */
  setPos: number[] | null;
  /** ISO weekday weeks start on (WKST, default Monday = 1). */
  wkst: number;
  /** DAILY and longer: milliseconds after local midnight of each slot of a day, ascending. */
  times: number[];
  /** HOURLY and MINUTELY: the hours (BYHOUR) and, for MINUTELY, minutes (BYMINUTE) a period may start in; null when any. */
  hourOk: boolean[] | null;
  minuteOk: boolean[] | null;
  /** HOURLY and MINUTELY: milliseconds after the start of a period's wall hour (HOURLY) or minute (MINUTELY) of each slot, ascending. */
  offsets: number[];
  /** Last allowed instant (UNTIL, inclusive), or Infinity. */
  untilMs: number;
}

/** Sorted distinct whole numbers of a checked list (rruleParts has checked their ranges). */
function numbers(v: string | undefined): number[] | null {
  if (v === undefined) return null;
  return [...new Set(v.split(',').map(Number))].sort((a, b) => a - b);
}

/**
 * The rule read for expansion, or why it is refused. `parts` are normalised
 * (upper case) and range-checked by rruleParts. Refused: parts outside RFC
 * 5545 (RSCALE and SKIP are RFC 7529's other calendars), the combinations RFC
 * 5545 forbids, ordinals and BYMONTHDAY, BYWEEKNO or BYYEARDAY values that
 * can never occur (in their BYMONTH), and rules giving more than
 * MAX_OCCURRENCES_A_DAY slots a day (./occurrences-a-day.ts). A missing BYHOUR, BYMINUTE
 * or BYSECOND is DTSTART's: 0, as DTSTART sits at local midnight.
 */
export function compileRule(parts: Map<string, string>): { rule: CompiledRule } | { error: string } {
  for (const k of parts.keys()) {
    if (k === 'RSCALE' || k === 'SKIP')
      return { error: `${k} (RFC 7529) is not supported: slot rules use the Gregorian calendar` };
    if (!PARTS.has(k)) return { error: `${k} is not an RFC 5545 rule part` };
  }
  const freq = parts.get('FREQ') as Freq;
  const has = (k: string) => parts.has(k);
  if (has('COUNT') && has('UNTIL')) return { error: 'COUNT and UNTIL cannot both be given' };
  if (has('BYWEEKNO') && freq !== 'YEARLY') return { error: 'BYWEEKNO is only allowed with FREQ=YEARLY' };
  if (has('BYYEARDAY') && (freq === 'DAILY' || freq === 'WEEKLY' || freq === 'MONTHLY'))
    return { error: `BYYEARDAY is not allowed with FREQ=${freq}` };
  if (has('BYMONTHDAY') && freq === 'WEEKLY') return { error: 'BYMONTHDAY is not allowed with FREQ=WEEKLY' };
  if (has('BYSETPOS') && ![...parts.keys()].some((k) => k.startsWith('BY') && k !== 'BYSETPOS'))
    return { error: 'BYSETPOS needs another BYxxx rule part to select from' };
  const interval = Number(parts.get('INTERVAL') ?? '1');
  const size = (k: string) => (has(k) ? numbers(parts.get(k))!.length : null);
  const tooMany = occurrencesADayError(
    freq,
    occurrencesADay(freq, interval, size('BYHOUR'), size('BYMINUTE'), size('BYSECOND')),
  );
  if (tooMany) return { error: tooMany };
  const sub = freq === 'HOURLY' || freq === 'MINUTELY';
  const hours = numbers(parts.get('BYHOUR') ?? '0')!;
  const minutes = numbers(parts.get('BYMINUTE') ?? '0')!;
  const seconds = numbers(parts.get('BYSECOND') ?? '0')!;
  const times: number[] = [];
  if (!sub)
    for (const h of hours) for (const m of minutes) for (const s of seconds) times.push(((h * 60 + m) * 60 + s) * 1000);
  const mask = (list: number[], size: number) => Array.from({ length: size }, (_, i) => list.includes(i));
  const hourOk = sub && has('BYHOUR') ? mask(hours, 24) : null;
  const minuteOk = freq === 'MINUTELY' && has('BYMINUTE') ? mask(minutes, 60) : null;
  const offsets: number[] = [];
  if (freq === 'HOURLY') for (const m of minutes) for (const s of seconds) offsets.push((m * 60 + s) * 1000);
  if (freq === 'MINUTELY') for (const s of seconds) offsets.push(s * 1000);
  const nthInYear = freq === 'YEARLY' && !has('BYMONTH');
  let days: number | null = null;
  const nth: [number, number][] = [];
  if (has('BYDAY')) {
    days = 0;
    for (const token of parts.get('BYDAY')!.split(',')) {
      const m = /^([+-]?\d{1,2})?(MO|TU|WE|TH|FR|SA|SU)$/.exec(token);
      if (!m)
        return {
          error: `BYDAY=${token}: each value must be a weekday (MO…SU), optionally after an ordinal (1MO, -1FR)`,
        };
      const dow = WEEKDAYS.indexOf(m[2]!) + 1;
      if (m[1] === undefined) {
        days |= 1 << dow;
        continue;
      }
      const n = Number(m[1]);
      if (freq !== 'MONTHLY' && freq !== 'YEARLY')
        return { error: `BYDAY=${token}: an ordinal weekday needs FREQ=MONTHLY or FREQ=YEARLY` };
      if (has('BYWEEKNO')) return { error: `BYDAY=${token}: an ordinal weekday is not allowed with BYWEEKNO` };
      const max = nthInYear ? 53 : 5;
      if (n === 0 || Math.abs(n) > max)
        return {
          error: `BYDAY=${token}: the ordinal must be ±1…${max} (${nthInYear ? 'a year' : 'a month'} has at most ${max} of each weekday)`,
        };
      nth.push([n, dow]);
    }
  }
  const monthList = numbers(parts.get('BYMONTH'));
  const months = monthList === null ? null : monthList.reduce((bits, n) => bits | (1 << n), 0);
  const monthDays = numbers(parts.get('BYMONTHDAY'));
  if (
    monthDays !== null &&
    monthList !== null &&
    !monthList.some((m) => monthDays.some((n) => Math.abs(n) <= LONGEST_MONTH[m]!))
  ) {
    return { error: `BYMONTHDAY=${parts.get('BYMONTHDAY')} never falls in BYMONTH=${parts.get('BYMONTH')}` };
  }
  const wkst = has('WKST') ? WEEKDAYS.indexOf(parts.get('WKST')!) + 1 : 1;
  if (wkst < 1) return { error: `WKST=${parts.get('WKST')}: must be a weekday (MO…SU)` };
  const weekNos = numbers(parts.get('BYWEEKNO'));
  if (weekNos !== null && months !== null && !(weekNoMonths(weekNos, wkst) & months)) {
    return { error: `BYWEEKNO=${parts.get('BYWEEKNO')} never falls in BYMONTH=${parts.get('BYMONTH')}` };
  }
  const yearDays = numbers(parts.get('BYYEARDAY'));
  if (yearDays !== null && months !== null && !(yearDayMonths(yearDays) & months)) {
    return { error: `BYYEARDAY=${parts.get('BYYEARDAY')} never falls in BYMONTH=${parts.get('BYMONTH')}` };
  }
  let setPos = numbers(parts.get('BYSETPOS'));
  if (setPos !== null && sub) {
    // An HOURLY or MINUTELY period holds at most one slot per offset: a position past
    // them never picks, and a rule left with none would walk every period for nothing.
    setPos = setPos.filter((n) => Math.abs(n) <= offsets.length);
    if (setPos.length === 0) {
      const each = offsets.length === 1 ? '1 slot' : `${offsets.length} slots`;
      return {
        error: `BYSETPOS=${parts.get('BYSETPOS')} never picks: each ${freq === 'HOURLY' ? 'hour' : 'minute'} of this rule holds ${each}`,
      };
    }
  }
  let untilMs = Infinity;
  const until = parts.get('UNTIL');
  if (until !== undefined) {
    const m = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(until);
    if (!m) return { error: `UNTIL=${until}: must be a UTC date-time such as 20261231T235959Z` };
    const [y, mo, d, h, mi, s] = m.slice(1).map(Number) as [number, number, number, number, number, number];
    untilMs = Date.UTC(y, mo - 1, d, h, mi, s);
    if (y < 1000 || mo < 1 || mo > 12 || new Date(untilMs).getUTCDate() !== d || h > 23 || mi > 59 || s > 59)
      return { error: `UNTIL=${until}: not a valid date-time` };
  }
  const rule: CompiledRule = {
    freq,
    interval,
    days,
    nth,
    nthInYear,
    monthDays,
    yearDays,
    weekNos,
    months,
    setPos,
    wkst,
    times,
    hourOk,
    minuteOk,
    offsets,
    untilMs,
  };
  return { rule };
}
