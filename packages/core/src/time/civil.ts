/** Proleptic Gregorian calendar arithmetic on plain numbers; nothing here reads a time zone. */

export const DAY_MS = 86_400_000;
/** 400 Gregorian years are exactly this many days, so shifting a date by whole cycles keeps its month and day. */
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

/**
 * Days since 1970-01-01 of a date, for any integer year. Date.UTC only does
 * years it can hold (and reads 0–99 as 1900–1999), so the year is first moved
 * into 1970–2369 by whole 400-year cycles.
 */
export function epochDay(year: number, month: number, day: number): number {
  const cycles = Math.floor((year - 1970) / CYCLE_YEARS);
  return Date.UTC(year - cycles * CYCLE_YEARS, month - 1, day) / DAY_MS + cycles * CYCLE_DAYS;
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
  const cycles = Math.floor(days / CYCLE_DAYS);
  const d = new Date((days - cycles * CYCLE_DAYS) * DAY_MS);
  const secOfDay = sec - days * 86_400;
  return {
    year: d.getUTCFullYear() + cycles * CYCLE_YEARS,
    month: d.getUTCMonth() + 1,
    day: d.getUTCDate(),
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
