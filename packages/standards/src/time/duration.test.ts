import fc from 'fast-check';
import { Temporal } from 'temporal-polyfill';
import { describe, expect, it } from 'vitest';
import { durationMs, fixedLengthMs, parseDurationMs } from './duration.js';

/** What parseDurationMs returned when it asked Temporal (the oracle) to read the fields. */
function temporalDuration(text: string): { ms: number } | { error: string } {
  let d: Temporal.Duration | null;
  try {
    d = Temporal.Duration.from(text);
  } catch {
    d = null;
  }
  return fixedLengthMs(text, d);
}

const num = fc.oneof(
  { arbitrary: fc.integer({ min: 0, max: 400 }).map(String), weight: 6 },
  {
    arbitrary: fc.constantFrom(
      '0',
      '00',
      '007',
      '4294967295',
      '4294967296',
      '9007199254',
      '106751991167300',
      '999999999999999999999',
      '9'.repeat(400),
    ),
    weight: 1,
  },
);
const frac = fc.oneof(
  { arbitrary: fc.constant(null), weight: 4 },
  {
    arbitrary: fc.tuple(fc.constantFrom('.', ',', ''), fc.stringMatching(/^\d{0,10}$/)).map(([s, d]) => s + d),
    weight: 1,
  },
);
const part = (unit: string) =>
  fc.option(
    fc.tuple(num, frac).map(([n, f]) => `${n}${f ?? ''}${unit}`),
    { freq: 2 },
  );
/** Years and months are refused whatever follows, so they come rarely. */
const rare = (unit: string) =>
  fc.oneof({ arbitrary: fc.constant(null), weight: 8 }, { arbitrary: part(unit), weight: 1 });
const durationText = fc
  .tuple(
    fc.constantFrom('', '', '', '+', '-', '\u2212'),
    fc.constantFrom('P', 'P', 'P', 'p', ''),
    rare('Y'),
    rare('M'),
    part('W'),
    part('D'),
    fc.constantFrom('T', 'T', 't', ''),
    part('H'),
    part('M'),
    part('S'),
    fc.boolean(),
  )
  .map(([sign, p, y, mo, w, d, t, h, mi, s, lower]) => {
    const date = `${y ?? ''}${mo ?? ''}${w ?? ''}${d ?? ''}`.replace(/[.,]\d*/g, '');
    const time = `${h ?? ''}${mi ?? ''}${s ?? ''}`;
    const text = `${sign}${p}${date}${time || t === '' ? (time ? t : '') + time : t}`;
    return lower ? text.toLowerCase() : text;
  });

describe('durations', () => {
  it('gives the milliseconds or the error Temporal gave, for generated and arbitrary strings', () => {
    fc.assert(
      fc.property(fc.oneof(durationText, fc.string({ maxLength: 12 })), (text) => {
        expect(parseDurationMs(text)).toEqual(temporalDuration(text));
      }),
      { seed: 31, numRuns: 20_000 },
    );
  });

  it('reads fixed lengths, spills fractions down and refuses years, months, zero and negatives', () => {
    expect(parseDurationMs('PT48H')).toEqual({ ms: 48 * 3_600_000 });
    expect(parseDurationMs('P1W2DT3H4M5.5S')).toEqual({ ms: 9 * 86_400_000 + 3 * 3_600_000 + 4 * 60_000 + 5500 });
    expect(parseDurationMs('PT1.5H')).toEqual({ ms: 5_400_000 });
    expect(parseDurationMs('pt0,0001m')).toEqual({ ms: 6 });
    expect(parseDurationMs('P1M')).toEqual({
      error: 'years and months have no fixed length; use weeks, days or hours (e.g. P4W)',
    });
    expect(parseDurationMs('PT0S')).toEqual({ error: 'must be a positive duration' });
    expect(parseDurationMs('-PT1S')).toEqual({ error: 'must be a positive duration' });
    expect(parseDurationMs('PT1.5H30M')).toEqual({
      error: '"PT1.5H30M" is not an ISO 8601 duration (e.g. PT48H, P7D, PT30S)',
    });
    expect(() => durationMs('P')).toThrow(RangeError);
  });
});
