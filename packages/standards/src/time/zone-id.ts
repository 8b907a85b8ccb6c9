import { memoized } from '../memoized.js';
import { epochDay } from './civil.js';
import { parseIsoDateTime } from './iso-date-time.js';

/** A time zone resolved from a string: its id and its UTC offset at any instant. */
export interface Zone {
  /**
   * The id as Temporal reported it (timeZoneId): the input with IANA-style
   * capitals ("europe/paris" → "Europe/Paris"), links kept as written
   * ("Asia/Calcutta" stays), "UTC", or a fixed offset "+01:00".
   */
  readonly id: string;
  /** The offset from UTC, in whole seconds, at the instant `epochSec` (seconds since the epoch, an integer). */
  offsetSec(epochSec: number): number;
}

class FixedZone implements Zone {
  constructor(
    readonly id: string,
    private readonly sec: number,
  ) {}
  offsetSec(): number {
    return this.sec;
  }
}

/**
 * An IANA zone read from the platform's tz data through Intl, always with the
 * zone named explicitly (never the host's). The wall-clock fields are asked
 * in the proleptic Gregorian calendar with a 00–23 hour, so the offset is
 * plain arithmetic on them; Intl shows whole seconds, and tz offsets and
 * transitions are whole seconds too.
 */
class NamedZone implements Zone {
  constructor(
    readonly id: string,
    private readonly format: Intl.DateTimeFormat,
  ) {}
  offsetSec(epochSec: number): number {
    const parts = this.format.formatToParts(epochSec * 1000);
    let year = 0;
    let month = 1;
    let day = 1;
    let hour = 0;
    let minute = 0;
    let second = 0;
    let bc = false;
    for (let i = 0; i < parts.length; i++) {
      const p = parts[i]!;
      switch (p.type) {
        case 'year':
          year = Number(p.value);
          break;
        case 'month':
          month = Number(p.value);
          break;
        case 'day':
          day = Number(p.value);
          break;
        case 'hour':
          hour = Number(p.value);
          break;
        case 'minute':
          minute = Number(p.value);
          break;
        case 'second':
          second = Number(p.value);
          break;
        case 'era':
          bc = p.value === 'BC';
          break;
      }
    }
    if (bc) year = 1 - year;
    return epochDay(year, month, day) * 86_400 + hour * 3600 + minute * 60 + second - epochSec;
  }
}

/** Creating an Intl.DateTimeFormat costs tens of microseconds (plus loading the zone's rules): one per zone, kept. */
function intlFormat(id: string): Intl.DateTimeFormat {
  return new Intl.DateTimeFormat('en-US', {
    timeZone: id,
    calendar: 'gregory',
    numberingSystem: 'latn',
    hourCycle: 'h23',
    era: 'short',
    year: 'numeric',
    month: 'numeric',
    day: 'numeric',
    hour: 'numeric',
    minute: 'numeric',
    second: 'numeric',
  });
}

/** ICU's own three-letter ids (PST, IST, …): Intl takes them, but they are not IANA zones, and Temporal refused them. */
const ICU_ONLY = new Set(
  [
    'AC',
    'AE',
    'AG',
    'AR',
    'AS',
    'BE',
    'BS',
    'CA',
    'CN',
    'CS',
    'CT',
    'EA',
    'EC',
    'IE',
    'IS',
    'JS',
    'MI',
    'NE',
    'NS',
    'PL',
    'PN',
    'PR',
    'PS',
    'SS',
    'VS',
  ].map((s) => `${s}T`),
);
const FIXED = /^([+-])([01]\d|2[0-3])(?::?([0-5]\d))?$/;
const FIXED_WITH_SECONDS = /^[+-](?:[01]\d|2[0-3]):?[0-5]\d:?[0-5]\d(?:[.,]\d{1,9})?$/;
const BAD_CHARACTERS = /[^\w/:+-]/;

const capital = (s: string) => s[0]!.toUpperCase() + s.slice(1);

/**
 * The capitals Temporal gave an id it was handed in any case, segment by
 * segment: short segments and those with digits in capitals (US, GMT+5,
 * CST6CDT; but Etc, Yap), words capitalised (Lord_Howe) except short inner
 * ones (Port_of_Spain, Port-au-Prince), a two-letter first word in capitals
 * (NZ-CHAT, GB-Eire), and the inner capitals of a few ids (DumontDUrville,
 * DeNoronha, McMurdo, ComodRivadavia, EasterIsland, BajaNorte).
 */
function ianaCase(id: string): string {
  return id
    .toLowerCase()
    .split('/')
    .map((part, index) => {
      if ((part.length <= 3 || /\d/.test(part)) && !/etc|yap/.test(part)) return part.toUpperCase();
      return part.replace(/baja|dumont|[a-z]+/g, (word: string, at: number) => {
        if ((word.length <= 2 && index === 0) || word === 'in' || word === 'chat') return word.toUpperCase();
        if (word.length > 2 || at === 0)
          return capital(word).replace(/island|noronha|murdo|rivadavia|urville/, capital);
        return word;
      });
    })
    .join('/');
}

const UTC: Zone = new FixedZone('UTC', 0);

/** The named zone `id` (already in IANA case), validated by Intl: RangeError when Intl does not know it. */
const namedZone = memoized((id): Zone => new NamedZone(id, intlFormat(id)));

/**
 * The zone a string names, read as Temporal read a time zone argument: an
 * IANA id or link in any case, "UTC", a fixed offset ±HH[:MM] (not finer), or
 * a whole ISO date-time whose annotation, Z or offset names the zone.
 * Throws RangeError for anything else.
 */
export const resolveZone: (text: string) => Zone = memoized(resolve);

function resolve(text: string): Zone {
  const dateTime = parseIsoDateTime(text);
  const raw = dateTime ? (dateTime.zone ?? (dateTime.utc ? 'UTC' : dateTime.offset) ?? text) : text;
  const upper = raw.toUpperCase();
  const fixed = FIXED.exec(upper);
  if (fixed) {
    const minutes = Number(fixed[2]) * 60 + Number(fixed[3] ?? 0);
    const id = `${minutes === 0 || fixed[1] === '+' ? '+' : '-'}${fixed[2]}:${fixed[3] ?? '00'}`;
    return new FixedZone(id, (fixed[1] === '-' ? -60 : 60) * minutes || 0);
  }
  if (FIXED_WITH_SECONDS.test(upper)) throw new RangeError(`"${text}": a time zone offset has no seconds`);
  if (upper === 'UTC') return UTC;
  if (BAD_CHARACTERS.test(raw)) throw new RangeError(`"${text}" is not a time zone`);
  const id = ianaCase(raw);
  if (ICU_ONLY.has(id)) throw new RangeError(`"${text}" is not an IANA time zone`);
  return namedZone(id);
}
