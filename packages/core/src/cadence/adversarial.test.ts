import { afterEach, describe, expect, it, vi } from 'vitest';
import { parseRRule } from '@drumbeat/standards/rrule';
import { ZoneTable } from '@drumbeat/standards/time';
import { slotsAfter, slotsBetween, type CadenceSpec } from './slots.js';

// Rules that pass validation yet once cost seconds to minutes of work per query (a reviewer's
// probes), and the bounds that now hold. Work is counted, never timed: every offset lookup and
// wall-time conversion of the zone tables is counted, and a query going over its budget throws
// at once (so a regression fails fast instead of running for minutes).

const DAY = 86_400_000;
const all = (n: number) => Array.from({ length: n }, (_, i) => i).join(',');
const NOW = new Date('2026-12-01T09:00:00Z');
const later = (days: number) => new Date(NOW.getTime() + days * DAY);

let calls = 0;
let budget = Infinity;
/** The furthest instant any zone table was asked to cover. */
let coveredTo = -Infinity;

function countWork(): void {
  const { instantOf, offsetAt, cover } = ZoneTable.prototype;
  const count = () => {
    if (++calls > budget) throw new Error(`work budget of ${budget} zone-table calls exceeded`);
  };
  vi.spyOn(ZoneTable.prototype, 'instantOf').mockImplementation(function (this: ZoneTable, ...args) {
    count();
    return instantOf.apply(this, args);
  });
  vi.spyOn(ZoneTable.prototype, 'offsetAt').mockImplementation(function (this: ZoneTable, ...args) {
    count();
    return offsetAt.apply(this, args);
  });
  vi.spyOn(ZoneTable.prototype, 'cover').mockImplementation(function (this: ZoneTable, fromMs, toMs) {
    coveredTo = Math.max(coveredTo, toMs);
    return cover.call(this, fromMs, toMs);
  });
}

/** Runs `f` allowed at most `max` zone-table calls (offset lookups and wall-time conversions); returns its result and the calls made. */
function within<T>(max: number, f: () => T): { result: T; calls: number } {
  countWork();
  calls = 0;
  budget = max;
  coveredTo = -Infinity;
  try {
    const result = f();
    if (process.env.SHOW_WORK) console.log('zone-table calls', calls);
    return { result, calls };
  } finally {
    budget = Infinity;
    vi.restoreAllMocks();
  }
}

afterEach(() => {
  budget = Infinity;
  vi.restoreAllMocks();
});

const iso = (ds: Date[]) => ds.map((d) => d.toISOString());

describe('BYSETPOS reads only the slots its positions reach', () => {
  const everyMinute = `FREQ=YEARLY;BYDAY=MO,TU,WE,TH,FR,SA,SU;BYHOUR=${all(24)};BYMINUTE=${all(60)}`;

  it("refuses the reviewer's rule, a slot every second of the year: more than a slot a minute", () => {
    const rule = `${everyMinute};BYSECOND=${all(60)};BYSETPOS=-1;COUNT=10000`;
    expect(parseRRule(rule)).toEqual({
      error: 'BYHOUR × BYMINUTE × BYSECOND give up to 86400 slots a day: at most 1440 (one a minute) are allowed',
    });
  });

  it('finds the last slot of each year of a 527,040-slot yearly set in a few calls (COUNT walks 100 years of them)', () => {
    // Once ~115 s and ~1 GB: the whole set of every year for 100 years, to find the COUNT-th slot.
    const spec: CadenceSpec = { slots: [`${everyMinute};BYSETPOS=-1;COUNT=10000`], timezone: 'Europe/Paris' };
    const { result, calls: n } = within(10_000, () => ({
      isSlot: slotsBetween(spec, new Date('2026-12-31T22:59:00Z'), new Date('2026-12-31T22:59:00.001Z')),
      next: slotsAfter(spec, NOW, 3, later(3 * 366)),
    }));
    expect(iso(result.isSlot)).toEqual(['2026-12-31T22:59:00.000Z']);
    expect(iso(result.next)).toEqual([
      '2026-12-31T22:59:00.000Z',
      '2027-12-31T22:59:00.000Z',
      '2028-12-31T22:59:00.000Z',
    ]);
    expect(n).toBeLessThan(10_000);
  });

  it('costs a 1-day window a bounded number of calls, whatever the set size, counting from both ends', () => {
    const spec: CadenceSpec = { slots: [`${everyMinute};BYSETPOS=366,-366`], timezone: 'Australia/Lord_Howe' };
    // About 366 + 366 slots read a year: 20 times that is allowed, a year's whole set is 527,040.
    const { result } = within(60_000, () => slotsAfter(spec, NOW, 4, later(800)));
    // The 366th minute of the year is 06:05 on 1 January; the 366th from its end 17:54 on 31 December.
    // (Lord Howe Island is at +11:00 in its summer, so both are on 31 December in UTC.)
    expect(iso(result)).toEqual([
      '2026-12-31T06:54:00.000Z',
      '2026-12-31T19:05:00.000Z',
      '2027-12-31T06:54:00.000Z',
      '2027-12-31T19:05:00.000Z',
    ]);
  });

  it('picks the same slots as the whole set would: gap times do not count, positions from either end', () => {
    // March 2026 in Paris: 02:00 on Sunday the 29th does not exist, so it is no position.
    const zone = 'Europe/Paris';
    const from = new Date('2026-02-28T23:00:00Z');
    const to = new Date('2026-03-31T22:00:00Z');
    const set = slotsBetween({ slots: ['FREQ=MONTHLY;BYDAY=SU;BYHOUR=2,3'], timezone: zone }, from, to);
    expect(set).toHaveLength(9);
    const picked = slotsBetween(
      { slots: ['FREQ=MONTHLY;BYDAY=SU;BYHOUR=2,3;BYSETPOS=1,2,-1,-2,-3,9,-9,10'], timezone: zone },
      from,
      to,
    );
    expect(iso(picked)).toEqual(iso([set[0]!, set[1]!, set[6]!, set[7]!, set[8]!]));
    expect(iso(picked).at(-1)).toBe('2026-03-29T01:00:00.000Z');
  });

  it("bounds a sub-daily rule's BYSETPOS the same way", () => {
    const spec: CadenceSpec = {
      slots: [`FREQ=HOURLY;BYHOUR=9;BYMINUTE=${all(60)};BYSECOND=${all(24)};BYSETPOS=2,-2`],
      timezone: 'UTC',
    };
    // Four slots read a day (the whole set is 1,440): 30 days allowed 3,000 calls.
    const { result } = within(3_000, () => slotsBetween(spec, NOW, later(30)));
    expect(result).toHaveLength(60);
    // 24 seconds a minute: the second time of the hour is 09:00:01, the second from its end 09:59:22.
    expect(iso(result.slice(0, 2))).toEqual(['2026-12-01T09:00:01.000Z', '2026-12-01T09:59:22.000Z']);
  });

  it("refuses a sub-daily BYSETPOS that can never pick (once every minute of a year walked for nothing), and drops positions past a period's slots", () => {
    expect(parseRRule('FREQ=MINUTELY;BYSECOND=7;BYSETPOS=-2')).toEqual({
      error: expect.stringContaining('BYSETPOS=-2 never picks: each minute of this rule holds 1 slot'),
    });
    expect(parseRRule('FREQ=HOURLY;BYMINUTE=0,30;BYSETPOS=3')).toEqual({
      error: expect.stringContaining('each hour of this rule holds 2 slots'),
    });
    const kept = { slots: ['FREQ=HOURLY;BYHOUR=9;BYMINUTE=0,30;BYSETPOS=-1,5'], timezone: 'Europe/Paris' };
    const alone = { slots: ['FREQ=HOURLY;BYHOUR=9;BYMINUTE=0,30;BYSETPOS=-1'], timezone: 'Europe/Paris' };
    expect(iso(slotsBetween(kept, NOW, later(3)))).toEqual(iso(slotsBetween(alone, NOW, later(3))));
    // 09:30 in Paris: 1 December's has passed at NOW (09:00Z).
    expect(iso(slotsBetween(kept, NOW, later(3)))).toEqual([
      '2026-12-02T08:30:00.000Z',
      '2026-12-03T08:30:00.000Z',
      '2026-12-04T08:30:00.000Z',
    ]);
  });
});

describe('HOURLY and MINUTELY rules jump over the periods BYHOUR and BYMINUTE drop', () => {
  const never = 'FREQ=MINUTELY;INTERVAL=2;BYMINUTE=1';

  it('answers "no slots" for a rule whose steps never land, over 1,000,000 weeks, in a few calls', () => {
    // Once 116 s: every other minute tried, for 19,000 years.
    for (const timezone of ['UTC', 'Europe/Paris']) {
      const { result } = within(2_000, () => slotsBetween({ slots: [never], timezone }, NOW, later(7_000_000)));
      expect(result).toEqual([]);
    }
  });

  it('answers a next-free-slot batch of 20 such rules over 366 days in a few calls', () => {
    // Once 130–150 ms a batch.
    const slots = Array.from({ length: 20 }, (_, i) => `FREQ=MINUTELY;INTERVAL=2;BYMINUTE=${2 * i + 1}`);
    for (const timezone of ['UTC', 'Europe/Paris']) {
      const { result } = within(8_000, () => slotsAfter({ slots, timezone }, NOW, 64, later(366)));
      expect(result).toEqual([]);
    }
  });

  it("stays on the clock's grid where a DST change shifts by 30 minutes (Lord Howe Island)", () => {
    // Steps of 60 wall minutes from local midnight fall on :00 whatever the offset (+11:00 in summer,
    // +10:30 from 02:00 on 5 April 2026, 15:00Z): BYMINUTE=30 never holds, and the jump says so at once.
    const never: CadenceSpec = { slots: ['FREQ=MINUTELY;INTERVAL=60;BYMINUTE=30'], timezone: 'Australia/Lord_Howe' };
    expect(within(2_000, () => slotsBetween(never, new Date('2026-04-01T00:00Z'), later(3_000))).result).toEqual([]);
    const hourly: CadenceSpec = { slots: ['FREQ=MINUTELY;INTERVAL=60;BYMINUTE=0'], timezone: 'Australia/Lord_Howe' };
    const { result: autumn } = within(2_000, () =>
      slotsBetween(hourly, new Date('2026-04-04T13:00Z'), new Date('2026-04-04T17:00Z')),
    );
    // 00:00 and 01:00 (+11:00), then 02:00 and 03:00 (+10:30; 01:30–02:00 came twice).
    expect(iso(autumn)).toEqual([
      '2026-04-04T13:00:00.000Z',
      '2026-04-04T14:00:00.000Z',
      '2026-04-04T15:30:00.000Z',
      '2026-04-04T16:30:00.000Z',
    ]);
  });
});

describe('every query is bounded', () => {
  it('refuses day-based rules that can never occur, naming the parts', () => {
    expect(parseRRule('FREQ=YEARLY;BYWEEKNO=1;BYMONTH=6')).toEqual({ error: 'BYWEEKNO=1 never falls in BYMONTH=6' });
    expect(parseRRule('FREQ=YEARLY;BYWEEKNO=2,3;BYMONTH=12')).toEqual({
      error: 'BYWEEKNO=2,3 never falls in BYMONTH=12',
    });
    expect(parseRRule('FREQ=YEARLY;BYYEARDAY=1,-1;BYMONTH=6')).toEqual({
      error: 'BYYEARDAY=1,-1 never falls in BYMONTH=6',
    });
    expect(parseRRule('FREQ=YEARLY;BYYEARDAY=-306;BYMONTH=2')).toEqual({
      error: 'BYYEARDAY=-306 never falls in BYMONTH=2',
    });
    // Week 1 may start on 29 December and week 53 end on 3 January; day 60 is 29 February or 1 March, day -307 28 or 29 February.
    for (const rule of [
      'FREQ=YEARLY;BYWEEKNO=1;BYMONTH=12',
      'FREQ=YEARLY;BYWEEKNO=-1;BYMONTH=1',
      'FREQ=YEARLY;BYWEEKNO=53;BYMONTH=1',
      'FREQ=YEARLY;BYYEARDAY=60;BYMONTH=2',
      'FREQ=YEARLY;BYYEARDAY=60;BYMONTH=3',
      'FREQ=YEARLY;BYYEARDAY=-307;BYMONTH=2',
    ]) {
      expect(parseRRule(rule), rule).toEqual({ rule });
    }
  });

  it('refuses more than a slot a minute, naming the parts, and keeps denser-looking rules that are not', () => {
    expect(parseRRule(`FREQ=HOURLY;BYMINUTE=${all(60)};BYSECOND=0,30`)).toEqual({
      error:
        'FREQ=HOURLY with its INTERVAL, BYHOUR, BYMINUTE and BYSECOND give up to 2880 slots a day: at most 1440 (one a minute) are allowed',
    });
    expect(parseRRule('FREQ=MINUTELY;BYSECOND=0,30')).toEqual({
      error:
        'FREQ=MINUTELY with its INTERVAL, BYHOUR, BYMINUTE and BYSECOND give up to 2880 slots a day: at most 1440 (one a minute) are allowed',
    });
    for (const rule of [
      'FREQ=MINUTELY',
      'FREQ=MINUTELY;INTERVAL=2;BYSECOND=0,30',
      'FREQ=MINUTELY;BYHOUR=9;BYSECOND=0,30',
      `FREQ=HOURLY;BYMINUTE=${all(60)}`,
      `FREQ=DAILY;BYHOUR=${all(24)};BYMINUTE=${all(60)}`,
      'FREQ=DAILY;BYHOUR=9,10,11,12,13,14,15,16;BYMINUTE=0,20,40',
    ]) {
      expect(parseRRule(rule), rule).toEqual({ rule });
    }
  });

  it('looks no further than 100 years for a day-based rule that never yields a slot', () => {
    // The last Sunday of March at 02:00 is always in Berlin's spring-forward gap. Once 12.7 s
    // over 1,000,000 weeks, mostly reading the zone's offsets for 19,000 years.
    const spec: CadenceSpec = { slots: ['FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU;BYHOUR=2'], timezone: 'Europe/Berlin' };
    const { result } = within(6_000, () => slotsBetween(spec, NOW, later(7_000_000)));
    expect(result).toEqual([]);
    expect(coveredTo).toBeLessThan(NOW.getTime() + 102 * 366 * DAY);
    // A COUNT rule of it: its COUNT-th slot is looked for within 100 years of the anchor.
    const counted: CadenceSpec = {
      slots: ['FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU;BYHOUR=2;COUNT=5'],
      timezone: 'Europe/Berlin',
      anchor: '2026-01-01',
    };
    expect(within(6_000, () => slotsBetween(counted, NOW, later(7_000_000))).result).toEqual([]);
    expect(coveredTo).toBeLessThan(Date.parse('2026-01-01') + 102 * 366 * DAY);
  });

  it('still finds sparse slots within the horizon, and none beyond it', () => {
    const every50 = { slots: ['FREQ=YEARLY;INTERVAL=50;BYMONTH=6;BYMONTHDAY=1'], timezone: 'UTC' };
    expect(iso(slotsAfter(every50, NOW, 1, later(200 * 366)))).toEqual(['2051-06-01T00:00:00.000Z']);
    // 2151 is more than 100 years after the window's start: the rule answers "no more slots".
    expect(slotsAfter({ slots: ['FREQ=YEARLY;INTERVAL=150'], timezone: 'UTC' }, NOW, 1, later(200 * 366))).toEqual([]);
    // MINUTELY rules look one year ahead (HOURLY ten).
    const yearly9am = { slots: ['FREQ=MINUTELY;BYMONTH=6;BYMONTHDAY=1;BYHOUR=9;BYMINUTE=0'], timezone: 'UTC' };
    expect(iso(slotsBetween(yearly9am, NOW, later(4 * 366)))).toEqual(['2027-06-01T09:00:00.000Z']);
  });
});
