import { memoized } from '../memoized.js';
import { resolveZone, type Zone } from './zone-id.js';

const DAY = 86_400_000;
/** No zone's offset has ever been more than ±26 h, so every candidate offset of a wall time sits within this reach. */
const REACH = 27 * 3_600_000;
/**
 * The table samples the offset every STEP seconds and bisects each change to
 * the second (offsets and transitions in tz data are whole seconds, so that is
 * exact to the millisecond). A step holding two changes that cancel out would
 * hide both, so it must be shorter than any gap between two changes. The
 * shortest in the tz data (2025) are about 7 days (Brazil's north-east in
 * October 2000, Gaza and Hebron's Ramadan changes in the 2040s), and 4 days
 * in the backzone histories some builds carry (Africa/Freetown, September
 * 1939); two days leaves a margin below both. A step holding two changes that
 * do not cancel is safe anyway: the scan restarts at each change it finds.
 */
const STEP = 2 * 86_400;

/**
 * The UTC offsets of one IANA zone over a covered range of instants, read once
 * from the platform's tz data (Intl) and then used with plain arithmetic. It converts between
 * instants and wall-clock times (as epoch-style milliseconds "as if UTC")
 * without allocating, which is what lets the cadence engine expand thousands
 * of accounts per second. It never reads the host's time zone.
 */
export class ZoneTable {
  /** Epoch ms of each offset change within the covered range, ascending. */
  private trans: number[] = [];
  /** offs[i] is the offset (ms) in force before trans[i]; offs[trans.length] after the last one. */
  private offs: number[] = [];
  private lo = Infinity;
  private hi = -Infinity;
  private source: Zone | undefined;

  constructor(readonly zone: string) {}

  /** Makes [fromMs, toMs] (plus a margin) answerable; reads whole UTC years, extending forward incrementally. */
  cover(fromMs: number, toMs: number): void {
    if (fromMs - REACH >= this.lo && toMs + REACH <= this.hi) return;
    const hi = Math.max(this.hi, Date.UTC(new Date(toMs + REACH).getUTCFullYear() + 1, 0, 1));
    if (fromMs - REACH >= this.lo) {
      this.read(this.hi, hi);
    } else {
      const lo = Date.UTC(new Date(fromMs - REACH).getUTCFullYear(), 0, 1);
      this.trans = [];
      this.offs = [];
      this.lo = lo;
      this.read(lo, hi);
    }
    this.hi = hi;
  }

  /** Appends the transitions in (from, to] (whole seconds, in ms); starts the table when it is empty. Throws RangeError for an unknown zone. */
  private read(from: number, to: number): void {
    const zone = (this.source ??= resolveZone(this.zone));
    let t = from / 1000;
    const end = to / 1000;
    let off = zone.offsetSec(t);
    if (this.offs.length === 0) this.offs.push(off * 1000);
    while (t < end) {
      const next = Math.min(t + STEP, end);
      if (zone.offsetSec(next) === off) {
        t = next;
        continue;
      }
      // One change in (t, next]: the first second that shows another offset.
      let a = t;
      let b = next;
      while (b - a > 1) {
        const mid = Math.floor((a + b) / 2);
        if (zone.offsetSec(mid) === off) a = mid;
        else b = mid;
      }
      off = zone.offsetSec(b);
      this.trans.push(b * 1000);
      this.offs.push(off * 1000);
      t = b;
    }
  }

  /** Index of the first transition strictly after `ms`. */
  private after(ms: number): number {
    const t = this.trans;
    let a = 0;
    let b = t.length;
    while (a < b) {
      const m = (a + b) >>> 1;
      if (t[m]! <= ms) a = m + 1;
      else b = m;
    }
    return a;
  }

  /** The instants in [fromMs, toMs) at which the offset changes; the range must be covered. */
  transitionsIn(fromMs: number, toMs: number): number[] {
    const out: number[] = [];
    for (let i = this.after(fromMs - 1); i < this.trans.length && this.trans[i]! < toMs; i++) out.push(this.trans[i]!);
    return out;
  }

  /** The offset (ms) in force at the instant `ms`; the range must be covered. */
  offsetAt(ms: number): number {
    return this.offs[this.after(ms)]!;
  }

  /** The wall-clock time of the instant `ms`, as milliseconds "as if UTC". */
  wallOf(ms: number): number {
    return ms + this.offsetAt(ms);
  }

  /**
   * The instant of the wall-clock time `wall` (ms "as if UTC"). A repeated wall
   * time gives its first occurrence. A wall time in a gap gives NaN when
   * `gap` is 'skip', or moves forward by the gap's length when 'forward'
   * (Temporal's 'compatible').
   */
  instantOf(wall: number, gap: 'skip' | 'forward'): number {
    const i = this.after(wall - REACH);
    const t = this.trans[i];
    // Fast path: no offset change anywhere near, a single offset applies.
    if (t === undefined || t > wall + REACH) return wall - this.offs[i]!;
    let best = NaN;
    for (let j = i; j <= this.trans.length; j++) {
      const start = j === 0 ? -Infinity : this.trans[j - 1]!;
      if (start > wall + REACH) break;
      const end = j === this.trans.length ? Infinity : this.trans[j]!;
      const e = wall - this.offs[j]!;
      if (e >= start && e < end && !(e >= best)) best = e;
    }
    if (!Number.isNaN(best) || gap === 'skip') return best;
    // In a gap: the transition whose span [t + before, t + after) holds the wall time.
    for (let j = i; j < this.trans.length; j++) {
      const tj = this.trans[j]!;
      const before = this.offs[j]!;
      if (tj + before <= wall && wall < tj + this.offs[j + 1]!) return wall - before;
    }
    return NaN;
  }
}

const tableOf = memoized((zone) => {
  resolveZone(zone); // validates the zone once: RangeError for an unknown id
  return new ZoneTable(zone);
});

/** The shared offset table of `zone` (an IANA id; throws RangeError when unknown), covering [fromMs, toMs]. */
export function zoneTable(zone: string, fromMs: number, toMs: number): ZoneTable {
  const table = tableOf(zone);
  table.cover(fromMs, toMs);
  return table;
}

/** Epoch day number (days since 1970-01-01) of a wall-clock time in ms "as if UTC". */
export function dayOf(wall: number): number {
  return Math.floor(wall / DAY);
}
