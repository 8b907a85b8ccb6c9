import { pathToFileURL } from 'node:url';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { PutCommand, ScanCommand } from '@aws-sdk/lib-dynamodb';
import type { AccountRecord, VoiceRecord } from '@drumbeat/core';
import { createDb, fromItem, normalizeAddress, refItem, type Db } from '@drumbeat/store';

/**
 * Writes the address refs of every account and voice already in the table
 * (rows written before the refs existed have none, so a bounce would find no
 * account): one Scan of the account and voice rows, one put per address.
 * Idempotent, safe beside live traffic (a ref is only ever added). Run once
 * per table after upgrading. A Scan: never in the deployed code (test/infra/settings.test.ts).
 * Returns how many refs were written.
 */
export async function backfillEmailRefs(db: Db): Promise<number> {
  let written = 0;
  let start: Record<string, unknown> | undefined;
  do {
    const page = await db.doc.send(
      new ScanCommand({
        TableName: db.table,
        FilterExpression: '#t IN (:a, :v)',
        ExpressionAttributeNames: { '#t': 'type' },
        ExpressionAttributeValues: { ':a': 'ACCOUNT', ':v': 'VOICE' },
        ExclusiveStartKey: start,
      }),
    );
    for (const item of page.Items ?? []) {
      const voice = item.type === 'VOICE';
      const r = fromItem<AccountRecord & VoiceRecord>(item);
      const addresses = voice ? [r.email] : (r.alerts?.emails ?? []);
      for (const a of new Set(addresses.filter((x): x is string => !!x && x.includes('@')).map(normalizeAddress))) {
        await db.doc.send(
          new PutCommand({
            TableName: db.table,
            Item: refItem(a, { workspaceId: r.workspaceId, kind: voice ? 'voice' : 'account', id: r.id }),
          }),
        );
        written++;
      }
    }
    start = page.LastEvaluatedKey;
  } while (start);
  return written;
}

/**
 * `npx tsx scripts/backfill-email-refs.ts <table name>` (the deploy's `table`
 * output), once per table deployed before email_bounced alerts existed.
 * Credentials and region from the shell (AWS_PROFILE, AWS_REGION).
 */
async function main(): Promise<void> {
  const table = process.argv[2];
  if (!table) {
    console.error('usage: npx tsx scripts/backfill-email-refs.ts <table name>');
    process.exit(2);
  }
  const written = await backfillEmailRefs(createDb(new DynamoDBClient({}), table));
  console.log(`${written} address refs written to ${table}`);
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) await main();
