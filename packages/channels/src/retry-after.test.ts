import { describe, expect, it } from 'vitest';
import { retryAfterMs } from './retry-after.js';

const now = Date.parse('2026-03-02T12:00:00Z');

describe('retryAfterMs', () => {
  it('reads delta seconds', () => expect(retryAfterMs(new Headers({ 'retry-after': '120' }), now)).toBe(120_000));
  it('reads an HTTP date', () =>
    expect(retryAfterMs(new Headers({ 'retry-after': 'Mon, 02 Mar 2026 12:00:30 GMT' }), now)).toBe(30_000));
  it('reads Mastodon x-ratelimit-reset', () =>
    expect(retryAfterMs(new Headers({ 'x-ratelimit-reset': '2026-03-02T12:05:00.000Z' }), now)).toBe(300_000));
  it('reads Bluesky ratelimit-reset epoch seconds', () =>
    expect(retryAfterMs(new Headers({ 'ratelimit-reset': String(now / 1000 + 60) }), now)).toBe(60_000));
  it('never goes negative and caps at a day', () => {
    expect(retryAfterMs(new Headers({ 'retry-after': 'Mon, 02 Mar 2026 11:00:00 GMT' }), now)).toBe(0);
    expect(retryAfterMs(new Headers({ 'retry-after': '9999999' }), now)).toBe(24 * 3600_000);
  });
  it('is undefined without a hint', () => expect(retryAfterMs(new Headers(), now)).toBeUndefined());
});
