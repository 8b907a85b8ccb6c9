import { describe, expect, it } from 'vitest';
import { memoized } from './memoized.js';

describe('memoized', () => {
  it('computes each key once, null and undefined results included', () => {
    const calls: string[] = [];
    const f = memoized((k) => {
      calls.push(k);
      return k === 'none' ? null : k.length;
    });
    expect([f('abc'), f('abc'), f('none'), f('none')]).toEqual([3, 3, null, null]);
    expect(calls).toEqual(['abc', 'none']);
  });

  it('does not remember a call that throws', () => {
    let n = 0;
    const f = memoized(() => {
      n++;
      throw new RangeError('bad');
    });
    expect(() => f('x')).toThrow(RangeError);
    expect(() => f('x')).toThrow(RangeError);
    expect(n).toBe(2);
  });

  it('starts over at its limit, so it never holds more than that', () => {
    const calls: string[] = [];
    const f = memoized((k) => calls.push(k), 2);
    f('a');
    f('b');
    f('c'); // full: forgets a and b
    f('c');
    f('a');
    expect(calls).toEqual(['a', 'b', 'c', 'a']);
  });
});
