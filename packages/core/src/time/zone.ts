import { Temporal } from 'temporal-polyfill';

const cache = new Map<string, string | null>();

/**
 * The canonical IANA id of `zone` (e.g. "europe/paris" → "Europe/Paris"), or null
 * when it is not an IANA zone. Fixed offsets such as "+02:00" are refused: they
 * do not follow daylight saving time, which is the point of a zone.
 */
export function canonicalZone(zone: string): string | null {
  const hit = cache.get(zone);
  if (hit !== undefined) return hit;
  let out: string | null = null;
  if (/^[A-Za-z]/.test(zone)) {
    try {
      out = Temporal.Now.zonedDateTimeISO(zone).timeZoneId;
    } catch {
      out = null;
    }
  }
  cache.set(zone, out);
  return out;
}
