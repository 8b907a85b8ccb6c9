import { describe, expect, it } from 'vitest';
import { prepareRule, rulePlan } from '@drumbeat/standards/rrule';
import { emptySlots, MAX_SLOTS_PER_CALL, slotsAfter, slotsBetween, type CadenceSpec } from './index.js';

const iso = (dates: Date[]) => dates.map((d) => d.toISOString());
const at = (s: string) => new Date(s);
const between = (spec: CadenceSpec, from: string, to: string) => iso(slotsBetween(spec, at(from), at(to)));

describe('COUNT and UNTIL', () => {
  it('counts COUNT from the anchor, so a default-anchored COUNT rule has its slots in January 2001', () => {
    const spec = { slots: ['FREQ=DAILY;COUNT=3;BYHOUR=9'], timezone: 'Europe/Paris' };
    expect(between(spec, '2000-12-01T00:00Z', '2026-01-01T00:00Z')).toEqual([
      '2001-01-01T08:00:00.000Z',
      '2001-01-02T08:00:00.000Z',
      '2001-01-03T08:00:00.000Z',
    ]);
    expect(between(spec, '2026-01-01T00:00Z', '2026-02-01T00:00Z')).toEqual([]);
  });

  it('counts COUNT from an anchor the account chooses, whatever window is asked', () => {
    const spec = { slots: ['FREQ=DAILY;COUNT=3;BYHOUR=9'], timezone: 'Europe/Paris', anchor: '2026-03-27' };
    expect(between(spec, '2026-03-01T00:00Z', '2026-05-01T00:00Z')).toEqual([
      '2026-03-27T08:00:00.000Z',
      '2026-03-28T08:00:00.000Z',
      '2026-03-29T07:00:00.000Z', // summer time from 29 March
    ]);
    expect(between(spec, '2026-03-28T00:00Z', '2026-05-01T00:00Z')).toEqual([
      '2026-03-28T08:00:00.000Z',
      '2026-03-29T07:00:00.000Z',
    ]);
  });

  it('does not count a slot skipped by a DST gap towards COUNT', () => {
    const spec = {
      slots: ['FREQ=DAILY;COUNT=3;BYHOUR=2;BYMINUTE=30'],
      timezone: 'America/New_York',
      anchor: '2026-03-07',
    };
    expect(between(spec, '2026-03-01T00:00Z', '2026-04-01T00:00Z')).toEqual([
      '2026-03-07T07:30:00.000Z',
      '2026-03-09T06:30:00.000Z',
      '2026-03-10T06:30:00.000Z',
    ]);
  });

  it('counts slots, not hours, for an hourly COUNT across the spring-forward gap', () => {
    const spec = { slots: ['FREQ=HOURLY;COUNT=3'], timezone: 'America/New_York', anchor: '2026-03-08' };
    expect(between(spec, '2026-03-01T00:00Z', '2026-04-01T00:00Z')).toEqual([
      '2026-03-08T05:00:00.000Z', // 00:00 EST
      '2026-03-08T06:00:00.000Z', // 01:00 EST; 02:00 does not exist
      '2026-03-08T07:00:00.000Z', // 03:00 EDT
    ]);
    expect(between(spec, '2026-03-08T07:00:01Z', '2026-04-01T00:00Z')).toEqual([]);
  });

  it('ends a large COUNT at its last slot, and turns it into an UNTIL once so no window walks from the anchor', () => {
    const spec = { slots: ['FREQ=DAILY;COUNT=10000;BYHOUR=9'], timezone: 'Europe/Paris' }; // 1 Jan 2001 to 18 May 2028
    expect(between(spec, '2028-05-15T00:00Z', '2028-06-01T00:00Z')).toEqual([
      '2028-05-15T07:00:00.000Z',
      '2028-05-16T07:00:00.000Z',
      '2028-05-17T07:00:00.000Z',
      '2028-05-18T07:00:00.000Z',
    ]);
    const dtstart = Date.parse('2000-12-31T23:00Z'); // 2001-01-01T00:00 in Paris
    const prepared = prepareRule(rulePlan(spec.slots[0]!), 'Europe/Paris', { day: 11_323, ms: dtstart });
    expect(prepared.plan.count).toBeUndefined();
    expect(new Date(prepared.plan.compiled!.untilMs).toISOString()).toBe('2028-05-18T07:00:00.000Z');
  });

  it('keeps slots up to and including UNTIL, and none after', () => {
    const spec = { slots: ['FREQ=DAILY;BYHOUR=9;UNTIL=20260305T080000Z'], timezone: 'Europe/Paris' };
    expect(between(spec, '2026-03-03T00:00Z', '2026-03-10T00:00Z')).toEqual([
      '2026-03-03T08:00:00.000Z',
      '2026-03-04T08:00:00.000Z',
      '2026-03-05T08:00:00.000Z',
    ]);
  });
});

describe('the anchor', () => {
  const fortnightly = { slots: ['FREQ=WEEKLY;INTERVAL=2;BYDAY=MO;BYHOUR=9'], timezone: 'UTC' };

  it('keeps INTERVAL=2 on the same weeks whichever day the window starts', () => {
    const expected = [
      '2026-03-09T09:00:00.000Z',
      '2026-03-23T09:00:00.000Z',
      '2026-04-06T09:00:00.000Z',
      '2026-04-20T09:00:00.000Z',
    ];
    expect(between(fortnightly, '2026-03-01T00:00Z', '2026-04-30T00:00Z')).toEqual(expected);
    expect(between(fortnightly, '2026-03-02T00:00Z', '2026-04-30T00:00Z')).toEqual(expected);
    expect(between(fortnightly, '2026-03-10T00:00Z', '2026-04-30T00:00Z')).toEqual(expected.slice(1));
    expect(between(fortnightly, '2026-03-16T12:00Z', '2026-04-30T00:00Z')).toEqual(expected.slice(1));
  });

  it('puts a rule without BYHOUR at local midnight and a weekly rule without BYDAY on Mondays', () => {
    expect(
      between({ slots: ['FREQ=WEEKLY'], timezone: 'Asia/Tokyo' }, '2026-06-01T00:00Z', '2026-06-16T00:00Z'),
    ).toEqual([
      '2026-06-07T15:00:00.000Z', // Monday 8 June 00:00 in Tokyo
      '2026-06-14T15:00:00.000Z',
    ]);
  });

  it('refuses an anchor that is not a date', () => {
    expect(() =>
      slotsBetween({ ...fortnightly, anchor: '2026-02-30' }, at('2026-03-01T00:00Z'), at('2026-04-01T00:00Z')),
    ).toThrow(RangeError);
  });
});

describe('several rules', () => {
  it('merges them in time order', () => {
    const spec = { slots: ['FREQ=DAILY;BYHOUR=18', 'FREQ=WEEKLY;BYDAY=TU;BYHOUR=9'], timezone: 'UTC' };
    expect(between(spec, '2026-03-02T00:00Z', '2026-03-04T00:00Z')).toEqual([
      '2026-03-02T18:00:00.000Z',
      '2026-03-03T09:00:00.000Z',
      '2026-03-03T18:00:00.000Z',
    ]);
  });

  it('gives one slot where two rules meet at the same instant', () => {
    const spec = {
      slots: ['FREQ=DAILY;BYHOUR=9', 'FREQ=WEEKLY;BYDAY=MO,TU;BYHOUR=9', 'FREQ=MONTHLY;BYMONTHDAY=3;BYHOUR=9'],
      timezone: 'Europe/Paris',
    };
    expect(between(spec, '2026-03-02T00:00Z', '2026-03-05T00:00Z')).toEqual([
      '2026-03-02T08:00:00.000Z',
      '2026-03-03T08:00:00.000Z',
      '2026-03-04T08:00:00.000Z',
    ]);
  });

  it('expands ordinal weekdays, such as the last Friday of the month', () => {
    const spec = { slots: ['FREQ=MONTHLY;BYDAY=-1FR;BYHOUR=9'], timezone: 'Europe/Paris' };
    expect(between(spec, '2026-01-01T00:00Z', '2026-05-01T00:00Z')).toEqual([
      '2026-01-30T08:00:00.000Z',
      '2026-02-27T08:00:00.000Z',
      '2026-03-27T08:00:00.000Z',
      '2026-04-24T07:00:00.000Z',
    ]);
  });
});

describe('windows, limits and the runaway guard', () => {
  const daily9 = { slots: ['FREQ=DAILY;BYHOUR=9'], timezone: 'UTC' };

  it('includes a slot at the window start and excludes one at its end', () => {
    expect(between(daily9, '2026-03-02T09:00Z', '2026-03-04T09:00Z')).toEqual([
      '2026-03-02T09:00:00.000Z',
      '2026-03-03T09:00:00.000Z',
    ]);
  });

  it('gives the next slots strictly after an instant, no more than asked, before the horizon', () => {
    expect(iso(slotsAfter(daily9, at('2026-03-02T09:00Z'), 2, at('2026-04-01T00:00Z')))).toEqual([
      '2026-03-03T09:00:00.000Z',
      '2026-03-04T09:00:00.000Z',
    ]);
    expect(iso(slotsAfter(daily9, at('2026-03-02T09:00Z'), 5, at('2026-03-04T09:00Z')))).toEqual([
      '2026-03-03T09:00:00.000Z',
    ]);
    expect(slotsAfter(daily9, at('2026-03-02T09:00Z'), 0, at('2026-04-01T00:00Z'))).toEqual([]);
  });

  it('finds the next slot of a sparse rule far ahead', () => {
    const leap = { slots: ['FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=29;BYHOUR=12'], timezone: 'UTC' };
    expect(iso(slotsAfter(leap, at('2026-03-01T00:00Z'), 1, at('2040-01-01T00:00Z')))).toEqual([
      '2028-02-29T12:00:00.000Z',
    ]);
  });

  it('returns at most 10,000 slots, the earliest, for a rule that fires every minute', () => {
    const everyMinute = { slots: ['FREQ=MINUTELY'], timezone: 'America/New_York' };
    const slots = slotsBetween(everyMinute, at('2026-03-01T00:00Z'), at('2026-04-01T00:00Z'));
    expect(slots).toHaveLength(MAX_SLOTS_PER_CALL);
    expect(slots[0]!.toISOString()).toBe('2026-03-01T00:00:00.000Z');
    expect(slots[MAX_SLOTS_PER_CALL - 1]!.getTime() - slots[0]!.getTime()).toBe((MAX_SLOTS_PER_CALL - 1) * 60_000);
  });

  it('is empty for an empty window or no rules, and refuses an invalid rule or zone', () => {
    expect(between(daily9, '2026-03-04T00:00Z', '2026-03-02T00:00Z')).toEqual([]);
    expect(between({ slots: [], timezone: 'UTC' }, '2026-03-01T00:00Z', '2026-03-04T00:00Z')).toEqual([]);
    for (const bad of ['FREQ=SOMETIMES', 'FREQ=DAILY;BYHOUR=24', 'FREQ=WEEKLY;WKST=XX', 'FREQ=DAILY;UNTIL=20260101']) {
      expect(
        () => slotsBetween({ slots: [bad], timezone: 'UTC' }, at('2026-03-01T00:00Z'), at('2026-03-04T00:00Z')),
        bad,
      ).toThrow(RangeError);
    }
    expect(() =>
      slotsBetween(
        { slots: ['FREQ=DAILY'], timezone: 'Nowhere/Land' },
        at('2026-03-01T00:00Z'),
        at('2026-03-04T00:00Z'),
      ),
    ).toThrow(RangeError);
  });
});

describe('empty slots', () => {
  it('are the slots with no post at the same instant', () => {
    const slots = [at('2026-03-02T09:00Z'), at('2026-03-03T09:00Z'), at('2026-03-04T09:00Z')];
    const filled = [at('2026-03-03T09:00Z'), at('2026-03-03T09:00:01Z'), at('2026-03-10T09:00Z')];
    expect(iso(emptySlots(slots, filled))).toEqual(['2026-03-02T09:00:00.000Z', '2026-03-04T09:00:00.000Z']);
    expect(iso(emptySlots(slots, new Set<Date>()))).toEqual(iso(slots));
    expect(emptySlots(slots, slots)).toEqual([]);
  });
});
