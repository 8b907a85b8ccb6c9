import { daysInMonth } from './civil.js';

/*
 * The ISO 8601 / RFC 3339 date-time grammar with RFC 9557 suffixes, as
 * Temporal reads it: extended (2026-03-02T14:30:00) or basic (20260302T143000)
 * form, a date separator and a time separator each used consistently, `T`,
 * `t` or a space before the time, minutes and seconds optional, a fraction of
 * up to nine digits after `.` or `,`, second 60 read as 59, then `Z` or a
 * numeric offset (which may carry seconds and a fraction), then an optional
 * [zone] annotation and [key=value] annotations.
 */
const HOUR = '(?:[01]\\d|2[0-3])';
const MINUTE = '[0-5]\\d';
const DATE = '(\\d{4}|[+-]\\d{6})(-?)(0[1-9]|1[0-2])\\2(0[1-9]|[12]\\d|3[01])';
const TIME = `(${HOUR})(?:(:?)(${MINUTE})(?:\\6(${MINUTE}|60)(?:[.,](\\d{1,9}))?)?)?`;
const OFFSET = `[+-]${HOUR}(?:(:?)${MINUTE}(?:\\12${MINUTE}(?:[.,]\\d{1,9})?)?)?`;
const ZONE_NAME_PART = '[A-Za-z._][\\w.+-]*';
const ZONE = `\\[!?([+-]${HOUR}(?::?${MINUTE})?|${ZONE_NAME_PART}(?:/${ZONE_NAME_PART})*)\\]`;
const ANNOTATIONS = '((?:\\[!?[a-z_][a-z\\d_-]*=[A-Za-z\\d]+(?:-[A-Za-z\\d]+)*\\])*)';
// Groups: 1 year, 2 date separator, 3 month, 4 day, 5 hour, 6 time separator, 7 minute, 8 second,
// 9 fraction, 10 Z, 11 offset, 12 offset separator, 13 zone annotation, 14 other annotations.
const DATE_TIME = new RegExp(`^${DATE}(?:[Tt ]${TIME}(?:([Zz])|(${OFFSET}))?)?(?:${ZONE})?${ANNOTATIONS}$`);
const ANNOTATION = /\[(!?)([^=]+)=[^\]]+\]/g;

export interface IsoDateTime {
  year: number;
  month: number;
  day: number;
  hasTime: boolean;
  hour: number;
  minute: number;
  second: number;
  /** The fraction of the second in nanoseconds (0–999,999,999). */
  nanos: number;
  /** `Z` (or `z`) was given. */
  utc: boolean;
  /** The numeric offset as written (e.g. "+01:00", "-0530", "+01:00:30.5"), if any. */
  offset: string | undefined;
  /** The [zone] annotation's content, if any. */
  zone: string | undefined;
}

/** Nanoseconds of a fraction written with up to nine digits ("5" is half a second). */
export function fractionNanos(digits: string | undefined): number {
  return digits ? Number(digits.padEnd(9, '0')) : 0;
}

/**
 * Parses `text` by the grammar above; null when it does not match, names an
 * impossible date (2026-02-30), writes year -000000, or carries an
 * annotation that must not be ignored ([!key=value] other than a calendar, or
 * two calendars when one is critical).
 */
export function parseIsoDateTime(text: string): IsoDateTime | null {
  const m = DATE_TIME.exec(text);
  if (!m) return null;
  if (m[1] === '-000000') return null;
  const year = Number(m[1]);
  const month = Number(m[3]);
  const day = Number(m[4]);
  if (day > daysInMonth(year, month)) return null;
  if (!annotationsAllowed(m[14]!)) return null;
  return {
    year,
    month,
    day,
    hasTime: m[5] !== undefined,
    hour: m[5] ? Number(m[5]) : 0,
    minute: m[7] ? Number(m[7]) : 0,
    second: m[8] ? Math.min(Number(m[8]), 59) : 0,
    nanos: fractionNanos(m[9]),
    utc: m[10] !== undefined,
    offset: m[11],
    zone: m[13],
  };
}

/** Only the calendar (u-ca) may be critical; several calendars are refused when one of them is. */
function annotationsAllowed(annotations: string): boolean {
  if (!annotations) return true;
  let calendars = 0;
  let criticalCalendar = false;
  for (const [, critical, key] of annotations.matchAll(ANNOTATION)) {
    if (key === 'u-ca') {
      calendars++;
      if (critical) criticalCalendar = true;
    } else if (critical) return false;
  }
  return !(calendars > 1 && criticalCalendar);
}

const OFFSET_PARTS = /^([+-])(\d{2})(?::?(\d{2})(?::?(\d{2})(?:[.,](\d{1,9}))?)?)?$/;

/** A numeric offset matched by the grammar above, as whole milliseconds and the nanoseconds beyond them, both signed. */
export function offsetParts(offset: string): { ms: number; nanos: number } {
  const m = OFFSET_PARTS.exec(offset)!;
  const sign = m[1] === '-' ? -1 : 1;
  const frac = fractionNanos(m[5]);
  const ms = Number(m[2]) * 3_600_000 + Number(m[3] ?? 0) * 60_000 + Number(m[4] ?? 0) * 1000 + Math.floor(frac / 1e6);
  return { ms: sign * ms, nanos: sign * (frac % 1e6) };
}
