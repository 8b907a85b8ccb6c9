import type { Clock } from '@drumbeat/core';
import type { Store } from '@drumbeat/store';
import type { Services } from '@drumbeat/services';
// The CSV import alone (not the package's index): the Imports bundle stays free of the HTTP layer.
import { importCsv, importProblem } from '@drumbeat/api/import-csv';
import type { ImportJobView } from '@drumbeat/api';
import { ImportJobRepo } from './import-job-repo.js';
import type { ImportJobEvent } from './import-jobs.js';
import { IMPORT_JOB_LEASE_MS, importLeaseTimer, interruptedProblem, reapStaleImportJob } from './import-job-reaper.js';
import type { FunctionLogger } from './logger.js';

/**
 * The Imports function's work for one event: starts the job (a repeated
 * invocation of a job already started does nothing), imports, and records the
 * outcome. A refused file (a bad row, a conflict) is a failed job with the
 * problem; an unexpected failure is recorded too, then thrown so Lambda sends
 * the event to the dead-letter queue and the alarm fires. Either way the
 * import service has already purged what it created: nothing is half done.
 * A run that dies without throwing (a crash, out of memory) leaves the job
 * `running` with the ids it was creating; its lease timer, armed before the
 * first post is created and cancelled when the job ends, undoes it when the
 * lease ends, as would a status read or a repeat of the event past it
 * (import-job-reaper.ts).
 */
export async function runImportJob(
  deps: { store: Store; services: Services; clock: Clock; log: FunctionLogger },
  event: ImportJobEvent,
  opts: { signal?: AbortSignal } = {},
): Promise<ImportJobView['status'] | 'not-pending'> {
  const repo = new ImportJobRepo(deps.store.db);
  const { workspaceId: ws, jobId } = event;
  const now = deps.clock.now();
  const leaseUntil = new Date(now.getTime() + IMPORT_JOB_LEASE_MS);
  const job = await repo.start(ws, jobId, now, leaseUntil);
  if (!job) {
    // A repeat of an event whose run died: undo that run now rather than wait for a status read.
    if (await reapStaleImportJob(deps, ws, jobId)) {
      deps.log.warn({ workspaceId: ws, jobId }, 'import job was interrupted; undone and failed');
      return 'failed';
    }
    deps.log.warn({ workspaceId: ws, jobId }, 'import job is not pending; nothing run');
    return 'not-pending';
  }
  const lease = importLeaseTimer(ws, jobId, leaseUntil);
  /** Records how the job ended, then removes its lease timer (left behind, it would find the job ended and do nothing). */
  const finish = async (outcome: Parameters<ImportJobRepo['finish']>[3]) => {
    await repo.finish(ws, jobId, deps.clock.now(), outcome);
    await deps.services.deps.scheduler
      .cancel(lease.name)
      .catch((err: unknown) =>
        deps.log.warn({ workspaceId: ws, jobId, err }, 'import lease timer not cancelled; it will find the job ended'),
      );
  };
  try {
    // Before the first post exists: a run that dies from here on (a crash, out of memory) is undone when the lease ends, read or not.
    await deps.services.deps.scheduler.schedule(lease);
    const result = await importCsv(deps.services, ws, job.csv, job.shareSlots, {
      beforeCreate: (ids) => repo.creating(ws, jobId, deps.clock.now(), ids),
      ...(opts.signal ? { signal: opts.signal } : {}),
    });
    await finish({ result });
    deps.log.info({ workspaceId: ws, jobId, created: result.created, updated: result.updated }, 'import job succeeded');
    return 'succeeded';
  } catch (err) {
    if (opts.signal?.aborted && err === opts.signal.reason) {
      // Out of time: what it created is already undone; fail it as the reaper would, without waiting for the lease.
      await finish({
        problem: interruptedProblem(
          'its run was about to reach the function time limit',
          'every post it had created was deleted',
        ),
      });
      deps.log.warn({ workspaceId: ws, jobId }, 'import job stopped before the function timeout; undone');
      return 'failed';
    }
    const problem = importProblem(err);
    await finish({ problem });
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
