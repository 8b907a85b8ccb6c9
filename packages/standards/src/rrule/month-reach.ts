import { civilDate, epochDay, isLeapYear } from '../time/civil.js';
import { firstWeekStart } from './weeks.js';

/** Years 2001–2028 hold every kind of year (weekday of 1 January × leap or not), so every layout of weeks. */
const CYCLE = Array.from({ length: 28 }, (_, i) => 2001 + i);

/** Where `n` (negative: counted from the end) falls among `size` positions 1…size. */
function at(n: number, size: number): number {
  return n > 0 ? n : size + 1 + n;
}

/** Bit (1 << month) per month some day of the BYWEEKNO weeks `weekNos` can fall in, weeks starting on ISO weekday `wkst`. */
export function weekNoMonths(weekNos: number[], wkst: number): number {
  let bits = 0;
  for (const y of CYCLE) {
    const start = firstWeekStart(y, wkst);
    const weeks = (firstWeekStart(y + 1, wkst) - start) / 7;
    for (const w of weekNos) {
      const n = at(w, weeks);
      if (n < 1 || n > weeks) continue;
      for (let d = start + (n - 1) * 7; d < start + n * 7; d++) bits |= 1 << civilDate(d)[1];
    }
  }
  return bits;
}

/** Bit (1 << month) per month the BYYEARDAY days `yearDays` can fall in. */
export function yearDayMonths(yearDays: number[]): number {
  let bits = 0;
  for (const y of [2001, 2004]) {
    const size = isLeapYear(y) ? 366 : 365;
    for (const n of yearDays) {
      const doy = at(n, size);
      if (doy >= 1 && doy <= size) bits |= 1 << civilDate(epochDay(y, 1, 1) + doy - 1)[1];
    }
  }
  return bits;
}
