import { GetCommand, PutCommand, ScanCommand } from '@aws-sdk/lib-dynamodb';
import type { AccountRecord, WebhookRecord } from '@drumbeat/core';
import { fromItem, secretsSealedKey, type Db } from '@drumbeat/store';
import type { Services } from '@drumbeat/services';

/** Written once every row has been looked at: later boots skip the scan (every write since seals). */
const DONE = secretsSealedKey;

/**
 * Seals channel and webhook secrets that a version before sealing left in
 * clear in the table, once per data dir, at boot (before the API and the
 * scheduler start). Until a row is sealed its clear value still works; rows
 * changed meanwhile are sealed by that change. The only Scan in drumbeat,
 * and only in the embedded runtime: on AWS a clear row is sealed at its
 * next write. Returns how many rows were sealed.
 */
export async function sealStoredSecrets(db: Db, services: Services, now: Date): Promise<number> {
  const done = await db.doc.send(new GetCommand({ TableName: db.table, Key: DONE, ConsistentRead: true }));
  if (done.Item) return 0;
  let sealed = 0;
  let start: Record<string, unknown> | undefined;
  do {
    const page = await db.doc.send(
      new ScanCommand({
        TableName: db.table,
        FilterExpression: '#t IN (:a, :w)',
        ExpressionAttributeNames: { '#t': 'type' },
        ExpressionAttributeValues: { ':a': 'ACCOUNT', ':w': 'WEBHOOK' },
        ExclusiveStartKey: start,
        ConsistentRead: true,
      }),
    );
    for (const item of page.Items ?? []) {
      const changed =
        item.type === 'ACCOUNT'
          ? await services.accounts.sealStoredSecret(fromItem<AccountRecord>(item))
          : await services.webhooks.sealStoredSecret(fromItem<WebhookRecord>(item));
      if (changed) sealed++;
    }
    start = page.LastEvaluatedKey;
  } while (start);
  await db.doc.send(new PutCommand({ TableName: db.table, Item: { ...DONE, type: 'META', at: now.toISOString() } }));
  return sealed;
}
