import { describe, expect, it } from 'vitest';
import { countOf } from './plural.js';

describe('countOf', () => {
  it('puts the noun in the number the count asks for', () => {
    expect([0, 1, 2].map((n) => countOf(n, 'publication'))).toEqual([
      '0 publications',
      '1 publication',
      '2 publications',
    ]);
    expect(countOf(1, 'reply', 'replies')).toBe('1 reply');
    expect(countOf(3, 'reply', 'replies')).toBe('3 replies');
  });
});
