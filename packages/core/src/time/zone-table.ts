import { Temporal } from 'temporal-polyfill';

const DAY = 86_400_000;
/** No zone's offset has ever been more than ±26 h, so every candidate offset of a wall time sits within this reach. */
const REACH = 27 * 3_600_000;

/**
 * The UTC offsets of one IANA zone over a covered range of instants, read once
 * from Temporal and then used with plain arithmetic. It converts between
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

  constructor(readonly zone: string) {}

  /** Makes [fromMs, toMs] (plus a margin) answerable; reads whole UTC years from Temporal, extending forward incrementally. */
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

  /** Appends the transitions in (from, to]; starts the table when it is empty. */
  private read(from: number, to: number): void {
    let z = Temporal.Instant.fromEpochMilliseconds(from).toZonedDateTimeISO(this.zone);
    if (this.offs.length === 0) this.offs.push(z.offsetNanoseconds / 1e6);
    for (;;) {
      const next = z.getTimeZoneTransition('next');
      if (!next || next.epochMilliseconds > to) break;
      this.trans.push(next.epochMilliseconds);
      this.offs.push(next.offsetNanoseconds / 1e6);
      z = next;
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

const tables = new Map<string, ZoneTable>();

/** The shared offset table of `zone` (an IANA id; throws RangeError when unknown), covering [fromMs, toMs]. */
export function zoneTable(zone: string, fromMs: number, toMs: number): ZoneTable {
  let table = tables.get(zone);
  if (!table) {
    // Validates the zone once; Temporal throws RangeError for an unknown id.
    Temporal.Instant.fromEpochMilliseconds(0).toZonedDateTimeISO(zone);
    if (tables.size >= 1000) tables.clear();
    table = new ZoneTable(zone);
    tables.set(zone, table);
  }
  table.cover(fromMs, toMs);
  return table;
}

/** Epoch day number (days since 1970-01-01) of a wall-clock time in ms "as if UTC". */
export function dayOf(wall: number): number {
  return Math.floor(wall / DAY);
}
