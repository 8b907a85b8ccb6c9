import { describe, expect, it } from 'vitest';
import { ExactCache } from './exact-cache.js';

describe('ExactCache', () => {
  it('remembers what a read found, and serves it without reading again', async () => {
    const c = new ExactCache<string>();
    let reads = 0;
    const read = async () => (reads++, 'v1');
    expect(await c.through('k', read)).toBe('v1');
    expect(await c.through('k', read)).toBe('v1');
    expect(reads).toBe(1);
  });

  it('does not remember a read that a forget overtook', async () => {
    const c = new ExactCache<string>();
    let release!: () => void;
    const slow = c.through('k', () => new Promise<string>((r) => (release = () => r('stale'))));
    c.forget('k');
    release();
    expect(await slow).toBe('stale'); // its caller raced the change
    expect(c.get('k')).toBeUndefined(); // but nobody else sees it
  });

  it('holds at most `max` entries, oldest out first', async () => {
    const small = new ExactCache<string>(2);
    for (const k of ['a', 'b', 'c']) await small.through(k, async () => k);
    expect([small.get('a'), small.get('b'), small.get('c')]).toEqual([undefined, 'b', 'c']);
  });

  it('remembers no undefined, and updates in place', async () => {
    const c = new ExactCache<{ n: number }>();
    expect(await c.through('missing', async () => undefined)).toBeUndefined();
    expect(c.get('missing')).toBeUndefined();
    await c.through('k', async () => ({ n: 1 }));
    c.update('k', (v) => ({ n: v.n + 1 }));
    expect(c.get('k')).toEqual({ n: 2 });
  });
});
