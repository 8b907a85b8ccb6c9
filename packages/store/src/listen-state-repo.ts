import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { conditionalWrite, getItem, versionIs, type Db } from './db.js';
import type { ListenState, ListenStateRepository } from '@drumbeat/core';
import { listenStateKey } from './table/account-keys.js';

// One item per account, at `LISTEN#<account>`.
export type { ListenState };

/** The listen state of accounts; replaced only by a conditional write on its version, so an older poll never rolls a newer cursor back. */
export class ListenStateRepo implements ListenStateRepository {
  constructor(private readonly db: Db) {}

  /** The account's listen state, or undefined before its first poll. */
  async get(ws: string, account: string): Promise<ListenState | undefined> {
    return getItem<ListenState>(this.db, listenStateKey(ws, account));
  }

  /** Stores `state` (its version one above `expected`, undefined: none stored yet); false when another poll wrote first. */
  async put(
    ws: string,
    account: string,
    state: Omit<ListenState, 'version'>,
    expected: number | undefined,
  ): Promise<boolean> {
    return conditionalWrite(
      this.db.doc.send(
        new PutCommand({
          TableName: this.db.table,
          Item: { ...listenStateKey(ws, account), type: 'LISTEN_STATE', ...state, version: (expected ?? 0) + 1 },
          ...versionIs(expected),
        }),
      ),
    );
  }
}
