import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { BatchWriteCommand, GetCommand } from '@aws-sdk/lib-dynamodb';
import { ManualClock, type TimerPayload } from '@drumbeat/core';
import type { Db, Store } from '@drumbeat/store';
import { LocalScheduler } from '../../packages/local/src/scheduler/index.js';
import { startTestStore } from '../support/store.js';

/**
 * The local scheduler group-commits timer writes: those that arrive while one
 * is under way go together in one BatchWriteItem, and each caller's promise
 * settles with its own item only.
 */

let store: Store;
let close: () => Promise<void>;
beforeAll(async () => ({ store, close } = await startTestStore()));
afterAll(() => close());

type Send = (cmd: { constructor: { name: string }; input: any }) => Promise<any>;
/** What the scheduler sent, by command (`Put`, `BatchWrite`, `Delete` …). */
const sent = new Map<string, number>();
/** Replaces the store's answer to a command; `real` sends it for real. */
let intercept: ((cmd: { constructor: { name: string }; input: any }, real: Send) => Promise<any>) | undefined;
beforeEach(() => {
  sent.clear();
  intercept = undefined;
});

/** The test store's table, seen through a client that counts and can fake what the store answers. */
function db(): Db {
  const real: Send = (cmd) => store.db.doc.send(cmd as never);
  const doc = new Proxy(store.db.doc, {
    get(target, prop, receiver) {
      if (prop !== 'send') return Reflect.get(target, prop, receiver);
      return (cmd: { constructor: { name: string }; input: any }) => {
        const name = cmd.constructor.name.replace(/Command$/, '');
        sent.set(name, (sent.get(name) ?? 0) + 1);
        return intercept ? intercept(cmd, real) : real(cmd);
      };
    },
  });
  return { doc, table: store.db.table };
}

let seq = 0;
const payload = (postId: string): TimerPayload => ({ kind: 'publish', workspaceId: 'ws_g', postId });
const stored = async (name: string) =>
  (await store.db.doc.send(new GetCommand({ TableName: store.db.table, Key: { pk: `TIMER#${name}`, sk: 'TIMER' } })))
    .Item;
const timerWrites = () => (sent.get('Put') ?? 0) + (sent.get('BatchWrite') ?? 0) + (sent.get('Delete') ?? 0);

function scheduler(clock = new ManualClock('2026-12-01T10:00:00Z'), opts: { maxAttempts?: number } = {}) {
  const fired: string[] = [];
  const s = new LocalScheduler({ db: db(), clock, groupCommit: { backoffMs: 1, ...opts } });
  s.start(async (p) => void fired.push((p as { postId: string }).postId), { loop: false });
  return { s, fired, clock };
}

describe('group commit of timer writes', () => {
  it('writes N concurrent timers in fewer than N store calls, and fires each once', async () => {
    const { s, fired, clock } = scheduler();
    const ids = Array.from({ length: 60 }, () => `gc-${seq++}`);
    const at = new Date('2026-12-01T10:01:00Z');
    // Each promise resolves only once its own item is in the table.
    await Promise.all(
      ids.map(async (id) => {
        await s.schedule({ name: `post-${id}`, at, payload: payload(id) });
        expect(await stored(`post-${id}`)).toBeDefined();
      }),
    );
    expect(timerWrites()).toBeLessThan(ids.length);
    expect(timerWrites()).toBeLessThanOrEqual(Math.ceil(ids.length / 25) + 1);
    clock.set('2026-12-01T10:01:00Z');
    expect(await s.runDue()).toBe(ids.length);
    expect(await s.runDue()).toBe(0);
    expect(fired.sort()).toEqual([...ids].sort());
    await s.stop();
  });

  it('groups the writes that arrive while one is under way', async () => {
    const { s } = scheduler();
    const at = new Date('2026-12-01T11:00:00Z');
    const first = s.schedule({ name: `post-gc-${seq++}`, at, payload: payload('first') });
    await new Promise((r) => setImmediate(r));
    // The first write is under way: these three wait for it, then go together.
    const later = [0, 1, 2].map(() => s.schedule({ name: `post-gc-${seq++}`, at, payload: payload('later') }));
    await Promise.all([first, ...later]);
    expect(sent.get('Put')).toBe(1);
    expect(sent.get('BatchWrite')).toBe(1);
    await s.stop();
  });

  it('keeps the order of writes to one timer: the last one wins', async () => {
    const { s, fired, clock } = scheduler(new ManualClock('2026-11-20T10:00:00Z'));
    const moved = `gc-${seq++}`;
    const dropped = `gc-${seq++}`;
    const revived = `gc-${seq++}`;
    await Promise.all([
      s.schedule({ name: `post-${moved}`, at: new Date('2026-11-20T10:01:00Z'), payload: payload(moved) }),
      s.schedule({ name: `post-${moved}`, at: new Date('2026-11-20T10:05:00Z'), payload: payload(moved) }),
      s.schedule({ name: `post-${dropped}`, at: new Date('2026-11-20T10:01:00Z'), payload: payload(dropped) }),
      s.cancel(`post-${dropped}`),
      s.cancel(`post-${revived}`),
      s.schedule({ name: `post-${revived}`, at: new Date('2026-11-20T10:01:00Z'), payload: payload(revived) }),
    ]);
    clock.set('2026-11-20T10:02:00Z');
    expect(await s.runDue()).toBe(1);
    expect(fired).toEqual([revived]);
    clock.set('2026-11-20T10:05:00Z');
    expect(await s.runDue()).toBe(1);
    expect(fired).toEqual([revived, moved]);
    await s.stop();
  });

  it('retries the items the store left unprocessed', async () => {
    const { s } = scheduler();
    let refused = 0;
    intercept = async (cmd, real) => {
      if (cmd.constructor.name !== 'BatchWriteCommand' || refused > 0) return real(cmd);
      // The store takes the first two items of the first batch and leaves the rest.
      const items = cmd.input.RequestItems[store.db.table] as { PutRequest: { Item: Record<string, unknown> } }[];
      refused = items.length - 2;
      await real(new BatchWriteCommand({ RequestItems: { [store.db.table]: items.slice(0, 2) } }));
      return { UnprocessedItems: { [store.db.table]: items.slice(2) } };
    };
    const names = Array.from({ length: 6 }, () => `post-gc-${seq++}`);
    await Promise.all(
      names.map((name) => s.schedule({ name, at: new Date('2026-12-03T10:00:00Z'), payload: payload(name) })),
    );
    expect(refused).toBe(4);
    for (const name of names) expect(await stored(name)).toBeDefined();
    expect(sent.get('BatchWrite')).toBe(2);
    await s.stop();
  });

  it('rejects only the callers whose items stay unprocessed', async () => {
    const { s } = scheduler(undefined, { maxAttempts: 3 });
    const names = Array.from({ length: 5 }, () => `post-gc-${seq++}`);
    const stuck = names[3]!;
    intercept = async (cmd, real) => {
      if (cmd.constructor.name !== 'BatchWriteCommand') return real(cmd);
      const items = cmd.input.RequestItems[store.db.table] as { PutRequest: { Item: { name: string } } }[];
      const keep = items.filter((i) => i.PutRequest.Item.name !== stuck);
      if (keep.length) await real(new BatchWriteCommand({ RequestItems: { [store.db.table]: keep } }));
      return { UnprocessedItems: { [store.db.table]: items.filter((i) => i.PutRequest.Item.name === stuck) } };
    };
    const results = await Promise.allSettled(
      names.map((name) => s.schedule({ name, at: new Date('2026-12-03T10:00:00Z'), payload: payload(name) })),
    );
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'fulfilled', 'fulfilled', 'rejected', 'fulfilled']);
    expect(String((results[3] as PromiseRejectedResult).reason)).toMatch(/unprocessed/);
    expect(await stored(stuck)).toBeUndefined();
    await s.stop();
  });

  it('rejects the callers of a batch the store refuses, and only the item it refuses when written alone', async () => {
    const { s } = scheduler();
    const names = Array.from({ length: 4 }, () => `post-gc-${seq++}`);
    const bad = names[1]!;
    intercept = async (cmd, real) => {
      if (cmd.constructor.name === 'BatchWriteCommand')
        throw Object.assign(new Error('batch refused'), { name: 'ValidationException' });
      if (cmd.constructor.name === 'PutCommand' && cmd.input.Item.name === bad)
        throw Object.assign(new Error('item refused'), { name: 'ValidationException' });
      return real(cmd);
    };
    const results = await Promise.allSettled(
      names.map((name) => s.schedule({ name, at: new Date('2026-12-03T10:00:00Z'), payload: payload(name) })),
    );
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled', 'fulfilled']);
    expect((results[1] as PromiseRejectedResult).reason.message).toBe('item refused');
    for (const name of names) expect(Boolean(await stored(name))).toBe(name !== bad);
    await s.stop();
  });

  it('rejects every caller when the store is down, then writes again once it is back', async () => {
    const { s } = scheduler();
    intercept = async () => {
      throw new Error('store unavailable');
    };
    const names = Array.from({ length: 3 }, () => `post-gc-${seq++}`);
    const results = await Promise.allSettled(
      names.map((name) => s.schedule({ name, at: new Date('2026-12-03T10:00:00Z'), payload: payload(name) })),
    );
    expect(results.every((r) => r.status === 'rejected' && String(r.reason).includes('store unavailable'))).toBe(true);
    intercept = undefined;
    await s.schedule({ name: names[0]!, at: new Date('2026-12-03T10:00:00Z'), payload: payload(names[0]!) });
    expect(await stored(names[0]!)).toBeDefined();
    await s.stop();
  });
});
