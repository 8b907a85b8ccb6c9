import { describe, expect, it } from 'vitest';
import { localToInstant, slotsBetween } from './index.js';

const iso = (dates: Date[]) => dates.map((d) => d.toISOString());
const between = (rule: string, timezone: string, from: string, to: string) =>
  iso(slotsBetween({ slots: [rule], timezone }, new Date(from), new Date(to)));

const MWF_0930 = 'FREQ=WEEKLY;BYDAY=MO,WE,FR;BYHOUR=9;BYMINUTE=30';

describe('weekly slots keep their local time across DST changes', () => {
  it('stays at 09:30 in New York when clocks spring forward on 2026-03-08', () => {
    expect(between(MWF_0930, 'America/New_York', '2026-03-06T00:00Z', '2026-03-12T00:00Z')).toEqual([
      '2026-03-06T14:30:00.000Z', // Friday, EST (UTC-5)
      '2026-03-09T13:30:00.000Z', // Monday, EDT (UTC-4)
      '2026-03-11T13:30:00.000Z',
    ]);
  });

  it('stays at 09:30 in New York when clocks fall back on 2026-11-01', () => {
    expect(between(MWF_0930, 'America/New_York', '2026-10-30T00:00Z', '2026-11-05T00:00Z')).toEqual([
      '2026-10-30T13:30:00.000Z', // Friday, EDT
      '2026-11-02T14:30:00.000Z', // Monday, EST
      '2026-11-04T14:30:00.000Z',
    ]);
  });

  it('stays at 09:30 in Paris when clocks spring forward on 2026-03-29', () => {
    expect(between(MWF_0930, 'Europe/Paris', '2026-03-27T00:00Z', '2026-04-02T00:00Z')).toEqual([
      '2026-03-27T08:30:00.000Z', // Friday, CET (UTC+1)
      '2026-03-30T07:30:00.000Z', // Monday, CEST (UTC+2)
      '2026-04-01T07:30:00.000Z',
    ]);
  });

  it('stays at 09:30 in Paris when clocks fall back on 2026-10-25', () => {
    expect(between(MWF_0930, 'Europe/Paris', '2026-10-23T00:00Z', '2026-10-29T00:00Z')).toEqual([
      '2026-10-23T07:30:00.000Z', // Friday, CEST
      '2026-10-26T08:30:00.000Z', // Monday, CET
      '2026-10-28T08:30:00.000Z',
    ]);
  });

  it('stays at 09:30 in Sydney across the southern autumn change on 2026-04-05', () => {
    expect(between(MWF_0930, 'Australia/Sydney', '2026-04-02T00:00Z', '2026-04-07T00:00Z')).toEqual([
      '2026-04-02T22:30:00.000Z', // Friday 3 April, AEDT (UTC+11)
      '2026-04-05T23:30:00.000Z', // Monday 6 April, AEST (UTC+10)
    ]);
  });
});

describe('slots at local times DST removes or repeats', () => {
  it('skips a daily 02:30 slot in New York on 2026-03-08, when 02:30 does not exist', () => {
    expect(
      between('FREQ=DAILY;BYHOUR=2;BYMINUTE=30', 'America/New_York', '2026-03-07T00:00Z', '2026-03-10T00:00Z'),
    ).toEqual(['2026-03-07T07:30:00.000Z', '2026-03-09T06:30:00.000Z']);
  });

  it('gives one daily 01:30 slot in New York on 2026-11-01, at the first (EDT) 01:30', () => {
    expect(
      between('FREQ=DAILY;BYHOUR=1;BYMINUTE=30', 'America/New_York', '2026-10-31T00:00Z', '2026-11-03T00:00Z'),
    ).toEqual([
      '2026-10-31T05:30:00.000Z',
      '2026-11-01T05:30:00.000Z', // 01:30 EDT; 01:30 EST (06:30Z) is not a second slot
      '2026-11-02T06:30:00.000Z',
    ]);
  });

  it('leaves a skipped time out before BYSETPOS picks: the last Sunday of March at 02:30 in Paris is the 22nd', () => {
    const rule = 'FREQ=MONTHLY;BYDAY=SU;BYSETPOS=-1;BYHOUR=2;BYMINUTE=30';
    expect(between(rule, 'Europe/Paris', '2026-02-01T00:00Z', '2026-05-01T00:00Z')).toEqual([
      '2026-02-22T01:30:00.000Z',
      '2026-03-22T01:30:00.000Z', // 29 March 02:30 does not exist, so it is not in March's set
      '2026-04-26T00:30:00.000Z',
    ]);
  });

  it('skips a slot in the gap without shifting the slots after it', () => {
    const slots = between(
      'FREQ=DAILY;BYHOUR=2,3;BYMINUTE=30',
      'Europe/Paris',
      '2026-03-28T00:00Z',
      '2026-03-30T00:00Z',
    );
    expect(slots).toEqual(['2026-03-28T01:30:00.000Z', '2026-03-28T02:30:00.000Z', '2026-03-29T01:30:00.000Z']);
  });
});

describe('rules that repeat within the day', () => {
  it('step every two hours on the clock through the fall-back in New York', () => {
    expect(between('FREQ=HOURLY;INTERVAL=2', 'America/New_York', '2026-11-01T03:00Z', '2026-11-01T12:00Z')).toEqual([
      '2026-11-01T04:00:00.000Z', // 00:00 EDT
      '2026-11-01T07:00:00.000Z', // 02:00 EST (three hours of elapsed time later: 01:00 is repeated)
      '2026-11-01T09:00:00.000Z', // 04:00 EST
      '2026-11-01T11:00:00.000Z',
    ]);
  });

  it('keep "every two hours" on the even hours in Paris, winter and summer (issue 23)', () => {
    const rule = 'FREQ=HOURLY;INTERVAL=2;BYHOUR=14,16';
    expect(between(rule, 'Europe/Paris', '2026-01-14T00:00Z', '2026-01-15T00:00Z')).toEqual([
      '2026-01-14T13:00:00.000Z',
      '2026-01-14T15:00:00.000Z',
    ]);
    expect(between(rule, 'Europe/Paris', '2026-07-14T00:00Z', '2026-07-15T00:00Z')).toEqual([
      '2026-07-14T12:00:00.000Z',
      '2026-07-14T14:00:00.000Z',
    ]);
  });

  it("give no extra slot where a zone shifts by an hour at a :45 or :30 offset (Chatham, St John's)", () => {
    const clock = (zone: string, xs: string[]) =>
      xs.map((e) =>
        new Intl.DateTimeFormat('en-GB', {
          timeZone: zone,
          hour: '2-digit',
          minute: '2-digit',
          hourCycle: 'h23',
        }).format(new Date(e)),
      );
    // Every three hours over local 4 and 5 April in Chatham, which falls back from +13:45 to +12:45 at 03:45 on the 5th.
    const chatham = between('FREQ=HOURLY;INTERVAL=3', 'Pacific/Chatham', '2026-04-03T10:15Z', '2026-04-05T11:15Z');
    expect(clock('Pacific/Chatham', chatham)).toEqual(
      [...Array(2)].flatMap(() => ['00:00', '03:00', '06:00', '09:00', '12:00', '15:00', '18:00', '21:00']),
    );
    // Every four hours over local 7 and 8 March in St John's, which springs forward from -03:30 to -02:30 at 02:00 on the 8th.
    const stJohns = between('FREQ=HOURLY;INTERVAL=4', 'America/St_Johns', '2026-03-07T03:30Z', '2026-03-09T02:30Z');
    expect(clock('America/St_Johns', stJohns)).toEqual(
      [...Array(2)].flatMap(() => ['00:00', '04:00', '08:00', '12:00', '16:00', '20:00']),
    );
  });

  it('give one slot per local time in the hour New York repeats, at its first occurrence', () => {
    expect(between('FREQ=MINUTELY;INTERVAL=30', 'America/New_York', '2026-11-01T04:00Z', '2026-11-01T08:00Z')).toEqual([
      '2026-11-01T04:00:00.000Z', // 00:00 EDT
      '2026-11-01T04:30:00.000Z',
      '2026-11-01T05:00:00.000Z', // 01:00 EDT; 01:00 EST (06:00Z) is the same local time
      '2026-11-01T05:30:00.000Z', // 01:30 EDT; 01:30 EST (06:30Z) likewise
      '2026-11-01T07:00:00.000Z', // 02:00 EST
      '2026-11-01T07:30:00.000Z',
    ]);
  });

  it('skip the hour that does not exist when clocks spring forward', () => {
    expect(between('FREQ=HOURLY;BYMINUTE=30', 'America/New_York', '2026-03-08T05:00Z', '2026-03-08T09:00Z')).toEqual([
      '2026-03-08T05:30:00.000Z', // 00:30 EST
      '2026-03-08T06:30:00.000Z', // 01:30 EST; 02:30 does not exist
      '2026-03-08T07:30:00.000Z', // 03:30 EDT
      '2026-03-08T08:30:00.000Z',
    ]);
  });
});

describe('an explicit local time', () => {
  it('moves 02:30 on 2026-03-08 in New York forward to 03:30 EDT', () => {
    expect(localToInstant('2026-03-08T02:30', 'America/New_York').toISOString()).toBe('2026-03-08T07:30:00.000Z');
  });

  it('takes the first of the two 01:30s on 2026-11-01 in New York', () => {
    expect(localToInstant('2026-11-01T01:30', 'America/New_York').toISOString()).toBe('2026-11-01T05:30:00.000Z');
  });

  it('reads an ordinary time with seconds in its zone', () => {
    expect(localToInstant('2026-07-14T09:30:15', 'Europe/Paris').toISOString()).toBe('2026-07-14T07:30:15.000Z');
  });

  it('refuses a time with an offset, a malformed time, or an unknown zone', () => {
    expect(() => localToInstant('2026-07-14T09:30Z', 'Europe/Paris')).toThrow(RangeError);
    expect(() => localToInstant('2026-02-30T09:30', 'Europe/Paris')).toThrow(RangeError);
    expect(() => localToInstant('2026-07-14T09:30', 'Europe/Atlantis')).toThrow(RangeError);
  });
});
