import { claimFirstStart, type Store } from '@drumbeat/store';
import type { Services } from '@drumbeat/services';

/**
 * On the very first start against a table, creates a workspace and returns it
 * with its owner key (to print once). A marker item written by conditional put
 * makes this happen once per table, even if two processes start together.
 */
export async function bootstrapFirstWorkspace(store: Store, services: Services, now: Date) {
  if (!(await claimFirstStart(store.db, now))) return undefined;
  return services.workspaces.create({ name: 'My workspace', slug: 'my-workspace' });
}
