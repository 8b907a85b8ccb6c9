import { wsPk } from './workspace-keys.js';

/**
 * Idempotency records of API requests, at `IDEM#<key>` in the workspace partition.
 *
 * Access patterns:
 * - begin, read, finish, release: Put / Get / Update / Delete `WS#<ws>` / `IDEM#<key>` (IdempotencyRepo, api middleware/idempotency.ts)
 */
export const idempotencyKey = (ws: string, key: string) => ({ pk: wsPk(ws), sk: `IDEM#${key}` });
