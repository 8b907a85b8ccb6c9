import { InvokeCommand, type LambdaClient } from '@aws-sdk/client-lambda';
import type { Clock } from '@drumbeat/core';
import type { Store } from '@drumbeat/store';
import type { Services } from '@drumbeat/services';
import { importCsv, importProblem, type ImportJobs, type ImportJobView } from '@drumbeat/api';
import { ImportJobRepo } from './import-job-repo.js';
import type { FunctionLogger } from './logger.js';

/**
 * Imports on Lambda run as jobs: the API records the file as a pending job
 * (a table item) and invokes the Imports function asynchronously with only the
 * job's address; that function runs the same all-or-nothing import as the
 * synchronous route, with 15 minutes instead of the API's 20 seconds, and
 * records the result or the problem. A client polls `GET /v1/imports/{id}`.
 */

/** Files up to this many data rows stay synchronous (201): well within the API's 20 s, and what existing clients expect. */
export const SYNC_IMPORT_ROWS = 100;

/** What the API sends the Imports function (the file stays in the table: async invocations carry at most 256 KB). */
export interface ImportJobEvent {
  workspaceId: string;
  jobId: string;
}

/** The API's side: records the job, then invokes the Imports function with InvocationType `Event`. */
export class LambdaImportJobs implements ImportJobs {
  readonly syncRows = SYNC_IMPORT_ROWS;
  private readonly repo: ImportJobRepo;
  constructor(
    private readonly opts: { store: Store; services: Services; clock: Clock; lambda: LambdaClient | (() => Promise<LambdaClient>); functionName: string },
  ) {
    this.repo = new ImportJobRepo(opts.store.db);
  }

  async submit(ws: string, job: { csv: string; shareSlots: boolean }): Promise<ImportJobView> {
    const view = await this.repo.create(ws, job, this.opts.clock.now());
    const client = typeof this.opts.lambda === 'function' ? await this.opts.lambda() : this.opts.lambda;
    const event: ImportJobEvent = { workspaceId: ws, jobId: view.id };
    await client.send(new InvokeCommand({ FunctionName: this.opts.functionName, InvocationType: 'Event', Payload: new TextEncoder().encode(JSON.stringify(event)) }));
    return view;
  }

  get(ws: string, id: string): Promise<ImportJobView | undefined> {
    return this.repo.view(ws, id, (ids) => Promise.all(ids.map((p) => this.opts.services.posts.get(ws, p))));
  }
}

/**
 * The Imports function's work for one event: starts the job (a repeated
 * invocation of a job already started does nothing), imports, and records the
 * outcome. A refused file (a bad row, a conflict) is a failed job with the
 * problem; an unexpected failure is recorded too, then thrown so Lambda sends
 * the event to the dead-letter queue and the alarm fires. Either way the
 * import service has already purged what it created: nothing is half done.
 */
export async function runImportJob(
  deps: { store: Store; services: Services; clock: Clock; log: FunctionLogger },
  event: ImportJobEvent,
): Promise<ImportJobView['status'] | 'not-pending'> {
  const repo = new ImportJobRepo(deps.store.db);
  const { workspaceId: ws, jobId } = event;
  const job = await repo.start(ws, jobId, deps.clock.now());
  if (!job) {
    deps.log.warn({ workspaceId: ws, jobId }, 'import job is not pending; nothing run');
    return 'not-pending';
  }
  try {
    const result = await importCsv(deps.services, ws, job.csv, job.shareSlots);
    await repo.finish(ws, jobId, deps.clock.now(), { result });
    deps.log.info({ workspaceId: ws, jobId, created: result.created, updated: result.updated }, 'import job succeeded');
    return 'succeeded';
  } catch (err) {
    const problem = importProblem(err);
    await repo.finish(ws, jobId, deps.clock.now(), { problem });
    if (problem.status >= 500) {
      deps.log.error({ workspaceId: ws, jobId, err }, 'import job failed unexpectedly');
      throw err;
    }
    deps.log.info({ workspaceId: ws, jobId, status: problem.status }, 'import job refused');
    return 'failed';
  }
}

/** Reads an Imports event; throws on anything else (a malformed event is a bug: it goes to the dead-letter queue). */
export function parseImportJobEvent(event: unknown): ImportJobEvent {
  const e = event as Partial<ImportJobEvent> | null;
  if (!e || typeof e.workspaceId !== 'string' || typeof e.jobId !== 'string' || !/^imp_[0-9a-z]{25}$/.test(e.jobId)) {
    throw new Error(`not an import job event: ${JSON.stringify(event)?.slice(0, 200)}`);
  }
  return { workspaceId: e.workspaceId, jobId: e.jobId };
}
