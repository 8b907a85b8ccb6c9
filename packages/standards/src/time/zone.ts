import { memoized } from '../memoized.js';
import { resolveZone } from './zone-id.js';

/**
 * The canonical IANA id of `zone` (e.g. "europe/paris" → "Europe/Paris"), or null
 * when it is not an IANA zone. Fixed offsets such as "+02:00" are refused: they
 * do not follow daylight saving time, which is the point of a zone. A link is
 * kept as written in IANA case ("asia/calcutta" → "Asia/Calcutta"), not replaced
 * by its target: that is what Temporal's timeZoneId gave.
 */
export const canonicalZone: (zone: string) => string | null = memoized((zone) => {
  if (!/^[A-Za-z]/.test(zone)) return null;
  try {
    return resolveZone(zone).id;
  } catch {
    return null;
  }
}, 10_000);
