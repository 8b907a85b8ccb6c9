import { describe, expect, it } from 'vitest';
import type { OpeningHours } from '../schemas/opening-hours.js';
import { localToInstant } from '@drumbeat/standards/time';
import { conversationReport, medianAndP90, type ReportItem } from './report.js';

const ZONE = 'Europe/Paris';
const at = (local: string) => localToInstant(local, ZONE).toISOString();
const H = 3_600_000;
const WEEKDAYS_9_17: OpeningHours = [{ days: ['MO', 'TU', 'WE', 'TH', 'FR'], from: '09:00', to: '17:00' }];
const author = { handle: '@jo@example.social' };
const item = (id: string, received: string, rest: Partial<ReportItem> = {}): ReportItem => ({
  id,
  author,
  text: `question ${id}`,
  receivedAt: at(received),
  status: 'open',
  ...rest,
});
const answered = (by: string | undefined, when: string): Partial<ReportItem> => ({
  status: 'answered',
  answeredAt: at(when),
  ...(by ? { answeredBy: by } : { outsideAnswer: { externalId: 'x', at: at(when) } }),
});

// Two ISO weeks (2026-W49 from Monday 30 November, W50 from Monday 7 December), Paris, SLA PT2H in Mon–Fri 9–17.
const items: ReportItem[] = [
  item('a', '2026-11-30T10:00', answered('vce_1', '2026-11-30T10:30')), // 30 min
  item('b', '2026-12-04T16:30', answered('vce_2', '2026-12-07T10:30')), // 30 min Friday + 90 min Monday = 2 h, on the deadline
  item('c', '2026-12-04T18:00', answered(undefined, '2026-12-07T12:00')), // 3 h, answered on the network outside drumbeat
  item('d', '2026-12-08T09:00', { status: 'dismissed', dismissReason: 'spam' } as Partial<ReportItem>),
  item('e', '2026-12-09T09:00'), // open: 8 h Wednesday + 3 h Thursday = 11 h by now, past the SLA
  item('f', '2026-12-10T11:00'), // open: 1 h, still within the SLA (not judged)
  item('g', '2026-12-09T10:00', answered('vce_1', '2026-12-09T11:00')), // 1 h
];
const voices = new Map([
  ['vce_1', { name: 'Anna', affiliation: 'agency' as const }],
  ['vce_2', { name: 'Hugo', affiliation: 'in_house' as const }],
]);
const base = {
  from: new Date(at('2026-11-30T00:00')),
  to: new Date(at('2026-12-14T00:00')),
  now: new Date(at('2026-12-10T12:00')),
  zone: ZONE,
  items,
  voices,
};

describe('conversationReport', () => {
  it('counts in opening hours when the account sets them (hand-computed figures)', () => {
    const r = conversationReport({ ...base, responses: { sla: 'PT2H', hours: WEEKDAYS_9_17 } });
    expect(r.countedIn).toBe('opening_hours');
    expect([r.received, r.answered, r.dismissed, r.unanswered]).toEqual([7, 4, 1, 2]);
    expect(r.weeks).toEqual([
      { week: '2026-W49', start: '2026-11-30', received: 3, answered: 3, dismissed: 0, unanswered: 0 },
      { week: '2026-W50', start: '2026-12-07', received: 4, answered: 1, dismissed: 1, unanswered: 2 },
    ]);
    // Response times 0.5, 1, 2, 3 h: median (1 + 2) / 2, nearest-rank p90 is the 4th.
    expect(r.firstResponse).toEqual({ count: 4, medianMs: 1.5 * H, p90Ms: 3 * H });
    // Judged: the 4 answered and e (open past its SLA); within: a, b (on the deadline), g.
    expect(r.sla).toEqual({ sla: 'PT2H', judged: 5, withinSla: 3, share: 0.6 });
    expect(r.answersByVoice).toEqual([
      { voiceId: 'vce_1', name: 'Anna', affiliation: 'agency', answers: 2 },
      { voiceId: 'vce_2', name: 'Hugo', affiliation: 'in_house', answers: 1 },
    ]);
    expect(r.answersByAffiliation).toEqual([
      { affiliation: 'agency', answers: 2 },
      { affiliation: 'in_house', answers: 1 },
      { affiliation: 'outside_drumbeat', answers: 1 },
    ]);
    expect(r.longestWaits.map((w) => [w.conversationId, w.waitMs / H])).toEqual([
      ['e', 11],
      ['c', 3],
      ['b', 2],
      ['g', 1],
      ['f', 1],
    ]);
    expect(r.longestWaits[0]).toMatchObject({ status: 'open', answeredAt: null, text: 'question e' });
  });

  it('counts elapsed time without opening hours', () => {
    const r = conversationReport({ ...base, responses: { sla: 'PT2H' } });
    expect(r.countedIn).toBe('elapsed');
    // a 0.5 h, g 1 h, c Fri 18:00 → Mon 12:00 = 66 h, b Fri 16:30 → Mon 10:30 = 66 h.
    expect(r.firstResponse).toEqual({ count: 4, medianMs: ((1 + 66) / 2) * H, p90Ms: 66 * H });
    // e is open since Wed 09:00: 27 h by Thu 12:00; f 1 h.
    expect(r.sla).toEqual({ sla: 'PT2H', judged: 5, withinSla: 2, share: 0.4 });
    expect(r.longestWaits[0]).toMatchObject({ conversationId: 'b', waitMs: 66 * H });
  });

  it('without response settings there is no SLA share; an empty range has empty weeks', () => {
    const r = conversationReport({ ...base, items: [], responses: undefined });
    expect(r.sla).toBeNull();
    expect(r.firstResponse).toEqual({ count: 0, medianMs: null, p90Ms: null });
    expect(r.weeks.map((w) => [w.week, w.received])).toEqual([
      ['2026-W49', 0],
      ['2026-W50', 0],
    ]);
    expect(r.longestWaits).toEqual([]);
  });

  it("weeks are the account zone's: Monday 00:30 in Paris is Sunday in UTC", () => {
    const monday = [item('m', '2026-12-07T00:30')];
    expect(conversationReport({ ...base, items: monday }).weeks.map((w) => w.received)).toEqual([0, 1]);
    const utc = { ...base, zone: 'UTC', items: monday.map((i) => ({ ...i })) };
    expect(conversationReport(utc).weeks.map((w) => [w.week, w.received])).toEqual([
      ['2026-W48', 0],
      ['2026-W49', 1],
      ['2026-W50', 0],
    ]);
  });

  it('the ISO week year follows its Thursday', () => {
    const r = conversationReport({
      ...base,
      zone: 'UTC',
      from: new Date('2026-12-28T00:00:00Z'),
      to: new Date('2027-01-05T00:00:00Z'),
      items: [],
    });
    expect(r.weeks.map((w) => w.week)).toEqual(['2026-W53', '2027-W01']);
  });
});

describe('medianAndP90', () => {
  it('odd and even counts, nearest-rank p90', () => {
    expect(medianAndP90([1, 2, 3])).toEqual({ medianMs: 2, p90Ms: 3 });
    expect(medianAndP90([1, 2, 3, 4, 5, 6, 7, 8, 9, 10])).toEqual({ medianMs: 6, p90Ms: 9 });
    expect(medianAndP90([7])).toEqual({ medianMs: 7, p90Ms: 7 });
  });
});
