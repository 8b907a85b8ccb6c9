import { describe, expect, it } from 'vitest';
import { listenDelayMs, MAX_BACKOFF_MS } from './listen-delay.js';

const MIN = 60_000;

describe('listenDelayMs', () => {
  it('waits the interval after a success, or longer when the network asks', () => {
    expect(listenDelayMs(5 * MIN, 0)).toBe(5 * MIN);
    expect(listenDelayMs(5 * MIN, 0, 12 * MIN)).toBe(12 * MIN);
    expect(listenDelayMs(5 * MIN, 0, 1_000)).toBe(5 * MIN);
  });

  it("doubles the interval per failure in a row, up to six hours, never under the network's wait", () => {
    expect([1, 2, 3, 4].map((n) => listenDelayMs(5 * MIN, n) / MIN)).toEqual([5, 10, 20, 40]);
    expect(listenDelayMs(5 * MIN, 50)).toBe(MAX_BACKOFF_MS);
    expect(listenDelayMs(5 * MIN, 1, 3_600_000)).toBe(3_600_000);
    expect(listenDelayMs(24 * 60 * MIN, 3)).toBe(24 * 60 * MIN); // an interval longer than the cap stays the interval
  });
});
