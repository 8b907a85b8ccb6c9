import fc from 'fast-check';
import { Temporal } from 'temporal-polyfill';
import { describe, expect, it } from 'vitest';
import { zoneTable } from './zone-table.js';

const ZONES = ['America/New_York', 'Europe/Paris', 'Australia/Sydney', 'America/Santiago', 'Australia/Lord_Howe', 'Pacific/Chatham', 'Asia/Kolkata', 'UTC'];
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
      fc.tuple(fc.constantFrom(...nearChanges(zone)), fc.integer({ min: -180, max: 180 })).map(([t, min]) => t + min * 60_000),
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
    expect(new Date(ny.instantOf(Date.UTC(2026, 2, 8, 2, 30), 'forward')).toISOString()).toBe('2026-03-08T07:30:00.000Z');
    expect(new Date(ny.instantOf(Date.UTC(2026, 10, 1, 1, 30), 'skip')).toISOString()).toBe('2026-11-01T05:30:00.000Z');
  });

  it('refuses an unknown zone', () => {
    expect(() => zoneTable('Mars/Olympus_Mons', LO, HI)).toThrow(RangeError);
  });
});
