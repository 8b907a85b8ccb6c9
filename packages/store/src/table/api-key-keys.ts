import { wsPk } from './workspace-keys.js';

/**
 * API keys, at `KEY#<id>` in the workspace partition (a Collection).
 *
 * Access patterns:
 * - one key: GetItem `WS#<ws>` / `KEY#<id>` (ApiKeyRepo, the API's key check)
 * - the keys of a workspace: Query `WS#<ws>`, begins_with `KEY#` (ApiKeyRepo.list)
 */
export const API_KEY_PREFIX = 'KEY';
export const apiKeyKey = (ws: string, id: string) => ({ pk: wsPk(ws), sk: `${API_KEY_PREFIX}#${id}` });
