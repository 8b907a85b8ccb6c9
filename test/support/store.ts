import { createDb, ensureTable, Store } from '@drumbeat/store';
import { startEmbeddedDynamo, type EmbeddedDynamo } from '@drumbeat/local';

/** A fresh in-memory dynalite with the table created, reached through the real AWS SDK. */
export async function startTestStore(table = 'drumbeat-test'): Promise<{ dynamo: EmbeddedDynamo; store: Store; close: () => Promise<void> }> {
  const dynamo = await startEmbeddedDynamo();
  await ensureTable(dynamo.client, table);
  const store = new Store(createDb(dynamo.client, table));
  return { dynamo, store, close: () => dynamo.close() };
}
