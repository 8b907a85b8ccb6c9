import { describe, expect, it } from 'vitest';
import { OpeningHours } from '../schemas/opening-hours.js';
import { localToInstant, toLocal } from '@drumbeat/standards/time';
import { openDurationMs, responseDueAt } from './response-due.js';

const WEEKDAYS_9_17: OpeningHours = [{ days: ['MO', 'TU', 'WE', 'TH', 'FR'], from: '09:00', to: '17:00' }];
const paris = (local: string) => localToInstant(local, 'Europe/Paris');
const local = (d: Date, zone = 'Europe/Paris') => toLocal(d, zone).slice(0, 16);

describe('responseDueAt', () => {
  it('without opening hours, every hour counts', () => {
    expect(responseDueAt(new Date('2026-12-04T17:00:00Z'), 'PT2H', undefined, 'Europe/Paris').toISOString()).toBe(
      '2026-12-04T19:00:00.000Z',
    );
  });

  it('Friday 16:30 with PT2H and Mon–Fri 9–17: Monday 10:30', () => {
    expect(local(responseDueAt(paris('2026-12-04T16:30'), 'PT2H', WEEKDAYS_9_17, 'Europe/Paris'))).toBe(
      '2026-12-07T10:30',
    );
  });

  it('a question on Friday 18:00: Monday 11:00', () => {
    expect(local(responseDueAt(paris('2026-12-04T18:00'), 'PT2H', WEEKDAYS_9_17, 'Europe/Paris'))).toBe(
      '2026-12-07T11:00',
    );
  });

  it('before opening, the clock starts at opening; during the day it runs; on the closing time it ends there', () => {
    expect(local(responseDueAt(paris('2026-12-07T07:00'), 'PT2H', WEEKDAYS_9_17, 'Europe/Paris'))).toBe(
      '2026-12-07T11:00',
    );
    expect(local(responseDueAt(paris('2026-12-08T10:00'), 'PT2H', WEEKDAYS_9_17, 'Europe/Paris'))).toBe(
      '2026-12-08T12:00',
    );
    expect(local(responseDueAt(paris('2026-12-04T15:00'), 'PT2H', WEEKDAYS_9_17, 'Europe/Paris'))).toBe(
      '2026-12-04T17:00',
    );
    expect(local(responseDueAt(paris('2026-12-04T15:00'), 'PT2H1M', WEEKDAYS_9_17, 'Europe/Paris'))).toBe(
      '2026-12-07T09:01',
    );
  });

  it('an SLA longer than a day counts opening hours across days (PT16H: two working days)', () => {
    expect(local(responseDueAt(paris('2026-12-03T09:00'), 'PT16H', WEEKDAYS_9_17, 'Europe/Paris'))).toBe(
      '2026-12-04T17:00',
    );
  });

  it('merges overlapping spans and honours split days (lunch break)', () => {
    const hours: OpeningHours = [
      { days: ['MO'], from: '09:00', to: '12:00' },
      { days: ['MO'], from: '11:00', to: '12:30' },
      { days: ['MO'], from: '14:00', to: '18:00' },
    ];
    expect(local(responseDueAt(paris('2026-12-07T12:00'), 'PT1H', hours, 'Europe/Paris'))).toBe('2026-12-07T14:30');
  });

  it('counts real time across a DST change: 01:00–04:00 on the spring-forward night in Paris holds two hours', () => {
    const nightly: OpeningHours = [{ days: ['MO', 'TU', 'WE', 'TH', 'FR', 'SA', 'SU'], from: '01:00', to: '04:00' }];
    // Sunday 2027-03-28: 02:00 becomes 03:00. Two hours that night, the third on Monday.
    expect(local(responseDueAt(paris('2027-03-28T00:30'), 'PT3H', nightly, 'Europe/Paris'))).toBe('2027-03-29T02:00');
    // The autumn night (2026-10-25, 03:00 back to 02:00) holds four.
    expect(local(responseDueAt(paris('2026-10-25T00:30'), 'PT4H', nightly, 'Europe/Paris'))).toBe('2026-10-25T04:00');
  });

  it('business hours on the far side of a DST change keep their wall-clock times (New York falls back on 2026-11-01)', () => {
    const ny = (s: string) => localToInstant(s, 'America/New_York');
    const due = responseDueAt(ny('2026-10-30T16:00'), 'PT2H', WEEKDAYS_9_17, 'America/New_York');
    expect(local(due, 'America/New_York')).toBe('2026-11-02T10:00');
    expect(due.toISOString()).toBe('2026-11-02T15:00:00.000Z'); // EST, UTC−5
  });

  it('24:00 closes at midnight', () => {
    const evenings: OpeningHours = [{ days: ['SA'], from: '20:00', to: '24:00' }];
    expect(local(responseDueAt(paris('2026-12-05T23:00'), 'PT2H', evenings, 'Europe/Paris'))).toBe('2026-12-12T21:00');
  });
});

describe('OpeningHours schema', () => {
  it('refuses a span that ends before it starts, naming `to`, and bad days or times', () => {
    const r = OpeningHours.safeParse([{ days: ['MO'], from: '17:00', to: '09:00' }]);
    expect(r.success).toBe(false);
    expect(r.error!.issues[0]!.path).toEqual([0, 'to']);
    expect(OpeningHours.safeParse([{ days: ['MON'], from: '09:00', to: '17:00' }]).success).toBe(false);
    expect(OpeningHours.safeParse([{ days: ['MO'], from: '9:00', to: '17:00' }]).success).toBe(false);
    expect(OpeningHours.safeParse([{ days: ['MO'], from: '09:00', to: '24:00' }]).success).toBe(true);
    expect(OpeningHours.safeParse([]).success).toBe(false);
  });
});

describe('openDurationMs', () => {
  it('counts only opening hours, and agrees with responseDueAt', () => {
    // Friday 16:30 → Monday 10:30 Paris: 30 min on Friday, 90 min on Monday.
    expect(openDurationMs(paris('2026-12-04T16:30'), paris('2026-12-07T10:30'), WEEKDAYS_9_17, 'Europe/Paris')).toBe(
      2 * 3_600_000,
    );
    const due = responseDueAt(paris('2026-12-04T18:00'), 'PT2H', WEEKDAYS_9_17, 'Europe/Paris');
    expect(openDurationMs(paris('2026-12-04T18:00'), due, WEEKDAYS_9_17, 'Europe/Paris')).toBe(2 * 3_600_000);
    // A whole week: 5 × 8 h.
    expect(
      openDurationMs(paris('2026-12-07T00:00'), paris('2026-12-14T00:00'), WEEKDAYS_9_17, 'Europe/Paris', new Map()),
    ).toBe(40 * 3_600_000);
    // Closed all along (Saturday to Sunday), and an empty or reversed range.
    expect(openDurationMs(paris('2026-12-05T08:00'), paris('2026-12-06T20:00'), WEEKDAYS_9_17, 'Europe/Paris')).toBe(0);
    expect(openDurationMs(paris('2026-12-07T12:00'), paris('2026-12-07T11:00'), WEEKDAYS_9_17, 'Europe/Paris')).toBe(0);
  });

  it('without hours it is the elapsed time', () => {
    expect(
      openDurationMs(new Date('2026-12-05T08:00:00Z'), new Date('2026-12-05T09:30:00Z'), undefined, 'Europe/Paris'),
    ).toBe(90 * 60_000);
  });

  it('a span across a DST change counts the time it really lasts', () => {
    const night: OpeningHours = [{ days: ['SU'], from: '01:00', to: '04:00' }];
    // 2026-03-29 is the spring-forward night in Paris: 01:00–04:00 lasts two hours.
    expect(openDurationMs(paris('2026-03-29T00:00'), paris('2026-03-30T00:00'), night, 'Europe/Paris')).toBe(
      2 * 3_600_000,
    );
  });
});
