import { describe, expect, it } from 'vitest';
import { localToInstant } from '../time/index.js';
import { occurrences } from './test-occurrences.js';

/**
 * The examples of RFC 5545 §3.8.5.3, an oracle independent of rrule-temporal,
 * in their own zone (America/New_York) with DTSTART at 09:00 on the anchor
 * day: a slot rule's DTSTART is local midnight, so each rule says BYHOUR=9.
 * Each DTSTART is itself an occurrence, as RFC 5545 counts it first.
 */
const ZONE = 'America/New_York';
const at9 = (dates: string[]) => dates.map((d) => localToInstant(`${d}T09:00`, ZONE).toISOString());
const slots = (rule: string, anchor: string, from: string, to: string) =>
  occurrences(rule, ZONE, anchor, Date.parse(`${from}T00:00Z`), Date.parse(`${to}T00:00Z`)).map((ms) =>
    new Date(ms).toISOString(),
  );

describe('the RFC 5545 examples', () => {
  it('Monday of week number 20', () => {
    expect(slots('FREQ=YEARLY;BYWEEKNO=20;BYDAY=MO;BYHOUR=9', '1997-05-12', '1997-01-01', '2000-01-01')).toEqual(
      at9(['1997-05-12', '1998-05-11', '1999-05-17']),
    );
  });

  it('every 20th Monday of the year', () => {
    expect(slots('FREQ=YEARLY;BYDAY=20MO;BYHOUR=9', '1997-05-19', '1997-01-01', '2000-01-01')).toEqual(
      at9(['1997-05-19', '1998-05-18', '1999-05-17']),
    );
  });

  it('every 3rd year on the 1st, 100th and 200th day, 10 times', () => {
    expect(
      slots('FREQ=YEARLY;INTERVAL=3;COUNT=10;BYYEARDAY=1,100,200;BYHOUR=9', '1997-01-01', '1997-01-01', '2010-01-01'),
    ).toEqual(
      at9([
        '1997-01-01',
        '1997-04-10',
        '1997-07-19',
        '2000-01-01',
        '2000-04-09',
        '2000-07-18',
        '2003-01-01',
        '2003-04-10',
        '2003-07-19',
        '2006-01-01',
      ]),
    );
  });

  it('the third of Tuesday, Wednesday or Thursday in the month, 3 times', () => {
    expect(
      slots('FREQ=MONTHLY;COUNT=3;BYDAY=TU,WE,TH;BYSETPOS=3;BYHOUR=9', '1997-09-04', '1997-01-01', '1999-01-01'),
    ).toEqual(at9(['1997-09-04', '1997-10-07', '1997-11-06']));
  });

  it('the second-to-last weekday of the month', () => {
    expect(
      slots('FREQ=MONTHLY;BYDAY=MO,TU,WE,TH,FR;BYSETPOS=-2;BYHOUR=9', '1997-09-29', '1997-09-01', '1998-04-01'),
    ).toEqual(at9(['1997-09-29', '1997-10-30', '1997-11-27', '1997-12-30', '1998-01-29', '1998-02-26', '1998-03-30']));
  });

  it('every Friday the 13th', () => {
    expect(slots('FREQ=MONTHLY;BYDAY=FR;BYMONTHDAY=13;BYHOUR=9', '1997-09-02', '1997-09-01', '2001-01-01')).toEqual(
      at9(['1998-02-13', '1998-03-13', '1998-11-13', '1999-08-13', '2000-10-13']),
    );
  });

  it('the first Saturday after the first Sunday of the month', () => {
    expect(
      slots('FREQ=MONTHLY;BYDAY=SA;BYMONTHDAY=7,8,9,10,11,12,13;BYHOUR=9', '1997-09-13', '1997-09-01', '1998-07-01'),
    ).toEqual(
      at9([
        '1997-09-13',
        '1997-10-11',
        '1997-11-08',
        '1997-12-13',
        '1998-01-10',
        '1998-02-07',
        '1998-03-07',
        '1998-04-11',
        '1998-05-09',
        '1998-06-13',
      ]),
    );
  });

  it('US presidential election day, every 4 years', () => {
    expect(
      slots(
        'FREQ=YEARLY;INTERVAL=4;BYMONTH=11;BYDAY=TU;BYMONTHDAY=2,3,4,5,6,7,8;BYHOUR=9',
        '1996-11-05',
        '1996-01-01',
        '2005-01-01',
      ),
    ).toEqual(at9(['1996-11-05', '2000-11-07', '2004-11-02']));
  });

  it('every other week on Tuesday and Sunday, 4 times, with weeks starting on Monday or on Sunday', () => {
    expect(
      slots('FREQ=WEEKLY;INTERVAL=2;COUNT=4;BYDAY=TU,SU;WKST=MO;BYHOUR=9', '1997-08-05', '1997-08-01', '1997-10-01'),
    ).toEqual(at9(['1997-08-05', '1997-08-10', '1997-08-19', '1997-08-24']));
    expect(
      slots('FREQ=WEEKLY;INTERVAL=2;COUNT=4;BYDAY=TU,SU;WKST=SU;BYHOUR=9', '1997-08-05', '1997-08-01', '1997-10-01'),
    ).toEqual(at9(['1997-08-05', '1997-08-17', '1997-08-19', '1997-08-31']));
  });

  it('on the first and last day of the month, 10 times', () => {
    expect(slots('FREQ=MONTHLY;COUNT=10;BYMONTHDAY=1,-1;BYHOUR=9', '1997-09-30', '1997-09-01', '1999-01-01')).toEqual(
      at9([
        '1997-09-30',
        '1997-10-01',
        '1997-10-31',
        '1997-11-01',
        '1997-11-30',
        '1997-12-01',
        '1997-12-31',
        '1998-01-01',
        '1998-01-31',
        '1998-02-01',
      ]),
    );
  });

  it('every Thursday in March', () => {
    expect(slots('FREQ=YEARLY;BYMONTH=3;BYDAY=TH;BYHOUR=9', '1997-03-13', '1997-01-01', '1999-01-01')).toEqual(
      at9(['1997-03-13', '1997-03-20', '1997-03-27', '1998-03-05', '1998-03-12', '1998-03-19', '1998-03-26']),
    );
  });

  it('every 20 minutes from 9:00 to 16:40, as a DAILY and as a MINUTELY rule', () => {
    const want = [9, 10, 11, 12, 13, 14, 15, 16].flatMap((h) =>
      [0, 20, 40].map((m) =>
        localToInstant(`1997-09-02T${String(h).padStart(2, '0')}:${String(m).padStart(2, '0')}`, ZONE).toISOString(),
      ),
    );
    expect(
      slots('FREQ=DAILY;BYHOUR=9,10,11,12,13,14,15,16;BYMINUTE=0,20,40', '1997-09-02', '1997-09-02', '1997-09-03'),
    ).toEqual(want);
    expect(
      slots('FREQ=MINUTELY;INTERVAL=20;BYHOUR=9,10,11,12,13,14,15,16', '1997-09-02', '1997-09-02', '1997-09-03'),
    ).toEqual(want);
  });
});

describe('RFC 5545 where rrule-temporal reads it otherwise (so the property test does not compare these)', () => {
  it('lets BYDAY limit a YEARLY BYYEARDAY: the 1st, 5th and 12th days of the year that are Mondays', () => {
    // 1 January is a Thursday in 2026, a Friday in 2027, a Saturday in 2028 and a Monday in 2029.
    expect(slots('FREQ=YEARLY;BYYEARDAY=1,5,12;BYDAY=MO;BYHOUR=9', '2001-01-01', '2026-01-01', '2030-01-01')).toEqual(
      at9(['2026-01-05', '2026-01-12', '2029-01-01']),
    );
  });

  it('lets BYDAY limit a YEARLY BYMONTHDAY with an ordinal in the year: the first Monday of the year, when a 1st', () => {
    expect(slots('FREQ=YEARLY;BYMONTHDAY=1;BYDAY=1MO;BYHOUR=9', '2001-01-01', '2020-01-01', '2030-01-01')).toEqual(
      at9(['2024-01-01', '2029-01-01']),
    );
  });

  it('gives a 53rd weekday only in a year that has 53 of it, and mixes ordinals with plain weekdays', () => {
    // 53 Thursdays in 2020 (a leap year from a Wednesday) and 2026 (from a Thursday); 53 Sundays in 2023 (from a Sunday) and 2028 (a leap year from a Saturday).
    expect(slots('FREQ=YEARLY;BYDAY=53TH,-53SU;BYHOUR=9', '2001-01-01', '2020-01-01', '2030-01-01')).toEqual(
      at9(['2020-12-31', '2023-01-01', '2026-12-31', '2028-01-02']),
    );
    expect(slots('FREQ=YEARLY;BYDAY=1MO,TU;BYMONTH=1;BYHOUR=9', '2001-01-01', '2026-01-01', '2026-01-15')).toEqual(
      at9(['2026-01-05', '2026-01-06', '2026-01-13']),
    );
    expect(slots('FREQ=YEARLY;BYDAY=1MO,TU;BYHOUR=9', '2001-01-01', '2026-01-01', '2026-01-15')).toEqual(
      at9(['2026-01-05', '2026-01-06', '2026-01-13']),
    );
  });

  it('takes both BYYEARDAY and BYMONTHDAY as holding, and BYWEEKNO without BYDAY on the anchor weekday', () => {
    expect(
      slots('FREQ=YEARLY;BYYEARDAY=32,60;BYMONTHDAY=1;BYHOUR=9', '2001-01-01', '2026-01-01', '2029-01-01'),
    ).toEqual(at9(['2026-02-01', '2026-03-01', '2027-02-01', '2027-03-01', '2028-02-01']));
    // 2001-01-01, the default anchor, is a Monday; 2026-01-08 a Thursday.
    expect(slots('FREQ=YEARLY;BYWEEKNO=2;BYHOUR=9', '2001-01-01', '2026-01-01', '2028-01-01')).toEqual(
      at9(['2026-01-05', '2027-01-11']),
    );
    expect(slots('FREQ=YEARLY;BYWEEKNO=2;BYHOUR=9', '2026-01-08', '2026-01-01', '2028-01-01')).toEqual(
      at9(['2026-01-08', '2027-01-14']),
    );
  });
});
