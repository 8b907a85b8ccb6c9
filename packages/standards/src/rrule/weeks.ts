// Weeks on epoch day numbers (days since 1970-01-01); dates and months are in time/civil.
import { epochDay } from '../time/civil.js';

/** ISO weekday (Monday 1 … Sunday 7) of an epoch day number (1970-01-01 was a Thursday). */
export function isoWeekday(day: number): number {
  return ((((day + 3) % 7) + 7) % 7) + 1;
}

/**
 * The first day of week 1 of year `y` for weeks starting on ISO weekday
 * `wkst`: RFC 5545 week 1 is the first week with at least four days in the
 * year, so it is the week holding 4 January.
 */
export function firstWeekStart(y: number, wkst: number): number {
  const jan4 = epochDay(y, 1, 4);
  return jan4 - ((isoWeekday(jan4) - wkst + 7) % 7);
}
