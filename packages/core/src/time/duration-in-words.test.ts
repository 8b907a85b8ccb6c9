import { describe, expect, it } from 'vitest';
import { durationInWords } from './duration-in-words.js';

describe('durationInWords', () => {
  it('reads ISO durations as words', () => {
    expect(
      ['PT30S', 'PT1S', 'P7D', 'P1D', 'PT48H', 'PT36H', 'PT1H', 'PT90M', 'PT4H', 'P1W', 'P2W', 'P4W', 'P15D'].map(
        durationInWords,
      ),
    ).toEqual([
      '30 seconds',
      '1 second',
      '7 days',
      '1 day',
      '2 days',
      '36 hours',
      '1 hour',
      '90 minutes',
      '4 hours',
      '7 days',
      '2 weeks',
      '4 weeks',
      '15 days',
    ]);
  });

  it('reads milliseconds the same way', () => {
    expect(durationInWords(30_000)).toBe('30 seconds');
    expect(durationInWords(14 * 86_400_000)).toBe('2 weeks');
  });

  it('gives back a text it cannot read rather than failing', () => {
    expect(durationInWords('P1M')).toBe('P1M');
    expect(durationInWords('soon')).toBe('soon');
  });
});
