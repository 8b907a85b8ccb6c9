import { describe, expect, it } from 'vitest';
import { findLapses, lapseDeadline } from './index.js';

const at = (s: string) => new Date(s);
const iso = (d: Date | null) => d?.toISOString() ?? null;
const spans = (lapses: { from: Date; to: Date }[]) => lapses.map((l) => [l.from.toISOString(), l.to.toISOString()]);

const SET = at('2026-03-01T00:00Z');

describe('the lapse deadline', () => {
  it('is the last publication plus maxGap', () => {
    const published = [at('2026-03-02T09:00Z'), at('2026-03-04T09:00Z'), at('2026-03-03T09:00Z')];
    expect(iso(lapseDeadline({ maxGap: 'PT48H' }, SET, published))).toBe('2026-03-06T09:00:00.000Z');
  });

  it('counts from when the cadence was set when nothing was published since', () => {
    expect(iso(lapseDeadline({ maxGap: 'PT48H' }, SET, []))).toBe('2026-03-03T00:00:00.000Z');
    // A publication from before the cadence was set does not move the clock back.
    expect(iso(lapseDeadline({ maxGap: 'PT48H' }, SET, [at('2026-02-27T00:00Z')]))).toBe('2026-03-03T00:00:00.000Z');
  });

  it('works with durations of seconds, as demos use', () => {
    expect(iso(lapseDeadline({ maxGap: 'PT30S' }, SET, [at('2026-03-01T00:00:10Z')]))).toBe('2026-03-01T00:00:40.000Z');
  });

  it('with minPosts, is when the count-th latest publication leaves the window', () => {
    const published = [at('2026-03-01T10:00Z'), at('2026-03-03T10:00Z'), at('2026-03-05T10:00Z')];
    // 2 posts per 7 days: the 2nd latest (3 March) leaves the window 7 days later.
    expect(iso(lapseDeadline({ minPosts: { count: 2, per: 'P7D' } }, SET, published))).toBe('2026-03-10T10:00:00.000Z');
  });

  it('with minPosts and too few publications, is one full window after the cadence was set', () => {
    expect(iso(lapseDeadline({ minPosts: { count: 3, per: 'P7D' } }, SET, [at('2026-03-02T10:00Z')]))).toBe(
      '2026-03-08T00:00:00.000Z',
    );
  });

  it('is the earlier of the maxGap and minPosts deadlines', () => {
    const published = [at('2026-03-01T10:00Z'), at('2026-03-05T10:00Z')];
    const minPosts = { count: 2, per: 'P7D' }; // lapses on 1 March 10:00 + 7 days
    expect(iso(lapseDeadline({ maxGap: 'P2D', minPosts }, SET, published))).toBe('2026-03-07T10:00:00.000Z'); // 5 March + 2 days
    expect(iso(lapseDeadline({ maxGap: 'P10D', minPosts }, SET, published))).toBe('2026-03-08T10:00:00.000Z');
  });

  it('is null without a policy', () => {
    expect(lapseDeadline({}, SET, [at('2026-03-02T00:00Z')])).toBeNull();
  });
});

describe('lapses in a window', () => {
  it('run from the moment silence exceeds maxGap until the next post', () => {
    const activity = [at('2026-03-02T00:00Z'), at('2026-03-06T00:00Z'), at('2026-03-07T00:00Z')];
    expect(
      spans(findLapses({ maxGap: 'P2D' }, at('2026-03-01T00:00Z'), at('2026-03-08T00:00Z'), activity, SET)),
    ).toEqual([['2026-03-04T00:00:00.000Z', '2026-03-06T00:00:00.000Z']]);
  });

  it('include a silence still running at the end of the window', () => {
    const activity = [at('2026-03-02T00:00Z')];
    expect(
      spans(findLapses({ maxGap: 'P2D' }, at('2026-03-01T00:00Z'), at('2026-03-10T00:00Z'), activity, SET)),
    ).toEqual([['2026-03-04T00:00:00.000Z', '2026-03-10T00:00:00.000Z']]);
  });

  it('count from `since`, and are clipped to the window', () => {
    // Silent since 1 March; the window opens on 5 March, already lapsed since 3 March.
    expect(
      spans(
        findLapses({ maxGap: 'P2D' }, at('2026-03-05T00:00Z'), at('2026-03-08T00:00Z'), [at('2026-03-06T12:00Z')], SET),
      ),
    ).toEqual([['2026-03-05T00:00:00.000Z', '2026-03-06T12:00:00.000Z']]);
  });

  it('are none when posts come exactly maxGap apart, or when no maxGap is set', () => {
    const activity = [at('2026-03-03T00:00Z'), at('2026-03-05T00:00Z'), at('2026-03-07T00:00Z')];
    expect(findLapses({ maxGap: 'P2D' }, SET, at('2026-03-08T00:00Z'), activity, SET)).toEqual([]);
    expect(findLapses({}, SET, at('2026-03-30T00:00Z'), [], SET)).toEqual([]);
  });

  it('take scheduled posts given in any order', () => {
    const activity = [at('2026-03-09T00:00Z'), at('2026-03-02T00:00Z')];
    expect(spans(findLapses({ maxGap: 'P3D' }, SET, at('2026-03-10T00:00Z'), activity, SET))).toEqual([
      ['2026-03-05T00:00:00.000Z', '2026-03-09T00:00:00.000Z'],
    ]);
  });
});
