import type { LambdaClient } from '@aws-sdk/client-lambda';
import type { Clock } from '@drumbeat/core';
import type { Store } from '@drumbeat/store';
import type { Services } from '@drumbeat/services';
// Types only: the worker bundles (which build this through deps.ts) stay free of the HTTP layer.
import type { ImportJobs, ImportJobView } from '@drumbeat/api';
import { ImportJobRepo } from './import-job-repo.js';
import { SYNC_IMPORT_ROWS } from './api-config.js';

export { SYNC_IMPORT_ROWS } from './api-config.js';
import { reapStaleImportJob } from './import-job-reaper.js';

/**
 * Imports on Lambda run as jobs: the API records the file as a pending job
 * (a table item) and invokes the Imports function asynchronously with only the
 * job's address; that function runs the same all-or-nothing import as the
 * synchronous route, with 15 minutes instead of the API's 20 seconds, and
 * records the result or the problem. A client polls `GET /v1/imports/{id}`.
 */

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
    private readonly opts: {
      store: Store;
      services: Services;
      clock: Clock;
      lambda: LambdaClient | (() => Promise<LambdaClient>);
      functionName: string;
    },
  ) {
    this.repo = new ImportJobRepo(opts.store.db);
  }

  async submit(ws: string, job: { csv: string; shareSlots: boolean }): Promise<ImportJobView> {
    const view = await this.repo.create(ws, job, this.opts.clock.now());
    // The Lambda client's commands load with the first job, as the client does (deps.ts): most containers never start one.
    const [client, { InvokeCommand }] = await Promise.all([
      typeof this.opts.lambda === 'function' ? this.opts.lambda() : this.opts.lambda,
      import('@aws-sdk/client-lambda'),
    ]);
    const event: ImportJobEvent = { workspaceId: ws, jobId: view.id };
    await client.send(
      new InvokeCommand({
        FunctionName: this.opts.functionName,
        InvocationType: 'Event',
        Payload: new TextEncoder().encode(JSON.stringify(event)),
      }),
    );
    return view;
  }

  /** The job; one whose run died (running past its lease) is undone and failed first. */
  async get(ws: string, id: string): Promise<ImportJobView | undefined> {
    await reapStaleImportJob(this.opts, ws, id);
    return this.repo.view(ws, id, (ids) => Promise.all(ids.map((p) => this.opts.services.posts.get(ws, p))));
  }
}
