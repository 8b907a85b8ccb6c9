import { describe, expect, it } from 'vitest';
import { buildUrl, retryAfterMs, retryDefaults, retryDelay, retryableStatus } from '@drumbeat/client';

describe('the retry policy', () => {
  it('reads Retry-After as seconds or as an HTTP date', () => {
    const now = Date.parse('2026-11-23T10:00:00Z');
    expect(retryAfterMs('3', now)).toBe(3000);
    expect(retryAfterMs('Mon, 23 Nov 2026 10:00:05 GMT', now)).toBe(5000);
    expect(retryAfterMs('Mon, 23 Nov 2026 09:00:00 GMT', now)).toBe(0);
    expect(retryAfterMs('soon', now)).toBeUndefined();
    expect(retryAfterMs(null, now)).toBeUndefined();
  });

  it('honours the server’s delay within the bound, and backs off exponentially without one', () => {
    const o = retryDefaults({ baseDelayMs: 100, maxDelayMs: 1000 });
    expect(retryDelay(0, 800, o)).toBe(800);
    expect(retryDelay(0, 1001, o)).toBeUndefined();
    expect([0, 1, 2, 3, 4].map((a) => retryDelay(a, undefined, o, () => 1))).toEqual([100, 200, 400, 800, 1000]);
    expect(retryDelay(2, undefined, o, () => 0)).toBe(200);
  });

  it('retries 429 and 5xx but not 4xx or 501', () => {
    expect([429, 500, 502, 503, 504].every(retryableStatus)).toBe(true);
    expect([400, 401, 404, 409, 422, 501].some(retryableStatus)).toBe(false);
  });

  it('encodes path parameters and drops absent query values', () => {
    expect(
      buildUrl(
        'http://h/',
        '/t/{slug}/{handle}.json',
        { slug: 'acme', handle: '@a/b' },
        { limit: 5, cursor: undefined },
      ),
    ).toBe('http://h/t/acme/%40a%2Fb.json?limit=5');
    expect(() => buildUrl('http://h', '/v1/posts/{id}', {})).toThrow(/missing path parameter id/);
  });
});
