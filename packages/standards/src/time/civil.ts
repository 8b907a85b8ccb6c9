/** Proleptic Gregorian calendar arithmetic on plain numbers; nothing here reads a time zone. */

export const DAY_MS = 86_400_000;
/** 400 Gregorian years are exactly this many days: the calendar repeats every 400 years. */
const CYCLE_DAYS = 146_097;
const CYCLE_YEARS = 400;

export function isLeapYear(year: number): boolean {
  return year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
}

const MONTH_DAYS = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/** Days in `month` (1–12) of `year`. */
export function daysInMonth(year: number, month: number): number {
  return month === 2 && isLeapYear(year) ? 29 : MONTH_DAYS[month - 1]!;
}

/** Days since 1970-01-01 (an epoch day number) of a date, for any integer year (H. Hinnant's algorithm). */
export function epochDay(year: number, month: number, day: number): number {
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / CYCLE_YEARS);
  const yoe = y - era * CYCLE_YEARS;
  const doy = Math.floor((153 * (month > 2 ? month - 3 : month + 9) + 2) / 5) + day - 1;
  return era * CYCLE_DAYS + yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy - 719_468;
}

/** [year, month, day of month] of an epoch day number (H. Hinnant's algorithm), for any integer day. */
export function civilDate(day: number): [number, number, number] {
  const z = day + 719_468;
  const era = Math.floor(z / CYCLE_DAYS);
  const doe = z - era * CYCLE_DAYS;
  const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36_524) - Math.floor(doe / 146_096)) / 365);
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const m = mp < 10 ? mp + 3 : mp - 9;
  return [yoe + era * CYCLE_YEARS + (m <= 2 ? 1 : 0), m, doy - Math.floor((153 * mp + 2) / 5) + 1];
}

export interface Civil {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
}

/** The calendar date and time of `sec` seconds "as if UTC" (also past the range a Date holds). */
export function civilOf(sec: number): Civil {
  const days = Math.floor(sec / 86_400);
  const [year, month, day] = civilDate(days);
  const secOfDay = sec - days * 86_400;
  return {
    year,
    month,
    day,
    hour: Math.floor(secOfDay / 3600),
    minute: Math.floor(secOfDay / 60) % 60,
    second: secOfDay % 60,
  };
}

export function pad2(n: number): string {
  return n < 10 ? `0${n}` : String(n);
}

/** An ISO 8601 year: four digits within 0000–9999, else signed six digits (e.g. -000005, +275760). */
export function isoYear(year: number): string {
  if (year >= 0 && year <= 9999) return String(year).padStart(4, '0');
  return (year < 0 ? '-' : '+') + String(Math.abs(year)).padStart(6, '0');
}
