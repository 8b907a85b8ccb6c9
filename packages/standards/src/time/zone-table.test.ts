import fc from 'fast-check';
import { Temporal } from 'temporal-polyfill';
import { describe, expect, it } from 'vitest';
import { ZoneTable, zoneTable } from './zone-table.js';

const ZONES = [
  'America/New_York',
  'Europe/Paris',
  'Australia/Sydney',
  'America/Santiago',
  'Australia/Lord_Howe',
  'Pacific/Chatham',
  'Asia/Kolkata',
  'UTC',
];
const DAY_MS = 86_400_000;
const LO = Date.UTC(2024, 0, 1);
const HI = Date.UTC(2028, 0, 1);

/** Instants near the clock changes of 2024–2027 (every minute of a change night is a likely edge). */
function nearChanges(zone: string): number[] {
  const out: number[] = [];
  let z: Temporal.ZonedDateTime | null = Temporal.Instant.fromEpochMilliseconds(LO).toZonedDateTimeISO(zone);
  while ((z = z.getTimeZoneTransition('next')) && z.epochMilliseconds < HI) out.push(z.epochMilliseconds);
  return out.length ? out : [Date.UTC(2026, 5, 1)];
}

const instant = fc.constantFrom(...ZONES).chain((zone) =>
  fc.tuple(
    fc.constant(zone),
    fc.oneof(
      fc.integer({ min: LO + 86_400_000, max: HI - 86_400_000 }),
      fc
        .tuple(fc.constantFrom(...nearChanges(zone)), fc.integer({ min: -180, max: 180 }))
        .map(([t, min]) => t + min * 60_000),
    ),
  ),
);

describe('a zone offset table', () => {
  it('gives the offset Temporal gives at any instant', () => {
    fc.assert(
      fc.property(instant, ([zone, ms]) => {
        const expected = Temporal.Instant.fromEpochMilliseconds(ms).toZonedDateTimeISO(zone).offsetNanoseconds / 1e6;
        expect(zoneTable(zone, LO, HI).offsetAt(ms)).toBe(expected);
      }),
      { seed: 42, numRuns: 2000 },
    );
  });

  it('turns a wall time into the instant Temporal gives: first of a repeated time, forward or skipped in a gap', () => {
    fc.assert(
      fc.property(instant, ([zone, ms]) => {
        // Read the instant's digits as a wall-clock time: near a change, often one in a gap or a fold.
        const wall = ms;
        const pdt = Temporal.Instant.fromEpochMilliseconds(wall).toZonedDateTimeISO('UTC').toPlainDateTime();
        const table = zoneTable(zone, LO, HI);
        const compatible = pdt.toZonedDateTime(zone, { disambiguation: 'compatible' }).epochMilliseconds;
        expect(table.instantOf(wall, 'forward')).toBe(compatible);
        // A wall time exists when some instant shows it (in a gap, every candidate shows another time).
        const exists = pdt.toZonedDateTime(zone, { disambiguation: 'earlier' }).toPlainDateTime().equals(pdt);
        expect(table.instantOf(wall, 'skip')).toBe(exists ? compatible : NaN);
      }),
      { seed: 7, numRuns: 2000 },
    );
  });

  it('knows New York skips 02:30 on 2026-03-08 and repeats 01:30 on 2026-11-01', () => {
    const ny = zoneTable('America/New_York', Date.UTC(2026, 0, 1), Date.UTC(2027, 0, 1));
    expect(ny.instantOf(Date.UTC(2026, 2, 8, 2, 30), 'skip')).toBeNaN();
    expect(new Date(ny.instantOf(Date.UTC(2026, 2, 8, 2, 30), 'forward')).toISOString()).toBe(
      '2026-03-08T07:30:00.000Z',
    );
    expect(new Date(ny.instantOf(Date.UTC(2026, 10, 1, 1, 30), 'skip')).toISOString()).toBe('2026-11-01T05:30:00.000Z');
  });

  it('refuses an unknown zone', () => {
    expect(() => zoneTable('Mars/Olympus_Mons', LO, HI)).toThrow(RangeError);
    expect(() => new ZoneTable('Europe/Atlantis').cover(LO, HI)).toThrow(RangeError);
  });
});

/** Every offset change of `zone` in (from, to], from Temporal (the oracle). */
function temporalChanges(zone: string, from: number, to: number): { at: number; offset: number }[] {
  const out: { at: number; offset: number }[] = [];
  let z: Temporal.ZonedDateTime | null = Temporal.Instant.fromEpochMilliseconds(from).toZonedDateTimeISO(zone);
  while ((z = z.getTimeZoneTransition('next')) && z.epochMilliseconds <= to)
    out.push({ at: z.epochMilliseconds, offset: z.offsetNanoseconds / 1e6 });
  return out;
}

/** The changes a table found in [from, to), each with the offset after it and the offset a millisecond before it. */
function tableChanges(table: ZoneTable, from: number, to: number) {
  return table
    .transitionsIn(from, to)
    .map((at) => ({ at, offset: table.offsetAt(at), before: table.offsetAt(at - 1) }));
}

const ALL_ZONES = Intl.supportedValuesOf('timeZone');
const YEAR_1900 = Date.UTC(1900, 0, 1);
const YEAR_2100 = Date.UTC(2100, 0, 1);

describe('a zone offset table read from Intl', () => {
  it('finds every change Temporal finds, to the millisecond, in any zone and any year from 1900 to 2100', () => {
    fc.assert(
      fc.property(fc.constantFrom(...ALL_ZONES), fc.integer({ min: 1900, max: 2099 }), (zone, year) => {
        const from = Date.UTC(year, 0, 1);
        const to = Date.UTC(year + 1, 0, 1);
        const table = new ZoneTable(zone);
        table.cover(from + 2 * DAY_MS, to - 2 * DAY_MS);
        const expected = temporalChanges(zone, from, to - 1);
        expect(tableChanges(table, from, to).map(({ at, offset }) => ({ at, offset }))).toEqual(expected);
        for (const { at, before } of tableChanges(table, from, to)) {
          expect(before).toBe(
            Temporal.Instant.fromEpochMilliseconds(at - 1).toZonedDateTimeISO(zone).offsetNanoseconds / 1e6,
          );
        }
      }),
      { seed: 5, numRuns: 400 },
    );
  });

  it('finds changes only days apart (Brazil 2000, Gaza and Hebron in the 2040s, Morocco, wartime Europe) over 1900–2100', () => {
    const close = [
      'America/Noronha',
      'America/Recife',
      'America/Boa_Vista',
      'America/Fortaleza',
      'America/Maceio',
      'Asia/Gaza',
      'Asia/Hebron',
      'Africa/Tunis',
      'Europe/Simferopol',
      'Europe/Vienna',
      'Europe/Riga',
      'Europe/Tirane',
      'America/Argentina/Tucuman',
      'Africa/El_Aaiun',
      'Africa/Casablanca',
      'Africa/Cairo',
    ];
    for (const zone of close) {
      const table = new ZoneTable(zone);
      table.cover(YEAR_1900 + 2 * DAY_MS, YEAR_2100 - 2 * DAY_MS);
      const found = tableChanges(table, YEAR_1900, YEAR_2100).map(({ at, offset }) => ({ at, offset }));
      expect(found, zone).toEqual(temporalChanges(zone, YEAR_1900, YEAR_2100 - 1));
    }
  });

  it('answers the same after extending forward, restarting earlier, and for a fixed offset or UTC', () => {
    const grown = new ZoneTable('America/Santiago');
    for (const year of [2026, 2030, 2031, 1990, 2040]) grown.cover(Date.UTC(year, 5, 1), Date.UTC(year, 6, 1));
    // Each query read its own year only, never the years between.
    expect(grown.yearsRead).toBe(5);
    grown.cover(Date.UTC(1990, 0, 2), Date.UTC(2040, 11, 30));
    // 1989 (the margin before 2 January) to 2040: the 47 years not read yet.
    expect(grown.yearsRead).toBe(52);
    const fresh = new ZoneTable('America/Santiago');
    fresh.cover(Date.UTC(1990, 0, 2), Date.UTC(2040, 11, 30));
    expect(tableChanges(grown, Date.UTC(1990, 0, 1), Date.UTC(2041, 0, 1))).toEqual(
      tableChanges(fresh, Date.UTC(1990, 0, 1), Date.UTC(2041, 0, 1)),
    );
    const fixed = zoneTable('+05:30', LO, HI);
    expect([fixed.offsetAt(LO), fixed.transitionsIn(LO, HI)]).toEqual([5.5 * 3_600_000, []]);
    const utc = zoneTable('UTC', LO, HI);
    expect([utc.offsetAt(HI), utc.transitionsIn(LO, HI)]).toEqual([0, []]);
  });
});

/** The offset Temporal gives at `ms`, in ms. */
const temporalOffset = (zone: string, ms: number) =>
  Temporal.Instant.fromEpochMilliseconds(ms).toZonedDateTimeISO(zone).offsetNanoseconds / 1e6;
/** The first and last instants a Date holds. */
const DATE_MIN = -8.64e15;
const DATE_MAX = 8.64e15;
const utcYear = (year: number) => new Date(0).setUTCFullYear(year, 0, 1);

describe('a zone offset table far from now', () => {
  it('reads only the years a far query asks for, and still answers near ones, whatever the order', () => {
    const table = new ZoneTable('America/New_York');
    const far = utcYear(12026) + 151 * DAY_MS;
    table.cover(Date.UTC(2026, 2, 1), Date.UTC(2026, 3, 1));
    expect(table.yearsRead).toBe(1);
    table.cover(far, far + 1);
    expect(table.yearsRead).toBe(2);
    table.cover(Date.UTC(2026, 2, 1), Date.UTC(2026, 3, 1));
    table.cover(far, far + 1);
    // Alternating far and near reads nothing more: each year is read once.
    expect(table.yearsRead).toBe(2);
    for (const [from, to] of [
      [Date.UTC(2026, 2, 1), Date.UTC(2026, 3, 1)],
      [far, far + 1],
    ] as const) {
      table.cover(from, to);
      for (let ms = from; ms <= to; ms += 6 * 3_600_000)
        expect(table.offsetAt(ms)).toBe(temporalOffset('America/New_York', ms));
    }
    const before = new Date(table.instantOf(Date.UTC(2026, 2, 8, 2, 30), 'forward')).toISOString();
    expect(before).toBe('2026-03-08T07:30:00.000Z');
  });

  it('gives the offsets Temporal gives in far years (up to 275760)', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...ZONES),
        fc.integer({ min: 2100, max: 275759 }),
        fc.integer({ min: 0, max: 364 * 24 }),
        (zone, year, hour) => {
          const ms = utcYear(year) + hour * 3_600_000;
          expect(zoneTable(zone, ms, ms + 1).offsetAt(ms)).toBe(temporalOffset(zone, ms));
        },
      ),
      { seed: 11, numRuns: 200 },
    );
  });

  it('covers the very ends of the Date range without NaN, and stays right afterwards', () => {
    const table = new ZoneTable('Europe/Paris');
    for (const ms of [DATE_MAX - 3_600_000, DATE_MAX, utcYear(275760) + 200 * DAY_MS]) {
      table.cover(ms, Math.min(ms + DAY_MS, DATE_MAX));
      expect(table.offsetAt(ms)).toBe(temporalOffset('Europe/Paris', ms));
      expect(Number.isNaN(table.wallOf(ms))).toBe(false);
    }
    // Only year 275760 was read for all three.
    expect(table.yearsRead).toBe(1);
    table.cover(DATE_MIN, DATE_MIN + DAY_MS);
    expect(table.offsetAt(DATE_MIN)).toBe(temporalOffset('Europe/Paris', DATE_MIN));
    // A later near query is answered with its own offsets (DST included), not those of the ends.
    table.cover(Date.UTC(2026, 0, 5), Date.UTC(2026, 11, 25));
    expect([table.offsetAt(Date.UTC(2026, 0, 15)), table.offsetAt(Date.UTC(2026, 6, 15))]).toEqual([
      3_600_000, 7_200_000,
    ]);
    expect(table.transitionsIn(Date.UTC(2026, 0, 1), Date.UTC(2027, 0, 1))).toEqual([
      Date.UTC(2026, 2, 29, 1),
      Date.UTC(2026, 9, 25, 1),
    ]);
    expect(table.yearsRead).toBe(3);
  });

  it('refuses NaN bounds without disturbing what it covers', () => {
    const table = zoneTable('Europe/Paris', Date.UTC(2026, 6, 1), Date.UTC(2026, 6, 2));
    expect(() => table.cover(Date.UTC(2026, 6, 1), NaN)).toThrow(RangeError);
    expect(() => zoneTable('Europe/Paris', NaN, NaN)).toThrow(RangeError);
    expect(zoneTable('Europe/Paris', Date.UTC(2026, 6, 1), Date.UTC(2026, 6, 2)).offsetAt(Date.UTC(2026, 6, 1))).toBe(
      7_200_000,
    );
  });
});
