import { PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Db, queryPages, type Store } from '@drumbeat/store';
import { startTestStore } from '../support/store.js';

let store: Store;
let close: () => Promise<void>;
beforeAll(async () => ({ store, close } = await startTestStore()));
afterAll(() => close());

const PK = 'QP#test';

/** The store's client, counting the queries sent through it. */
function counting(): { db: Db; queries: () => number } {
  let n = 0;
  const doc = {
    send: (cmd: unknown) => (cmd instanceof QueryCommand && n++, store.db.doc.send(cmd as never)),
  } as unknown as Db['doc'];
  return { db: { doc, table: store.db.table }, queries: () => n };
}

describe('queryPages (the one LastEvaluatedKey loop of the repositories)', () => {
  beforeAll(async () => {
    for (let i = 0; i < 7; i++)
      await store.db.doc.send(new PutCommand({ TableName: store.db.table, Item: { pk: PK, sk: `item-${i}` } }));
  });
  const input = (table: string) => ({
    TableName: table,
    KeyConditionExpression: 'pk = :pk',
    ExpressionAttributeValues: { ':pk': PK },
    Limit: 2,
  });

  it('reads every page in order, each starting where the last ended, and stops when there is no next key', async () => {
    const { db, queries } = counting();
    const pages: string[][] = [];
    for await (const items of queryPages(db, input(db.table))) pages.push(items.map((i) => i.sk as string));
    expect(pages).toEqual([['item-0', 'item-1'], ['item-2', 'item-3'], ['item-4', 'item-5'], ['item-6']]);
    expect(queries()).toBe(4);
  });

  it('sends no request for a page the caller did not ask for', async () => {
    const { db, queries } = counting();
    for await (const items of queryPages(db, input(db.table))) {
      expect(items).toHaveLength(2);
      break;
    }
    expect(queries()).toBe(1);
  });
});
