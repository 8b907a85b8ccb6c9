export { tableDefinition, ensureTable } from './table.js';
export { createDb, isConditionFailed, fromItem, type Db } from './db.js';
export { keys, wsPk } from './keys.js';
export { encodeCursor, decodeCursor } from './cursor.js';
export { Collection, type Page } from './collection.js';
export { WorkspaceRepo } from './workspace-repo.js';
export { ApiKeyRepo } from './api-key-repo.js';
export { IdempotencyRepo, type StoredResponse, type IdempotencyBegin } from './idempotency-repo.js';
export { Store } from './store.js';
