import { wsPk } from './workspace-keys.js';

/**
 * An asynchronous CSV import's job record (the AWS runtime's import function),
 * at `IMPORTJOB#<id>` in the workspace partition.
 *
 * Access patterns:
 * - create, read, progress, finish, reap: conditional Put / Get / conditional Update `WS#<ws>` / `IMPORTJOB#<id>` (functions/import-job-repo.ts: import-job-run, import-job-reaper)
 */
export const importJobKey = (ws: string, id: string) => ({ pk: wsPk(ws), sk: `IMPORTJOB#${id}` });
