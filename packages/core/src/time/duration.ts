import { Temporal } from 'temporal-polyfill';

/**
 * Parses an ISO 8601 duration of fixed length (weeks, days, hours, minutes,
 * seconds) into milliseconds. A day counts as 24 hours: cadence gaps are
 * measured on the time line, not the wall clock. Years and months have no fixed
 * length and are refused. Returns an error message instead of throwing.
 */
export function parseDurationMs(text: string): { ms: number } | { error: string } {
  let d: Temporal.Duration;
  try {
    d = Temporal.Duration.from(text);
  } catch {
    return { error: `"${text}" is not an ISO 8601 duration (e.g. PT48H, P7D, PT30S)` };
  }
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
