import { GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decide, type Change, type Guard } from '@drumbeat/core';
import { applyRule, deleteIfRule, fromItem, putIfRule, putNew, type Store } from '@drumbeat/store';
import { startTestStore } from '../support/store.js';

let store: Store;
let close: () => Promise<void>;
beforeAll(async () => ({ store, close } = await startTestStore()));
afterAll(() => close());

type Rec = { version: number; status?: string; at?: string; n?: number; note?: string; log?: string[] };

const instant = fc.constantFrom('2026-01-01T00:00:00.000Z', '2026-06-01T12:00:00.000Z', '2027-01-01T00:00:00.000Z');
const record: fc.Arbitrary<Rec> = fc.record(
  {
    version: fc.integer({ min: 1, max: 3 }),
    status: fc.constantFrom('scheduled', 'publishing', 'failed'),
    at: instant,
    n: fc.integer({ min: 0, max: 3 }),
    note: fc.constantFrom('a', 'b'),
    log: fc.array(fc.constantFrom('x', 'y'), { maxLength: 2 }),
  },
  { requiredKeys: ['version'] },
);
const leaf: fc.Arbitrary<Guard> = fc.oneof(
  fc.record({ field: fc.constantFrom('status', 'note'), eq: fc.constantFrom('scheduled', 'a', 'failed') }),
  fc.record({ field: fc.constant('version'), eq: fc.integer({ min: 1, max: 3 }) }),
  fc.record({ field: fc.constant('status'), in: fc.subarray(['scheduled', 'publishing', 'failed'], { minLength: 1 }) }),
  fc.record({ field: fc.constant('at'), atMost: instant }),
  fc.record({ field: fc.constant('at'), below: instant }),
  fc.record({ field: fc.constant('at'), above: instant }),
  fc.record({ field: fc.constant('n'), atMost: fc.integer({ min: 0, max: 3 }) }),
  fc.record({ field: fc.constantFrom('at', 'n', 'note'), absent: fc.constant(true as const) }),
  fc.record({ field: fc.constantFrom('at', 'n', 'note'), present: fc.constant(true as const) }),
);
const guard: fc.Arbitrary<Guard> = fc.oneof(leaf, fc.record({ anyOf: fc.array(leaf, { minLength: 1, maxLength: 3 }) }));
// Disjoint fields per part, as one write allows.
const change: fc.Arbitrary<Change> = fc.oneof(
  fc.record({
    set: fc.record({ status: fc.constantFrom('publishing', 'failed'), note: fc.constantFrom('c', undefined) }),
    add: fc.constant({ n: 1 }),
  }),
  fc.record({ setIfAbsent: fc.record({ at: instant, note: fc.constant('d') }), remove: fc.constant(['status']) }),
  fc.record({ set: fc.record({ at: instant }), remove: fc.subarray(['n', 'note']) }),
  fc.record({
    append: fc.record({ log: fc.array(fc.constantFrom('x', 'y'), { maxLength: 2 }) }),
    set: fc.record({ status: fc.constantFrom('scheduled', 'failed') }),
  }),
);

describe('a lifecycle rule decided in memory is what the store writes', () => {
  it('the same guards hold and the same record results (fast-check, against the engine)', async () => {
    let i = 0;
    await fc.assert(
      fc.asyncProperty(record, fc.array(guard, { maxLength: 3 }), change, async (rec, when, ch) => {
        const key = { pk: 'RULE#parity', sk: `item-${i++}` };
        await store.db.doc.send(new PutCommand({ TableName: store.db.table, Item: { ...key, ...rec } }));
        const decided = decide(rec, { when, change: ch, effects: [] });
        const written = await applyRule<Rec>(store.db, key, { when, change: ch });
        expect(written !== undefined).toBe(decided.ok);
        const stored = await store.db.doc.send(new GetCommand({ TableName: store.db.table, Key: key }));
        expect(fromItem<Rec>(stored.Item!)).toEqual(decided.ok ? decided.next : rec);
        if (decided.ok) expect(written).toEqual(decided.next);
      }),
      { numRuns: 150 },
    );
  });

  it('a whole record is put only where the guards hold of the stored one', async () => {
    const key = { pk: 'RULE#put', sk: 'one' };
    await store.db.doc.send(
      new PutCommand({ TableName: store.db.table, Item: { ...key, version: 1, status: 'scheduled' } }),
    );
    const when: Guard[] = [
      { field: 'version', eq: 1 },
      { field: 'status', in: ['scheduled'] },
    ];
    expect(await putIfRule(store.db, { ...key, version: 2, status: 'canceled' }, when)).toBe(true);
    expect(await putIfRule(store.db, { ...key, version: 2, status: 'scheduled' }, when)).toBe(false);
    expect(await putIfRule(store.db, { pk: 'RULE#put', sk: 'absent', version: 1 }, [])).toBe(false);
  });

  it('a rule on an item that is not there changes nothing', async () => {
    expect(
      await applyRule(store.db, { pk: 'RULE#none', sk: 'x' }, { when: [], change: { set: { a: 1 } } }),
    ).toBeUndefined();
    const r = await store.db.doc.send(new GetCommand({ TableName: store.db.table, Key: { pk: 'RULE#none', sk: 'x' } }));
    expect(r.Item).toBeUndefined();
  });

  it('a new item is put only where none is; an item is deleted only where the guards hold of it', async () => {
    const key = { pk: 'RULE#new', sk: 'one' };
    expect(await putNew(store.db, { ...key, owner: 'a' })).toBe(true);
    expect(await putNew(store.db, { ...key, owner: 'b' })).toBe(false);
    expect(await deleteIfRule(store.db, key, [{ field: 'owner', eq: 'b' }])).toBe(false);
    expect(await deleteIfRule(store.db, key, [{ field: 'owner', eq: 'a' }])).toBe(true);
    expect(await deleteIfRule(store.db, key, [])).toBe(false);
    const r = await store.db.doc.send(new GetCommand({ TableName: store.db.table, Key: key }));
    expect(r.Item).toBeUndefined();
  });
});
