import { createRequire } from 'node:module';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Store } from '@drumbeat/store';
import { startTestStore } from '../support/store.js';

/**
 * Counts LevelDB iterators opened and closed by the engine, watching
 * abstract-level itself (independently of drumbeat's fix).
 */
const require = createRequire(import.meta.url);
const { AbstractLevel } = require('abstract-level') as {
  AbstractLevel: { prototype: Record<string, (...a: unknown[]) => { close(): Promise<void> }> };
};
let openNow = 0;
let opened = 0;
for (const method of ['values', 'keys', 'iterator']) {
  const original = AbstractLevel.prototype[method]!;
  AbstractLevel.prototype[method] = function (this: unknown, ...args: unknown[]) {
    const it = original.apply(this, args);
    openNow++;
    opened++;
    const close = it.close.bind(it);
    let counted = true;
    it.close = async () => {
      if (counted) (counted = false), openNow--;
      return close();
    };
    return it;
  };
}

let store: Store;
let close: () => Promise<void>;
// On this thread, where the counting above can see the engine's LevelDB (npm start runs it on a worker thread).
beforeAll(async () => ({ store, close } = await startTestStore('drumbeat-test', { thread: 'main' })));
afterAll(() => close());

describe('the embedded DynamoDB engine', () => {
  it('closes every LevelDB iterator its queries open (dynalite 4 leaked one per query)', async () => {
    for (let i = 0; i < 30; i++) {
      await store.voices.create('ws_it', {
        id: `vce_${i}`,
        workspaceId: 'ws_it',
        name: `v${i}`,
        affiliation: 'agency',
        createdAt: 'x',
        updatedAt: 'x',
        version: 1,
      });
    }
    await new Promise((r) => setTimeout(r, 50));
    const before = openNow;
    for (let i = 0; i < 100; i++) {
      // full pages, early stops (Limit), empty ranges and descending reads
      await store.voices.list('ws_it', { limit: 1 + (i % 40) });
      await store.voices.list('ws_none', { limit: 10 });
      await store.ledger.head('ws_it');
    }
    await new Promise((r) => setTimeout(r, 50));
    expect(opened).toBeGreaterThanOrEqual(300); // the queries did reach the engine watched here
    expect(openNow - before).toBe(0);
  });
});
