import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { conditionalWrite, type Db } from './db.js';
import { bootstrapKey } from './table/system-keys.js';

/**
 * Claims the table's first start: true for the one caller whose conditional
 * put of the bootstrap marker wins (even if two processes start together),
 * false for every later one.
 */
export async function claimFirstStart(db: Db, now: Date): Promise<boolean> {
  return conditionalWrite(
    db.doc.send(
      new PutCommand({
        TableName: db.table,
        Item: { ...bootstrapKey, at: now.toISOString() },
        ConditionExpression: 'attribute_not_exists(pk)',
      }),
    ),
  );
}
