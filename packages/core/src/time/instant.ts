import { Temporal } from 'temporal-polyfill';

/** `date` as a UTC ISO 8601 string with milliseconds, the only form instants take on the wire. */
export function toIso(date: Date | number): string {
  return new Date(date).toISOString();
}

/**
 * Parses an ISO 8601 instant that carries `Z` or an offset and returns it in
 * UTC, or null when the text has no offset or is not a date-time.
 */
export function parseInstant(text: string): Date | null {
  try {
    return new Date(Temporal.Instant.from(text).epochMilliseconds);
  } catch {
    return null;
  }
}

/** The wall-clock time of `date` in `zone`, ISO 8601 with offset and zone (e.g. 2026-03-08T09:30:00-04:00[America/New_York]). */
export function toLocal(date: Date | number, zone: string): string {
  const ms = typeof date === 'number' ? date : date.getTime();
  return Temporal.Instant.fromEpochMilliseconds(ms)
    .toZonedDateTimeISO(zone)
    .toString({ smallestUnit: 'second' });
}
