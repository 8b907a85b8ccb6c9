import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { getItem, conditionalWrite, type Db } from './db.js';
import type { LinkSecretGeneration, LinkSecretRecord, LinkSecretRepository } from '@drumbeat/core';
import { linkSecretKey } from './table/workspace-keys.js';

export type { LinkSecretGeneration, LinkSecretRecord };

/** The action-link secret item, at `LINK_SECRET` in the workspace's partition; replaced only by a conditional write on its generation. */
export class LinkSecretRepo implements LinkSecretRepository {
  constructor(private readonly db: Db) {}

  /** The workspace's link secrets, or undefined before the first link. */
  async find(ws: string): Promise<LinkSecretRecord | undefined> {
    return getItem<LinkSecretRecord>(this.db, linkSecretKey(ws));
  }

  /**
   * Stores `record` if the stored current generation is still `expected`
   * (undefined: none stored yet); false when another writer got there first.
   */
  async put(record: LinkSecretRecord, expected: number | undefined): Promise<boolean> {
    return conditionalWrite(
      this.db.doc.send(
        new PutCommand({
          TableName: this.db.table,
          Item: { ...linkSecretKey(record.workspaceId), type: 'LINK_SECRET', ...record },
          ...(expected === undefined
            ? { ConditionExpression: 'attribute_not_exists(pk)' }
            : {
                ConditionExpression: '#c.#g = :g',
                ExpressionAttributeNames: { '#c': 'current', '#g': 'generation' },
                ExpressionAttributeValues: { ':g': expected },
              }),
        }),
      ),
    );
  }
}
