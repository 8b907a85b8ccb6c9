import { DynamoDBDocumentClient, GetCommand } from '@aws-sdk/lib-dynamodb';
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';

/** A handle on the table: the document client and the table name. Every repository takes one. */
export interface Db {
  doc: DynamoDBDocumentClient;
  table: string;
}

/** Wraps a low-level client in a document client that drops undefined attributes. */
export function createDb(client: DynamoDBClient, table: string): Db {
  const doc = DynamoDBDocumentClient.from(client, {
    marshallOptions: { removeUndefinedValues: true, convertClassInstanceToMap: false },
  });
  return { doc, table };
}

/** True when `err` is DynamoDB's answer to a failed condition. */
export function isConditionFailed(err: unknown): boolean {
  return (err as Error | undefined)?.name === 'ConditionalCheckFailedException';
}

const KEY_ATTRS = ['pk', 'sk', 'gsi1pk', 'gsi1sk', 'type'] as const;

/** The entity stored in an item, without the table's key attributes. */
export function fromItem<T>(item: Record<string, unknown>): T {
  const out: Record<string, unknown> = { ...item };
  for (const k of KEY_ATTRS) delete out[k];
  return out as T;
}

/** Awaits a conditional write: true once it is done, false when its condition failed (another writer got there first). */
export async function conditionalWrite(write: Promise<unknown>): Promise<boolean> {
  try {
    await write;
    return true;
  } catch (err) {
    if (isConditionFailed(err)) return false;
    throw err;
  }
}

/** The condition of a write that expects the stored item's `version` to be `expected` (undefined: no item stored yet). */
export function versionIs(expected: number | undefined) {
  return expected === undefined
    ? { ConditionExpression: 'attribute_not_exists(pk)' }
    : {
        ConditionExpression: '#v = :v',
        ExpressionAttributeNames: { '#v': 'version' },
        ExpressionAttributeValues: { ':v': expected },
      };
}

/** The entity stored at `key` (strongly consistent), without the table's key attributes; undefined when there is none. */
export async function getItem<T>(db: Db, key: Record<string, string>): Promise<T | undefined> {
  const r = await db.doc.send(new GetCommand({ TableName: db.table, Key: key, ConsistentRead: true }));
  return r.Item ? fromItem<T>(r.Item) : undefined;
}
