import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { getItem, conditionalWrite, type Db } from './db.js';
import { linkSecretKey } from './table/workspace-keys.js';

/** One generation of a workspace's action-link secret: its number, the secret sealed by the `SecretSealer`, and when it was made. */
export interface LinkSecretGeneration {
  generation: number;
  sealedSecret: string;
  createdAt: string;
}

/**
 * A workspace's action-link secrets: the current generation signs new links;
 * the previous one still verifies the links it signed until they expire
 * (a roll-over), and a revocation drops both.
 */
export interface LinkSecretRecord {
  workspaceId: string;
  current: LinkSecretGeneration;
  previous?: LinkSecretGeneration;
}

/** The action-link secret item, at `LINK_SECRET` in the workspace's partition; replaced only by a conditional write on its generation. */
export class LinkSecretRepo {
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
