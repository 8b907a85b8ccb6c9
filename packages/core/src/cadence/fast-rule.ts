const WEEKDAYS = ['MO', 'TU', 'WE', 'TH', 'FR', 'SA', 'SU'];
/** Parts the direct expansion understands; any other part (COUNT, BYWEEKNO, BYYEARDAY…) sends the rule to rrule-temporal. */
const FAST_PARTS = new Set(['FREQ', 'INTERVAL', 'BYDAY', 'BYMONTHDAY', 'BYHOUR', 'BYMINUTE', 'BYSECOND', 'BYMONTH', 'BYSETPOS', 'WKST', 'UNTIL']);

/** A MINUTELY, HOURLY, DAILY, WEEKLY, MONTHLY or YEARLY rule the engine expands with plain arithmetic. */
export interface FastRule {
  freq: 'MINUTELY' | 'HOURLY' | 'DAILY' | 'WEEKLY' | 'MONTHLY' | 'YEARLY';
  interval: number;
  /** Bit (1 << isoWeekday) per weekday BYDAY names without an ordinal, Monday = 1; null when BYDAY is absent. */
  days: number | null;
  /** MONTHLY BYDAY entries with an ordinal, as [n, isoWeekday] (1MO = [1, 1], -1FR = [-1, 5]). */
  nth: [number, number][];
  /** BYMONTHDAY values (negative counts from the month's end); null when absent. */
  monthDays: number[] | null;
  /** Bit (1 << month) per allowed month; null when BYMONTH is absent. */
  months: number | null;
  /** MONTHLY BYSETPOS: positions (negative from the end) in each month's set of slots; null when absent. */
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

function numbers(v: string | undefined, min: number, max: number): number[] | null {
  if (v === undefined) return null;
  const out = v.split(',').map((x) => (/^[+-]?\d+$/.test(x) ? Number(x) : NaN));
  return out.every((n) => Math.abs(n) >= min && Math.abs(n) <= max) ? [...new Set(out)].sort((a, b) => a - b) : null;
}

/**
 * The rule as a FastRule, or null when the direct expansion does not claim
 * it. `parts` are normalised (upper case) and carry BYHOUR, BYMINUTE and
 * BYSECOND (written out from DTSTART where the rule had none). A rule this
 * returns is fully validated: nothing here accepts what rrule-temporal refuses.
 */
export function fastRule(freq: string, parts: Map<string, string>): FastRule | null {
  if (freq !== 'MINUTELY' && freq !== 'HOURLY' && freq !== 'DAILY' && freq !== 'WEEKLY' && freq !== 'MONTHLY' && freq !== 'YEARLY') return null;
  for (const k of parts.keys()) if (!FAST_PARTS.has(k)) return null;
  const interval = Number(parts.get('INTERVAL') ?? '1');
  if (!Number.isSafeInteger(interval) || interval < 1) return null;
  const sub = freq === 'HOURLY' || freq === 'MINUTELY';
  const hours = numbers(parts.get('BYHOUR') ?? (sub ? '0' : undefined), 0, 23);
  const minutes = numbers(parts.get('BYMINUTE') ?? (freq === 'MINUTELY' ? '0' : undefined), 0, 59);
  const seconds = numbers(parts.get('BYSECOND'), 0, 59);
  if (!hours || !minutes || !seconds || [...hours, ...minutes, ...seconds].some((n) => n < 0)) return null;
  const times: number[] = [];
  if (!sub) for (const h of hours) for (const m of minutes) for (const s of seconds) times.push(((h * 60 + m) * 60 + s) * 1000);
  const mask = (list: number[], size: number) => Array.from({ length: size }, (_, i) => list.includes(i));
  const hourOk = sub && parts.has('BYHOUR') ? mask(hours, 24) : null;
  const minuteOk = freq === 'MINUTELY' && parts.has('BYMINUTE') ? mask(minutes, 60) : null;
  const offsets: number[] = [];
  if (freq === 'HOURLY') for (const m of minutes) for (const s of seconds) offsets.push((m * 60 + s) * 1000);
  if (freq === 'MINUTELY') for (const s of seconds) offsets.push(s * 1000);
  let days: number | null = null;
  const nth: [number, number][] = [];
  if (parts.has('BYDAY')) {
    days = 0;
    for (const token of parts.get('BYDAY')!.split(',')) {
      const m = /^([+-]?\d{1,2})?(MO|TU|WE|TH|FR|SA|SU)$/.exec(token);
      if (!m) return null;
      const dow = WEEKDAYS.indexOf(m[2]!) + 1;
      if (m[1] === undefined) days |= 1 << dow;
      else {
        const n = Number(m[1]);
        // Ordinals count within a month: MONTHLY, or YEARLY with BYMONTH (a YEARLY 20MO, counted in the year,
        // goes to rrule-temporal). A month has at most 5 of a weekday.
        if (!(freq === 'MONTHLY' || (freq === 'YEARLY' && parts.has('BYMONTH'))) || n === 0 || Math.abs(n) > 5) return null;
        nth.push([n, dow]);
      }
    }
  }
  let monthDays: number[] | null = null;
  if (parts.has('BYMONTHDAY')) {
    // RFC 5545: BYMONTHDAY is not for WEEKLY rules.
    monthDays = freq === 'WEEKLY' ? null : numbers(parts.get('BYMONTHDAY'), 1, 31);
    if (!monthDays) return null;
  }
  let months: number | null = null;
  if (parts.has('BYMONTH')) {
    const list = numbers(parts.get('BYMONTH'), 1, 12);
    if (!list || list.some((n) => n < 0)) return null;
    months = list.reduce((bits, n) => bits | (1 << n), 0);
  }
  let setPos: number[] | null = null;
  if (parts.has('BYSETPOS')) {
    // RFC 5545: BYSETPOS selects among what another BYxxx part builds.
    setPos = freq === 'MONTHLY' && (parts.has('BYDAY') || parts.has('BYMONTHDAY')) ? numbers(parts.get('BYSETPOS'), 1, 366) : null;
    if (!setPos) return null;
  }
  const wkst = parts.has('WKST') ? WEEKDAYS.indexOf(parts.get('WKST')!) + 1 : 1;
  if (wkst < 1) return null;
  let untilMs = Infinity;
  const until = parts.get('UNTIL');
  if (until !== undefined) {
    const m = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(until);
    if (!m || m[1]! < '1000') return null;
    const [y, mo, d, h, mi, s] = m.slice(1).map(Number) as [number, number, number, number, number, number];
    untilMs = Date.UTC(y, mo - 1, d, h, mi, s);
    if (new Date(untilMs).getUTCDate() !== d || h > 23 || mi > 59 || s > 59) return null;
  }
  return { freq, interval, days, nth, monthDays, months, setPos, wkst, times, hourOk, minuteOk, offsets, untilMs };
}
