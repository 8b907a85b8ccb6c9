import { civilOf, DAY_MS, epochDay, isoYear, pad2 } from './civil.js';
import { offsetParts, parseIsoDateTime } from './iso-date-time.js';
import { resolveZone } from './zone-id.js';

/** Instants span ±10^8 days around the epoch (the range of Date and of Temporal.Instant). */
const LIMIT_MS = 1e8 * DAY_MS;

/** `date` as a UTC ISO 8601 string with milliseconds, the only form instants take on the wire. */
export function toIso(date: Date | number): string {
  return new Date(date).toISOString();
}

/**
 * Parses an ISO 8601 instant that carries `Z` or an offset and returns it in
 * UTC, or null when the text has no offset or is not a date-time. The grammar
 * is Temporal.Instant.from's (see iso-date-time.ts); the time is required, a
 * [zone] annotation is ignored, and nanoseconds are dropped towards the past.
 */
export function parseInstant(text: string): Date | null {
  const t = parseIsoDateTime(text);
  if (!t?.hasTime || (!t.utc && t.offset === undefined)) return null;
  const days = epochDay(t.year, t.month, t.day);
  // Far outside the range already (and past where a double counts milliseconds exactly).
  if (Math.abs(days) > 1e8 + 2) return null;
  const wallMs = days * DAY_MS + ((t.hour * 60 + t.minute) * 60 + t.second) * 1000 + Math.floor(t.nanos / 1e6);
  const off = t.offset === undefined ? { ms: 0, nanos: 0 } : offsetParts(t.offset);
  // The instant in nanoseconds is (wallMs - off.ms) * 1e6 + subNanos, with subNanos in (-1e6, 2e6).
  const subNanos = (t.nanos % 1e6) - off.nanos;
  const carry = Math.floor(subNanos / 1e6);
  const ms = wallMs - off.ms + carry;
  if (ms < -LIMIT_MS || ms > LIMIT_MS || (ms === LIMIT_MS && subNanos !== carry * 1e6)) return null;
  return new Date(ms);
}

/** The offset ±HH:MM rounded to the minute (half away from zero), as ISO strings with a zone show it. */
function offsetText(offsetSec: number): string {
  const minutes = Math.round(Math.abs(offsetSec) / 60);
  return `${offsetSec < 0 && minutes > 0 ? '-' : '+'}${pad2(Math.floor(minutes / 60))}:${pad2(minutes % 60)}`;
}

/**
 * The wall-clock time of `date` in `zone`, ISO 8601 with offset and zone (e.g.
 * 2026-03-08T09:30:00-04:00[America/New_York]), with its milliseconds when not zero.
 * Throws RangeError for an invalid or non-integer time, or an unknown zone.
 */
export function toLocal(date: Date | number, zone: string): string {
  const ms = typeof date === 'number' ? date : date.getTime();
  if (!Number.isInteger(ms) || Math.abs(ms) > LIMIT_MS) throw new RangeError(`${ms} is not an instant`);
  const z = resolveZone(zone);
  const sec = Math.floor(ms / 1000);
  const offset = z.offsetSec(sec);
  const c = civilOf(sec + offset);
  // Milliseconds are kept (as Temporal prints them: none when zero, no trailing zeros), so 09:29:59.999 never reads 09:29:59.
  const frac = ms - sec * 1000;
  const fraction = frac === 0 ? '' : `.${String(frac).padStart(3, '0').replace(/0+$/, '')}`;
  return `${isoYear(c.year)}-${pad2(c.month)}-${pad2(c.day)}T${pad2(c.hour)}:${pad2(c.minute)}:${pad2(c.second)}${fraction}${offsetText(offset)}[${z.id}]`;
}
