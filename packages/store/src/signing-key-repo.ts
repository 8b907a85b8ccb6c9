import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { getItem, conditionalWrite, type Db } from './db.js';
import type { SigningKeyRecord, SigningKeyRepository } from '@drumbeat/core';
import { signingKeyKey } from './table/workspace-keys.js';

export type { SigningKeyRecord };

/** One signing key per workspace, at `SIGNING_KEY` in its partition; written once, never replaced. */
export class SigningKeyRepo implements SigningKeyRepository {
  constructor(private readonly db: Db) {}

  /** The workspace's key, or undefined. */
  async find(ws: string): Promise<SigningKeyRecord | undefined> {
    return getItem<SigningKeyRecord>(this.db, signingKeyKey(ws));
  }

  /** Stores the workspace's first key; false when one exists already (another writer won: read it). */
  async create(record: SigningKeyRecord): Promise<boolean> {
    return conditionalWrite(
      this.db.doc.send(
        new PutCommand({
          TableName: this.db.table,
          Item: { ...signingKeyKey(record.workspaceId), type: 'SIGNING_KEY', ...record },
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      ),
    );
  }
}
