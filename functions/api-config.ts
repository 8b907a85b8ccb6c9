import type { ApiConfig, ImportJobs } from '@drumbeat/api';
import type { FunctionConfig } from './config.js';

/** Largest request body the API accepts on Lambda (function URLs cap payloads at 6 MB anyway). */
const MAX_BODY_BYTES = 256 * 1024;
/** Files up to this many data rows stay synchronous (201): well within the API's 20 s, and what existing clients expect. */
export const SYNC_IMPORT_ROWS = 100;

/** The API's settings from the functions' configuration; `importJobs` when an Imports function is linked. */
export function apiConfigOf(config: FunctionConfig, importJobs?: ImportJobs): ApiConfig {
  return {
    adminToken: config.adminToken,
    maxBodyBytes: MAX_BODY_BYTES,
    publicUrl: config.publicUrl,
    ...(config.sessionSecret ? { sessionSecret: config.sessionSecret } : {}),
    ...(config.importsFunction && importJobs ? { importJobs } : {}),
  };
}
