import fc from 'fast-check';
import { Temporal } from 'temporal-polyfill';
import { describe, expect, it } from 'vitest';
import { localToInstant } from './local.js';

/** What localToInstant returned when it asked Temporal (the oracle); 'RangeError' when it threw one. */
function temporalLocal(local: string, zone: string): number | string {
  try {
    if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?$/.test(local)) throw new RangeError('malformed');
    return Temporal.PlainDateTime.from(local, { overflow: 'reject' }).toZonedDateTime(zone, {
      disambiguation: 'compatible',
    }).epochMilliseconds;
  } catch (e) {
    return (e as Error).constructor.name;
  }
}

function ours(local: string, zone: string): number | string {
  try {
    return localToInstant(local, zone).getTime();
  } catch (e) {
    return (e as Error).constructor.name;
  }
}

const ZONES = Intl.supportedValuesOf('timeZone');
const pad = (n: number, w = 2) => String(n).padStart(w, '0');
const LO = Date.UTC(1900, 0, 1);
const HI = Date.UTC(2100, 0, 1);

/** The digits of `wall` (ms "as if UTC") as a local date-time with seconds and, when there are any, milliseconds. */
function wallText(wall: number): string {
  const d = new Date(wall);
  const ms = d.getUTCMilliseconds();
  return `${pad(d.getUTCFullYear(), 4)}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}T${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}${ms ? `.${pad(ms, 3)}` : ''}`;
}

/** Clock changes of `zone` in [LO, HI), first `max` of them. */
function changes(zone: string, max: number): number[] {
  const out: number[] = [];
  let z: Temporal.ZonedDateTime | null = Temporal.Instant.fromEpochMilliseconds(LO).toZonedDateTimeISO(zone);
  while (out.length < max && (z = z.getTimeZoneTransition('next')) && z.epochMilliseconds < HI)
    out.push(z.epochMilliseconds);
  return out;
}

describe('local times to instants', () => {
  it('gives the instant Temporal gives for any wall time from 1900 to 2100 in any zone', () => {
    fc.assert(
      fc.property(fc.constantFrom(...ZONES), fc.integer({ min: LO, max: HI }), (zone, wall) => {
        const text = wallText(wall);
        expect(ours(text, zone)).toBe(temporalLocal(text, zone));
      }),
      { seed: 21, numRuns: 3000 },
    );
  });

  it('gives the instant Temporal gives in gaps and folds: each minute around clock changes', () => {
    const zones = [
      'America/New_York',
      'Europe/Paris',
      'Australia/Lord_Howe',
      'Pacific/Chatham',
      'America/Santiago',
      'Pacific/Apia',
      'Europe/Moscow',
      'America/Noronha',
      'Asia/Gaza',
      'Africa/Casablanca',
    ];
    const near = new Map(zones.map((zone) => [zone, changes(zone, 400)]));
    fc.assert(
      fc.property(
        fc
          .constantFrom(...zones)
          .chain((zone) =>
            fc.tuple(
              fc.constant(zone),
              fc.constantFrom(...near.get(zone)!),
              fc.integer({ min: -26 * 60, max: 26 * 60 }),
              fc.integer({ min: 0, max: 59_999 }),
            ),
          ),
        ([zone, t, minutes, ms]) => {
          // Near a change, read the instant's digits shifted by up to a day as a wall time.
          const text = wallText(t + minutes * 60_000 + (ms % 7 === 0 ? ms : 0));
          expect(ours(text, zone)).toBe(temporalLocal(text, zone));
        },
      ),
      { seed: 22, numRuns: 4000 },
    );
  });

  it('refuses malformed and impossible times and unknown zones as Temporal did', () => {
    const texts = fc.oneof(
      fc
        .tuple(
          fc.integer({ min: 0, max: 9999 }),
          fc.integer({ min: 0, max: 13 }),
          fc.integer({ min: 0, max: 32 }),
          fc.integer({ min: 0, max: 25 }),
          fc.integer({ min: 0, max: 61 }),
          fc.option(fc.integer({ min: 0, max: 61 })),
          fc.option(fc.stringMatching(/^\d{1,4}$/)),
        )
        .map(
          ([y, mo, d, h, mi, s, f]) =>
            `${pad(y, 4)}-${pad(mo)}-${pad(d)}T${pad(h)}:${pad(mi)}${s === null ? '' : `:${pad(s)}${f === null ? '' : `.${f}`}`}`,
        ),
      fc.string({ maxLength: 20 }),
      fc.constantFrom(
        '2026-07-14T09:30Z',
        '2026-07-14 09:30',
        '2026-07-14T09:30+01:00',
        '2026-07-14T09',
        '+002026-07-14T09:30',
      ),
    );
    const zones = fc.constantFrom(
      'Europe/Paris',
      'europe/paris',
      'UTC',
      'Asia/Calcutta',
      '+05:30',
      'Europe/Atlantis',
      'PST',
      '',
    );
    fc.assert(
      fc.property(texts, zones, (text, zone) => {
        expect(ours(text, zone)).toBe(temporalLocal(text, zone));
      }),
      { seed: 23, numRuns: 3000 },
    );
  });

  it('moves a time in a gap forward and takes the first of a repeated time', () => {
    expect(localToInstant('2026-03-08T02:30', 'America/New_York').toISOString()).toBe('2026-03-08T07:30:00.000Z');
    expect(localToInstant('2026-11-01T01:30', 'America/New_York').toISOString()).toBe('2026-11-01T05:30:00.000Z');
    expect(localToInstant('2026-07-14T09:30:60', 'Europe/Paris').toISOString()).toBe('2026-07-14T07:30:59.000Z');
    expect(() => localToInstant('2026-02-30T09:30', 'Europe/Paris')).toThrow(RangeError);
    expect(() => localToInstant('2026-07-14T09:30', 'Europe/Atlantis')).toThrow(RangeError);
  });
});
