import { GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { fromItem, isConditionFailed, type Db } from './db.js';
import type { ListenState, ListenStateRepository } from '@drumbeat/core';
import { listenStateKey } from './table/account-keys.js';

// One item per account, at `LISTEN#<account>`.
export type { ListenState };

/** The listen state of accounts; replaced only by a conditional write on its version, so an older poll never rolls a newer cursor back. */
export class ListenStateRepo implements ListenStateRepository {
  constructor(private readonly db: Db) {}

  /** The account's listen state, or undefined before its first poll. */
  async get(ws: string, account: string): Promise<ListenState | undefined> {
    const r = await this.db.doc.send(
      new GetCommand({ TableName: this.db.table, Key: listenStateKey(ws, account), ConsistentRead: true }),
    );
    if (!r.Item) return undefined;
    const {
      pk: _p,
      sk: _s,
      type: _t,
      ...rest
    } = fromItem<ListenState & { pk: string; sk: string; type: string }>(r.Item);
    return rest;
  }

  /** Stores `state` (its version one above `expected`, undefined: none stored yet); false when another poll wrote first. */
  async put(
    ws: string,
    account: string,
    state: Omit<ListenState, 'version'>,
    expected: number | undefined,
  ): Promise<boolean> {
    try {
      await this.db.doc.send(
        new PutCommand({
          TableName: this.db.table,
          Item: { ...listenStateKey(ws, account), type: 'LISTEN_STATE', ...state, version: (expected ?? 0) + 1 },
          ...(expected === undefined
            ? { ConditionExpression: 'attribute_not_exists(pk)' }
            : {
                ConditionExpression: '#v = :v',
                ExpressionAttributeNames: { '#v': 'version' },
                ExpressionAttributeValues: { ':v': expected },
              }),
        }),
      );
      return true;
    } catch (err) {
      if (isConditionFailed(err)) return false;
      throw err;
    }
  }
}
