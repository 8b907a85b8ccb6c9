import { randomUUID } from 'node:crypto';
import { DeleteTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { createDb, ensureTable, Store } from '@drumbeat/store';
import { startEmbeddedDynamo, type EmbeddedDynamo } from '@drumbeat/local';

/** Set by test/support/dynamodb-local.ts (`npm run test:dynamodb-local`); unset, the tests use dynalite. */
const DYNAMODB_LOCAL = process.env.DRUMBEAT_TEST_DYNAMODB_ENDPOINT;
if (process.env.DRUMBEAT_TEST_ENGINE === 'dynamodb-local' && !DYNAMODB_LOCAL)
  throw new Error('DynamoDB Local run without its endpoint: would silently test dynalite');

/** A table of its own on the shared DynamoDB Local, deleted on close. */
function dynamodbLocal(endpoint: string, table: string): EmbeddedDynamo {
  const client = new DynamoDBClient({
    endpoint,
    region: 'local',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    maxAttempts: 3,
  });
  return {
    endpoint,
    client,
    flush: async () => {},
    close: async () => {
      await client.send(new DeleteTableCommand({ TableName: table })).catch(() => {});
      client.destroy();
    },
  };
}

/**
 * A fresh in-memory engine with the table created (by the product's own
 * ensureTable), reached through the real AWS SDK: dynalite (in its worker
 * thread, as `npm start` runs it, unless `thread: 'main'`), or DynamoDB Local
 * when DRUMBEAT_TEST_DYNAMODB_ENDPOINT is set.
 */
export async function startTestStore(
  table = 'drumbeat-test',
  opts: { thread?: 'worker' | 'main' } = {},
): Promise<{ dynamo: EmbeddedDynamo; store: Store; close: () => Promise<void> }> {
  if (DYNAMODB_LOCAL) table = `${table}-${randomUUID()}`;
  const dynamo = DYNAMODB_LOCAL ? dynamodbLocal(DYNAMODB_LOCAL, table) : await startEmbeddedDynamo(opts);
  await ensureTable(dynamo.client, table);
  const store = new Store(createDb(dynamo.client, table));
  return { dynamo, store, close: () => dynamo.close() };
}
