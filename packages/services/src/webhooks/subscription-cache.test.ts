import { describe, expect, it } from 'vitest';
import { ManualClock, type WebhookRecord } from '@drumbeat/core';
import { SubscriptionCache } from './subscription-cache.js';

const sub = (id: string): WebhookRecord => ({
  id,
  workspaceId: 'ws_a',
  url: 'https://x.example',
  events: ['*'],
  secret: 'whsec_x',
  createdAt: '2026-01-01T00:00:00.000Z',
  version: 1,
});

describe('SubscriptionCache', () => {
  it('reuses a list while fresh and reads again once it is older than its ttl', async () => {
    const clock = new ManualClock('2026-01-01T00:00:00Z');
    const cache = new SubscriptionCache(clock, 30_000);
    let reads = 0;
    const load = async () => [sub(`whk_${++reads}`)];
    expect(await cache.get('ws_a', load)).toEqual([sub('whk_1')]);
    clock.advance(29_999);
    expect(await cache.get('ws_a', load)).toEqual([sub('whk_1')]);
    clock.advance(1);
    expect(await cache.get('ws_a', load)).toEqual([sub('whk_2')]);
    expect(reads).toBe(2);
  });

  it('reads again right after an invalidation, and keeps workspaces apart', async () => {
    const cache = new SubscriptionCache(new ManualClock(0));
    let reads = 0;
    await cache.get('ws_a', async () => [sub(`whk_${++reads}`)]);
    await cache.get('ws_b', async () => []);
    cache.invalidate('ws_a');
    expect(await cache.get('ws_a', async () => [sub(`whk_${++reads}`)])).toEqual([sub('whk_2')]);
    expect(await cache.get('ws_b', async () => [sub('whk_never')])).toEqual([]);
  });

  it('does not keep a list read before an invalidation that happened meanwhile', async () => {
    const cache = new SubscriptionCache(new ManualClock(0));
    let release!: () => void;
    const slow = cache.get('ws_a', () => new Promise<WebhookRecord[]>((r) => (release = () => r([sub('whk_stale')]))));
    cache.invalidate('ws_a');
    release();
    expect(await slow).toEqual([sub('whk_stale')]);
    expect(await cache.get('ws_a', async () => [sub('whk_fresh')])).toEqual([sub('whk_fresh')]);
  });

  it('holds at most maxWorkspaces lists, dropping the oldest', async () => {
    const cache = new SubscriptionCache(new ManualClock(0), 30_000, 2);
    let reads = 0;
    const load = async () => (reads++, []);
    await cache.get('ws_1', load);
    await cache.get('ws_2', load);
    await cache.get('ws_3', load);
    await cache.get('ws_2', load);
    expect(reads).toBe(3);
    await cache.get('ws_1', load);
    expect(reads).toBe(4);
  });
});
