/** Proleptic Gregorian calendar arithmetic on epoch day numbers (days since 1970-01-01). */

/** ISO weekday (Monday 1 … Sunday 7) of an epoch day number (1970-01-01 was a Thursday). */
export function isoWeekday(day: number): number {
  return ((((day + 3) % 7) + 7) % 7) + 1;
}

/** [year, month, day of month] of an epoch day number (H. Hinnant's algorithm). */
export function civil(day: number): [number, number, number] {
  const z = day + 719_468;
  const era = Math.floor(z / 146_097);
  const doe = z - era * 146_097;
  const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36_524) - Math.floor(doe / 146_096)) / 365);
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const m = mp < 10 ? mp + 3 : mp - 9;
  return [yoe + era * 400 + (m <= 2 ? 1 : 0), m, doy - Math.floor((153 * mp + 2) / 5) + 1];
}

/** Epoch day number of a date (H. Hinnant's algorithm). */
export function epochDay(y: number, m: number, d: number): number {
  const yy = m <= 2 ? y - 1 : y;
  const era = Math.floor(yy / 400);
  const yoe = yy - era * 400;
  const doy = Math.floor((153 * (m > 2 ? m - 3 : m + 9) + 2) / 5) + d - 1;
  return era * 146_097 + yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy - 719_468;
}

export function isLeap(y: number): boolean {
  return y % 4 === 0 && (y % 100 !== 0 || y % 400 === 0);
}

export function daysInMonth(y: number, m: number): number {
  return m === 2 ? (isLeap(y) ? 29 : 28) : m === 4 || m === 6 || m === 9 || m === 11 ? 30 : 31;
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
