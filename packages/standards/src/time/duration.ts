import { fractionNanos } from './iso-date-time.js';

/**
 * ISO 8601 durations as Temporal.Duration.from read them: an optional sign,
 * P, then Y, M, W, D and after T the H, M, S components, each optional but
 * at least one present, any letter case; the last component may have a
 * fraction of up to nine digits after `.` or `,`.
 */
const DURATION =
  /^([+-])?P(?:(\d+)Y)?(?:(\d+)M)?(?:(\d+)W)?(?:(\d+)D)?(?:T(?:(\d+)(?:[.,](\d{1,9}))?H)?(?:(\d+)(?:[.,](\d{1,9}))?M)?(?:(\d+)(?:[.,](\d{1,9}))?S)?)?$/i;
/** Refused although DURATION matches: nothing after P or after T, or a component after a fractional one. */
const INCOMPLETE = /[PT]$|[.,]\d+[HMS]./i;
/** Temporal's bound on years, months and weeks. */
const MAX_CALENDAR_UNIT = 4_294_967_295;
const NS_PER_SEC = 1_000_000_000n;

/** The duration's fields, or null when Temporal refused it (not the grammar, or out of its bounds). */
function durationFields(text: string): DurationFields | null {
  const m = DURATION.exec(text);
  if (!m || INCOMPLETE.test(text)) return null;
  const int = (s: string | undefined) => (s === undefined ? 0 : parseInt(s, 10));
  // A fraction of an hour or minute spills into the smaller units, down to nanoseconds.
  let frac = 3600 * fractionNanos(m[7]) + 60 * fractionNanos(m[9]) + fractionNanos(m[11]);
  const fracMinutes = Math.trunc(frac / 60e9);
  frac -= fracMinutes * 60e9;
  const fracSeconds = Math.trunc(frac / 1e9);
  frac -= fracSeconds * 1e9;
  const f = {
    years: int(m[2]),
    months: int(m[3]),
    weeks: int(m[4]),
    days: int(m[5]),
    hours: int(m[6]),
    minutes: int(m[8]) + fracMinutes,
    seconds: int(m[10]) + fracSeconds,
    milliseconds: Math.trunc(frac / 1e6),
    microseconds: Math.trunc((frac % 1e6) / 1e3),
    nanoseconds: frac % 1e3,
  };
  if (f.years > MAX_CALENDAR_UNIT || f.months > MAX_CALENDAR_UNIT || f.weeks > MAX_CALENDAR_UNIT) return null;
  // Days and time together must stay within 2^53 seconds (counted exactly, as Temporal does).
  if (!Number.isFinite(f.days + f.hours + f.minutes + f.seconds)) return null;
  const nanos =
    BigInt(f.days) * 86_400n * NS_PER_SEC +
    BigInt(f.hours) * 3600n * NS_PER_SEC +
    BigInt(f.minutes) * 60n * NS_PER_SEC +
    BigInt(f.seconds) * NS_PER_SEC +
    BigInt(f.milliseconds) * 1_000_000n +
    BigInt(f.microseconds) * 1000n +
    BigInt(f.nanoseconds);
  if (!Number.isSafeInteger(Number(nanos / NS_PER_SEC))) return null;
  const negative = m[1] === '-';
  const sign = Object.values(f).some((v) => v !== 0) ? (negative ? -1 : 1) : 0;
  return { ...f, sign };
}

/** The fields of a duration that count towards its length (Temporal.Duration has them too). */
export interface DurationFields {
  years: number;
  months: number;
  weeks: number;
  days: number;
  hours: number;
  minutes: number;
  seconds: number;
  milliseconds: number;
  microseconds: number;
  sign: number;
}

/**
 * Parses an ISO 8601 duration of fixed length (weeks, days, hours, minutes,
 * seconds) into milliseconds. A day counts as 24 hours: cadence gaps are
 * measured on the time line, not the wall clock. Years and months have no fixed
 * length and are refused. Returns an error message instead of throwing.
 */
export function parseDurationMs(text: string): { ms: number } | { error: string } {
  return fixedLengthMs(text, durationFields(text));
}

/** The milliseconds of `text` read as `d` (null: it is not a duration), or why it has none. */
export function fixedLengthMs(text: string, d: DurationFields | null): { ms: number } | { error: string } {
  if (!d) return { error: `"${text}" is not an ISO 8601 duration (e.g. PT48H, P7D, PT30S)` };
  if (d.years !== 0 || d.months !== 0) {
    return { error: 'years and months have no fixed length; use weeks, days or hours (e.g. P4W)' };
  }
  if (d.sign <= 0) return { error: 'must be a positive duration' };
  const ms =
    d.weeks * 7 * 86_400_000 +
    d.days * 86_400_000 +
    d.hours * 3_600_000 +
    d.minutes * 60_000 +
    d.seconds * 1000 +
    d.milliseconds +
    Math.floor(d.microseconds / 1000);
  return { ms };
}

/** Milliseconds of a duration already validated by the schemas; throws on bad input. */
export function durationMs(text: string): number {
  const r = parseDurationMs(text);
  if ('error' in r) throw new RangeError(r.error);
  return r.ms;
}
