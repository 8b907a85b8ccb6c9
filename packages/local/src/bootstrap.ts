import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { isConditionFailed, type Store } from '@drumbeat/store';
import type { Services } from '@drumbeat/services';

/**
 * On the very first start against a table, creates a workspace and returns it
 * with its owner key (to print once). A marker item written by conditional put
 * makes this happen once per table, even if two processes start together.
 */
export async function bootstrapFirstWorkspace(store: Store, services: Services, now: Date) {
  try {
    await store.db.doc.send(
      new PutCommand({
        TableName: store.db.table,
        Item: { pk: 'SYSTEM', sk: 'BOOTSTRAP', at: now.toISOString() },
        ConditionExpression: 'attribute_not_exists(pk)',
      }),
    );
  } catch (err) {
    if (isConditionFailed(err)) return undefined;
    throw err;
  }
  return services.workspaces.create({ name: 'My workspace', slug: 'my-workspace' });
}
