import { memoized } from '../memoized.js';
import { civilOf, epochDay } from './civil.js';
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

/** The range a Date holds (and Intl reads): ±8.64e15 ms around the epoch. */
const MIN_MS = -8.64e15;
const MAX_MS = 8.64e15;
/**
 * Years of offsets kept per zone, and the longest contiguous run a table
 * answers from. Together with tableOf's bound on zones, this bounds memory.
 */
const YEAR_LIMIT = 512;
/** At most this many years nobody asked for are read to keep one run contiguous; a wider gap starts a new run. */
const FILL = 2;

/** The offset changes of one UTC year: the offset at its start, and each change with the offset after it. */
interface Year {
  readonly start: number;
  readonly trans: readonly number[];
  readonly offs: readonly number[];
}

const clampMs = (ms: number) => Math.min(MAX_MS, Math.max(MIN_MS, ms));
/** The UTC year of an instant within the Date range. */
const yearOf = (ms: number) => civilOf(Math.floor(ms / 1000)).year;
/** The first instant of a UTC year, clamped to the Date range (Date.UTC gives NaN past it; epochDay does not). */
const yearStart = (year: number) => clampMs(epochDay(year, 1, 1) * DAY);

/**
 * The UTC offsets of one IANA zone over a covered range of instants, read once
 * from the platform's tz data (Intl) and then used with plain arithmetic. It converts between
 * instants and wall-clock times (as epoch-style milliseconds "as if UTC")
 * without allocating, which is what lets the cadence engine expand thousands
 * of accounts per second. It never reads the host's time zone.
 *
 * The tz data is read one UTC year at a time, each year once (at most
 * YEAR_LIMIT kept), so a query costs the years it asks for, wherever they
 * are: a far year does not read the years between it and the last query.
 * The table answers from one contiguous run of those years, rebuilt from
 * them (plain array copies) when a query falls outside it: grown when the
 * query is next to it, else replaced by the query's own years.
 */
export class ZoneTable {
  /** Epoch ms of each offset change within the covered range, ascending. */
  private trans: number[] = [];
  /** offs[i] is the offset (ms) in force before trans[i]; offs[trans.length] after the last one. */
  private offs: number[] = [];
  /** The covered instants [lo, hi], and the UTC years [first, last] of the run. */
  private lo = Infinity;
  private hi = -Infinity;
  private first = 0;
  private last = -1;
  private readonly years = new Map<number, Year>();
  private source: Zone | undefined;
  /** How many UTC years have been read from the tz data (each costs ~200 Intl calls). */
  yearsRead = 0;

  constructor(readonly zone: string) {}

  /**
   * Makes [fromMs, toMs] (plus a margin, within the Date range) answerable.
   * Throws RangeError for NaN, and for an unknown zone.
   */
  cover(fromMs: number, toMs: number): void {
    if (Number.isNaN(fromMs) || Number.isNaN(toMs)) throw new RangeError('a zone table covers instants, not NaN');
    const from = clampMs(Math.min(fromMs, toMs) - REACH);
    const to = clampMs(Math.max(fromMs, toMs) + REACH);
    if (from >= this.lo && to <= this.hi) return;
    let first = yearOf(from);
    let last = yearOf(to);
    const near = this.first <= this.last && first <= this.last + 1 + FILL && last >= this.first - 1 - FILL;
    if (near && Math.max(last, this.last) - Math.min(first, this.first) < YEAR_LIMIT) {
      first = Math.min(first, this.first);
      last = Math.max(last, this.last);
    }
    const trans: number[] = [];
    const offs: number[] = [];
    for (let y = first; y <= last; y++) {
      const year = this.year(y);
      if (y === first) offs.push(year.start);
      for (let i = 0; i < year.trans.length; i++) {
        trans.push(year.trans[i]!);
        offs.push(year.offs[i]!);
      }
    }
    this.trans = trans;
    this.offs = offs;
    this.first = first;
    this.last = last;
    this.lo = yearStart(first);
    this.hi = yearStart(last + 1);
  }

  /** The offsets of UTC year `y`, read once. */
  private year(y: number): Year {
    let year = this.years.get(y);
    if (!year) {
      year = this.read(yearStart(y), yearStart(y + 1));
      this.yearsRead++;
      if (this.years.size >= YEAR_LIMIT) this.years.clear();
      this.years.set(y, year);
    }
    return year;
  }

  /** The offset (ms) at `from` and the transitions in (from, to] (whole seconds, in ms), with the offset after each. */
  private read(from: number, to: number): Year {
    const zone = (this.source ??= resolveZone(this.zone));
    const trans: number[] = [];
    const offs: number[] = [];
    let t = from / 1000;
    const end = to / 1000;
    let off = zone.offsetSec(t);
    const start = off * 1000;
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
      trans.push(b * 1000);
      offs.push(off * 1000);
      t = b;
    }
    return { start, trans, offs };
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
