import { describe, expect, it } from 'vitest';
import { parseRRule } from './rrule.js';

describe('a slot rule', () => {
  it('is normalised: upper case, RRULE: prefix dropped', () => {
    expect(parseRRule('rrule:freq=weekly;byday=mo;byhour=9')).toEqual({ rule: 'FREQ=WEEKLY;BYDAY=MO;BYHOUR=9' });
  });

  it('may COUNT up to 10,000 occurrences, and no more', () => {
    expect(parseRRule('FREQ=DAILY;COUNT=10000')).toEqual({ rule: 'FREQ=DAILY;COUNT=10000' });
    expect(parseRRule('FREQ=DAILY;COUNT=10001')).toEqual({ error: 'COUNT must be a whole number from 1 to 10000' });
    expect(parseRRule('FREQ=DAILY;COUNT=0')).toHaveProperty('error');
  });

  it('keeps every number in its RFC 5545 range', () => {
    expect(parseRRule('FREQ=DAILY;BYHOUR=24')).toEqual({ error: 'BYHOUR=24: each value must be 0…23' });
    expect(parseRRule('FREQ=DAILY;BYSECOND=60')).toEqual({ error: 'BYSECOND=60: each value must be 0…59' });
    expect(parseRRule('FREQ=DAILY;BYMONTH=13')).toHaveProperty('error');
    expect(parseRRule('FREQ=DAILY;INTERVAL=0')).toHaveProperty('error');
    expect(parseRRule('FREQ=DAILY;BYHOUR=9,')).toHaveProperty('error');
    expect(parseRRule('FREQ=MONTHLY;BYMONTHDAY=0')).toHaveProperty('error');
    expect(parseRRule('FREQ=MONTHLY;BYMONTHDAY=-1;BYHOUR=9,18')).toEqual({
      rule: 'FREQ=MONTHLY;BYMONTHDAY=-1;BYHOUR=9,18',
    });
  });

  it('carries no DTSTART and no SECONDLY frequency', () => {
    expect(parseRRule('FREQ=DAILY;DTSTART=20260101T000000Z')).toHaveProperty('error');
    expect(parseRRule('FREQ=SECONDLY')).toHaveProperty('error');
  });

  it('refuses the calendars of RFC 7529 (RSCALE, SKIP) and parts outside RFC 5545, naming them', () => {
    expect(parseRRule('FREQ=MONTHLY;RSCALE=HEBREW;BYMONTHDAY=1')).toEqual({
      error: 'RSCALE (RFC 7529) is not supported: slot rules use the Gregorian calendar',
    });
    expect(parseRRule('FREQ=YEARLY;RSCALE=GREGORIAN;SKIP=FORWARD;BYMONTHDAY=31')).toEqual({
      error: 'RSCALE (RFC 7529) is not supported: slot rules use the Gregorian calendar',
    });
    expect(parseRRule('FREQ=MONTHLY;SKIP=OMIT')).toEqual({
      error: 'SKIP (RFC 7529) is not supported: slot rules use the Gregorian calendar',
    });
    expect(parseRRule('FREQ=DAILY;X-NAME=1')).toEqual({ error: 'X-NAME is not an RFC 5545 rule part' });
  });

  it('refuses what RFC 5545 forbids', () => {
    const refused: [string, string][] = [
      ['FREQ=DAILY;COUNT=3;UNTIL=20270101T000000Z', 'COUNT and UNTIL cannot both be given'],
      ['FREQ=MONTHLY;BYWEEKNO=1', 'BYWEEKNO is only allowed with FREQ=YEARLY'],
      ['FREQ=MONTHLY;BYYEARDAY=1', 'BYYEARDAY is not allowed with FREQ=MONTHLY'],
      ['FREQ=WEEKLY;BYMONTHDAY=1', 'BYMONTHDAY is not allowed with FREQ=WEEKLY'],
      ['FREQ=WEEKLY;BYDAY=1MO', 'BYDAY=1MO: an ordinal weekday needs FREQ=MONTHLY or FREQ=YEARLY'],
      ['FREQ=YEARLY;BYWEEKNO=1;BYDAY=1MO', 'BYDAY=1MO: an ordinal weekday is not allowed with BYWEEKNO'],
      ['FREQ=DAILY;BYSETPOS=1', 'BYSETPOS needs another BYxxx rule part to select from'],
      ['FREQ=DAILY;UNTIL=20270101', 'UNTIL=20270101: must be a UTC date-time such as 20261231T235959Z'],
      ['FREQ=DAILY;UNTIL=20270230T000000Z', 'UNTIL=20270230T000000Z: not a valid date-time'],
      ['FREQ=WEEKLY;WKST=XX', 'WKST=XX: must be a weekday (MO…SU)'],
      [
        'FREQ=WEEKLY;BYDAY=MO,XX',
        'BYDAY=XX: each value must be a weekday (MO…SU), optionally after an ordinal (1MO, -1FR)',
      ],
    ];
    for (const [rule, error] of refused) expect(parseRRule(rule), rule).toEqual({ error });
  });

  it('refuses ordinals and days that can never occur, and keeps those that sometimes do', () => {
    expect(parseRRule('FREQ=MONTHLY;BYDAY=6MO')).toEqual({
      error: 'BYDAY=6MO: the ordinal must be ±1…5 (a month has at most 5 of each weekday)',
    });
    expect(parseRRule('FREQ=YEARLY;BYMONTH=3;BYDAY=-6FR')).toEqual({
      error: 'BYDAY=-6FR: the ordinal must be ±1…5 (a month has at most 5 of each weekday)',
    });
    expect(parseRRule('FREQ=YEARLY;BYDAY=54MO')).toEqual({
      error: 'BYDAY=54MO: the ordinal must be ±1…53 (a year has at most 53 of each weekday)',
    });
    expect(parseRRule('FREQ=YEARLY;BYMONTH=2,4;BYMONTHDAY=31,-31')).toEqual({
      error: 'BYMONTHDAY=31,-31 never falls in BYMONTH=2,4',
    });
    for (const rule of [
      'FREQ=YEARLY;BYDAY=53MO',
      'FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=29',
      'FREQ=MONTHLY;BYDAY=5FR',
      'FREQ=YEARLY;BYWEEKNO=53;BYDAY=TH',
      'FREQ=YEARLY;BYYEARDAY=366',
    ]) {
      expect(parseRRule(rule), rule).toEqual({ rule });
    }
  });

  it('accepts every part RFC 5545 defines, for every frequency it is allowed with', () => {
    const accepted = [
      'FREQ=YEARLY;INTERVAL=2;BYMONTH=1,7;BYWEEKNO=1,-1;BYYEARDAY=1,-1;BYMONTHDAY=1,-1;BYDAY=MO,FR;BYHOUR=9;BYMINUTE=0,30;BYSECOND=15;BYSETPOS=1,-1;WKST=SU;COUNT=10',
      'FREQ=MONTHLY;BYDAY=2TU,-1FR;BYMONTHDAY=1,15;BYSETPOS=2;UNTIL=20301231T235959Z',
      'FREQ=WEEKLY;BYDAY=MO,WE;BYMONTH=3;BYSETPOS=-1;WKST=WE',
      'FREQ=DAILY;BYMONTH=12;BYMONTHDAY=24,25;BYDAY=SA,SU;BYHOUR=9,18;BYSETPOS=1',
      'FREQ=HOURLY;INTERVAL=6;BYMONTH=6;BYYEARDAY=160;BYMONTHDAY=9;BYDAY=TU;BYHOUR=6,12;BYMINUTE=0,30;BYSETPOS=-1',
      'FREQ=MINUTELY;INTERVAL=15;BYYEARDAY=-1;BYHOUR=23;BYMINUTE=0,15,30,45;BYSECOND=0,30;COUNT=100',
    ];
    for (const rule of accepted) expect(parseRRule(rule), rule).toEqual({ rule });
  });
});
