import { describe, expect, it } from 'vitest';
import { parseSlotRule } from './rrule.js';

describe('a slot rule', () => {
  it('is normalised: upper case, RRULE: prefix dropped', () => {
    expect(parseSlotRule('rrule:freq=weekly;byday=mo;byhour=9')).toEqual({ rule: 'FREQ=WEEKLY;BYDAY=MO;BYHOUR=9' });
  });

  it('may COUNT up to 10,000 occurrences, and no more', () => {
    expect(parseSlotRule('FREQ=DAILY;COUNT=10000')).toEqual({ rule: 'FREQ=DAILY;COUNT=10000' });
    expect(parseSlotRule('FREQ=DAILY;COUNT=10001')).toEqual({ error: 'COUNT must be a whole number from 1 to 10000' });
    expect(parseSlotRule('FREQ=DAILY;COUNT=0')).toHaveProperty('error');
  });

  it('keeps every number in its RFC 5545 range, which rrule-temporal alone does not', () => {
    expect(parseSlotRule('FREQ=DAILY;BYHOUR=24')).toEqual({ error: 'BYHOUR=24: each value must be 0…23' });
    expect(parseSlotRule('FREQ=DAILY;BYMONTH=13')).toHaveProperty('error');
    expect(parseSlotRule('FREQ=DAILY;INTERVAL=0')).toHaveProperty('error');
    expect(parseSlotRule('FREQ=DAILY;BYHOUR=9,')).toHaveProperty('error');
    expect(parseSlotRule('FREQ=MONTHLY;BYMONTHDAY=0')).toHaveProperty('error');
    expect(parseSlotRule('FREQ=MONTHLY;BYMONTHDAY=-1;BYHOUR=9,18')).toEqual({ rule: 'FREQ=MONTHLY;BYMONTHDAY=-1;BYHOUR=9,18' });
  });

  it('carries no DTSTART and no SECONDLY frequency', () => {
    expect(parseSlotRule('FREQ=DAILY;DTSTART=20260101T000000Z')).toHaveProperty('error');
    expect(parseSlotRule('FREQ=SECONDLY')).toHaveProperty('error');
  });
});
