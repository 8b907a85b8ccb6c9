import { describe, expect, it } from 'vitest';
import { atExpression, fireInstant } from './schedule-time.js';

const d = (s: string) => new Date(s);

describe('fireInstant', () => {
  const now = d('2030-06-01T08:00:00.500Z');

  it('keeps a due time beyond the lead, rounded up to the whole second', () => {
    expect(fireInstant(d('2030-06-01T09:00:00.000Z'), now)).toEqual(d('2030-06-01T09:00:00.000Z'));
    expect(fireInstant(d('2030-06-01T09:00:00.001Z'), now)).toEqual(d('2030-06-01T09:00:01.000Z'));
  });

  it('moves a past, present or too-close due time to now plus the lead', () => {
    for (const at of ['2029-01-01T00:00:00Z', '2030-06-01T08:00:00.500Z', '2030-06-01T08:00:30Z']) {
      expect(fireInstant(d(at), now)).toEqual(d('2030-06-01T08:01:01.000Z'));
    }
    expect(fireInstant(d('2029-01-01T00:00:00Z'), now, 10_000)).toEqual(d('2030-06-01T08:00:11.000Z'));
  });
});

describe('atExpression', () => {
  it('writes the UTC date and time to the second', () => {
    expect(atExpression(d('2030-12-31T23:59:59.000Z'))).toBe('at(2030-12-31T23:59:59)');
    expect(atExpression(d('2031-01-01T00:00:00.000+02:00'))).toBe('at(2030-12-31T22:00:00)');
  });
});
