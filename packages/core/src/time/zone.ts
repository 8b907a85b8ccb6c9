import { resolveZone } from './zone-id.js';

const cache = new Map<string, string | null>();

/**
 * The canonical IANA id of `zone` (e.g. "europe/paris" → "Europe/Paris"), or null
 * when it is not an IANA zone. Fixed offsets such as "+02:00" are refused: they
 * do not follow daylight saving time, which is the point of a zone. A link is
 * kept as written in IANA case ("asia/calcutta" → "Asia/Calcutta"), not replaced
 * by its target: that is what Temporal's timeZoneId gave.
 */
export function canonicalZone(zone: string): string | null {
  const hit = cache.get(zone);
  if (hit !== undefined) return hit;
  let out: string | null = null;
  if (/^[A-Za-z]/.test(zone)) {
    try {
      out = resolveZone(zone).id;
    } catch {
      out = null;
    }
  }
  if (cache.size >= 10_000) cache.clear();
  cache.set(zone, out);
  return out;
}
