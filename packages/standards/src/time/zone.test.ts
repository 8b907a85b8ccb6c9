import fc from 'fast-check';
import { Temporal } from 'temporal-polyfill';
import { describe, expect, it } from 'vitest';
import { canonicalZone } from './zone.js';

/** What canonicalZone returned when it asked Temporal (the oracle). */
function temporalZone(zone: string): string | null {
  if (!/^[A-Za-z]/.test(zone)) return null;
  try {
    return Temporal.Now.zonedDateTimeISO(zone).timeZoneId;
  } catch {
    return null;
  }
}

const ZONES = Intl.supportedValuesOf('timeZone');
/** Links and legacy ids Intl knows but does not list (it lists one id per zone). */
const LINKS = [
  'Asia/Calcutta',
  'Asia/Kolkata',
  'Asia/Saigon',
  'Asia/Ho_Chi_Minh',
  'Europe/Kiev',
  'Europe/Kyiv',
  'America/Buenos_Aires',
  'America/Argentina/Buenos_Aires',
  'America/Argentina/ComodRivadavia',
  'America/Indianapolis',
  'America/Fort_Wayne',
  'US/Eastern',
  'US/Pacific',
  'US/Pacific-New',
  'GB',
  'GB-Eire',
  'NZ',
  'NZ-CHAT',
  'Japan',
  'Etc/UTC',
  'Etc/GMT',
  'Etc/GMT+5',
  'Etc/GMT-14',
  'Etc/Zulu',
  'Etc/Universal',
  'Etc/Greenwich',
  'GMT',
  'GMT0',
  'Zulu',
  'UCT',
  'UTC',
  'EST',
  'MST',
  'HST',
  'EST5EDT',
  'CST6CDT',
  'PST8PDT',
  'WET',
  'CET',
  'Antarctica/DumontDUrville',
  'Antarctica/McMurdo',
  'Antarctica/South_Pole',
  'America/Port-au-Prince',
  'America/Port_of_Spain',
  'Brazil/DeNoronha',
  'Chile/EasterIsland',
  'Mexico/BajaNorte',
  'Mexico/BajaSur',
  'America/Ensenada',
  'Pacific/Yap',
  'Pacific/Chuuk',
  'Asia/Ust-Nera',
  'America/North_Dakota/New_Salem',
  'America/Indiana/Knox',
  'Europe/Isle_of_Man',
  'Atlantic/Jan_Mayen',
  'America/Coral_Harbour',
  'Asia/Rangoon',
  'Asia/Yangon',
  'Pacific/Enderbury',
  'Pacific/Kanton',
  'Europe/Belfast',
  'Asia/Katmandu',
  'Navajo',
  'W-SU',
  'ROK',
  'PRC',
  'Iran',
  'Eire',
  'Cuba',
  'Egypt',
  'Libya',
  'Poland',
  'Portugal',
  'Singapore',
  'Turkey',
  'Iceland',
  'PST',
  'IST',
  'CST',
  'JST',
  'AET',
  'ACT',
  'VST',
  'SystemV/AST4',
  'Mars/Olympus_Mons',
  'Europe/Atlantis',
];

/** The id with each letter's case chosen by `flips`. */
function recase(id: string, flips: boolean[]): string {
  return [...id].map((c, i) => (flips[i % flips.length] ? c.toUpperCase() : c.toLowerCase())).join('');
}

describe('canonical zones', () => {
  it('gives every listed zone and known link the id Temporal gave, in any letter case', () => {
    for (const id of [...ZONES, ...LINKS]) {
      for (const variant of [
        id,
        id.toLowerCase(),
        id.toUpperCase(),
        recase(id, [true, false]),
        recase(id, [false, true, true]),
      ]) {
        expect(canonicalZone(variant), variant).toBe(temporalZone(variant));
      }
    }
  });

  it('agrees with Temporal on strings near zone ids and on arbitrary strings', () => {
    const near = fc
      .tuple(
        fc.constantFrom(...ZONES, ...LINKS),
        fc.array(fc.boolean(), { minLength: 1, maxLength: 5 }),
        fc.nat(40),
        fc.constantFrom('', ' ', '/', '_', '-', '+1', '.', 'x', '\u0130'),
      )
      .map(([id, flips, at, junk]) => {
        const s = recase(id, flips);
        return s.slice(0, at) + junk + s.slice(at);
      });
    const offsets = fc
      .tuple(
        fc.constantFrom('+', '-', 'UTC+', 'GMT-', 'Etc/GMT+', ''),
        fc.integer({ min: 0, max: 25 }),
        fc.constantFrom('', ':00', '00', ':30', ':00:30'),
      )
      .map(([sign, h, m]) => `${sign}${String(h).padStart(2, '0')}${m}`);
    fc.assert(
      fc.property(
        fc.oneof(near, offsets, fc.string({ maxLength: 20 }), fc.stringMatching(/^[A-Za-z][A-Za-z_/+\-0-9]{0,12}$/)),
        (s) => {
          expect(canonicalZone(s)).toBe(temporalZone(s));
        },
      ),
      { seed: 3, numRuns: 3000 },
    );
  });

  it('keeps links and case as Temporal did, and refuses offsets, ICU-only ids and unknown names', () => {
    expect(canonicalZone('europe/paris')).toBe('Europe/Paris');
    expect(canonicalZone('Asia/Calcutta')).toBe('Asia/Calcutta'); // a link stays as written
    expect(canonicalZone('Asia/Kolkata')).toBe('Asia/Kolkata'); // Intl's resolvedOptions would say Asia/Calcutta
    expect(canonicalZone('utc')).toBe('UTC');
    expect(canonicalZone('etc/utc')).toBe('Etc/UTC'); // Intl would say UTC
    expect(canonicalZone('etc/gmt+5')).toBe('Etc/GMT+5');
    expect(canonicalZone('EST')).toBe('EST'); // Intl would say America/Panama
    expect(canonicalZone('pst')).toBeNull();
    expect(canonicalZone('+01:00')).toBeNull();
    expect(canonicalZone('Europe/Paris ')).toBeNull();
    expect(canonicalZone('Mars/Olympus_Mons')).toBeNull();
  });
});
