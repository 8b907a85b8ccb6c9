import { daysInMonth, DAY_MS, epochDay } from './civil.js';
import { resolveZone, type Zone } from './zone-id.js';

const LOCAL = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,3}))?)?$/;

/**
 * A local wall-clock date-time (YYYY-MM-DDTHH:mm[:ss[.sss]], no offset) in the
 * IANA `zone` as an instant. A time in a DST gap moves forward by the gap's
 * length (02:30 on a spring-forward night in New York is 03:30 EDT); a
 * repeated time takes its first occurrence. That is Temporal's 'compatible'
 * disambiguation. Second 60 is read as 59. Throws RangeError on a malformed
 * time or an unknown zone.
 */
export function localToInstant(local: string, zone: string): Date {
  const m = LOCAL.exec(local);
  if (!m) throw new RangeError(`"${local}" is not a local date-time YYYY-MM-DDTHH:mm[:ss] without offset`);
  const [year, month, day, hour, minute] = [m[1], m[2], m[3], m[4], m[5]].map(Number) as [
    number,
    number,
    number,
    number,
    number,
  ];
  const second = Number(m[6] ?? 0);
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month) || hour > 23 || minute > 59 || second > 60) {
    throw new RangeError(`"${local}" is not a valid date and time`);
  }
  const z = resolveZone(zone);
  const wallSec = epochDay(year, month, day) * 86_400 + (hour * 60 + minute) * 60 + Math.min(second, 59);
  const ms = m[7] ? Number(m[7].padEnd(3, '0')) : 0;
  return new Date(compatibleSec(z, wallSec) * 1000 + ms);
}

/** The instants (seconds) that show the wall time `wallSec` in `z`: one, two in a fold (earlier first), none in a gap. */
function candidates(z: Zone, wallSec: number): number[] {
  // No zone has changed its offset twice within two days, so the offsets a day
  // either side bracket every change that can touch this wall time.
  const before = z.offsetSec(wallSec - 86_400);
  const after = z.offsetSec(wallSec + 86_400);
  if (before === after) return [wallSec - before];
  const near = z.offsetSec(wallSec - before);
  if (near === z.offsetSec(wallSec - after)) return [wallSec - near];
  return before > after ? [wallSec - before, wallSec - after] : [];
}

/** 'compatible': the only or earlier instant; in a gap, the wall time pushed forward by the gap's length. */
function compatibleSec(z: Zone, wallSec: number): number {
  const found = candidates(z, wallSec);
  if (found.length) return found[0]!;
  const gap = z.offsetSec(wallSec + 86_400) - z.offsetSec(wallSec - 86_400);
  if (gap > DAY_MS / 1000) throw new RangeError(`${z.id} skips more than a day there`);
  const shifted = candidates(z, wallSec + gap);
  if (!shifted.length) throw new RangeError(`${z.id} has no such wall time`);
  return shifted[shifted.length - 1]!;
}
