import { timerName, type Clock, type Timer, type TimerPayload } from '@drumbeat/core';
import type { Store } from '@drumbeat/store';
import type { Services } from '@drumbeat/services';
import { ImportJobRepo } from './import-job-repo.js';

/** The Imports function's timeout (infra/imports.ts; test/infra checks the two agree). */
export const IMPORT_FUNCTION_TIMEOUT_MS = 15 * 60_000;
/**
 * How long a run holds its job: the function's timeout and a minute. Lambda
 * stops the run at its timeout, so past the lease a job still `running` has
 * no run left (a timeout, a crash, an out-of-memory) and may be reaped.
 */
export const IMPORT_JOB_LEASE_MS = IMPORT_FUNCTION_TIMEOUT_MS + 60_000;

/** Statuses a post of a dead import can still be deleted in: it has not gone out. */
const UNDONE = new Set(['pending_approval', 'scheduled', 'canceled']);

/**
 * Undoes an import job whose run died (a `running` job past its lease): every
 * post it recorded it was creating is purged, as a thrown failure purges them,
 * then the job is failed with a problem saying it was interrupted. Safe to run
 * twice or concurrently (purging twice finds nothing; one failure wins). A post
 * that has already gone out (due within the lease) is history and is kept; the
 * problem names it. A post never stored may have its timer armed (a post's
 * timer is armed just before the post is stored): that timer is cancelled.
 * Returns whether the job was stale.
 */
export async function reapStaleImportJob(
  deps: { store: Store; services: Services; clock: Clock },
  ws: string,
  jobId: string,
): Promise<boolean> {
  const repo = new ImportJobRepo(deps.store.db);
  const stale = await repo.stale(ws, jobId, deps.clock.now());
  if (!stale) return false;
  const kept: string[] = [];
  let deleted = 0;
  for (const postId of stale.creating) {
    const post = await deps.store.posts.find(ws, postId);
    // Never stored (its timer may be: a post's timer is armed just before it is), or purged by an earlier reaper.
    if (!post) {
      await deps.services.deps.scheduler.cancel(timerName({ kind: 'publish', workspaceId: ws, postId }));
      continue;
    }
    if (!UNDONE.has(post.status)) kept.push(postId);
    else {
      await deps.services.posts.purge(ws, postId);
      deleted++;
    }
  }
  const undone = `${deleted} post(s) it had begun to create were deleted${kept.length ? `; ${kept.length} that had already gone out were kept (${kept.join(', ')})` : ''}`;
  await repo.interrupted(
    ws,
    jobId,
    deps.clock.now(),
    stale,
    interruptedProblem('its run stopped before it finished, e.g. a timeout', undone),
  );
  // Whoever failed it, the job is over: its lease timer has nothing left to do.
  await deps.services.deps.scheduler.cancel(timerName(leasePayload(ws, jobId)));
  return true;
}

type LeasePayload = Extract<TimerPayload, { kind: 'import-lease' }>;

const leasePayload = (workspaceId: string, jobId: string): LeasePayload => ({
  kind: 'import-lease',
  workspaceId,
  jobId,
});

/**
 * The timer at a running job's lease end (`import-<jobId>`), armed before its
 * first post is created and cancelled once the job has ended: a run that
 * crashes (out of memory, a runtime crash) is undone when it fires, even if
 * nobody ever reads the job.
 */
export function importLeaseTimer(ws: string, jobId: string, leaseUntil: Date): Timer {
  const payload = leasePayload(ws, jobId);
  return { name: timerName(payload), at: leaseUntil, payload };
}

/**
 * The `import-lease` timer handler (the watchdog function runs it on AWS):
 * undoes the job when it is still running past its lease. A job that has
 * ended is left alone, so a repeated or late timer does nothing; one that
 * fires before the lease end (clocks a little apart) is armed again for it.
 */
export async function runImportLease(
  deps: { store: Store; services: Services; clock: Clock },
  payload: LeasePayload,
): Promise<'undone' | 'rearmed' | 'nothing-to-do'> {
  const { workspaceId: ws, jobId } = payload;
  if (await reapStaleImportJob(deps, ws, jobId)) return 'undone';
  const running = await new ImportJobRepo(deps.store.db).running(ws, jobId);
  if (!running) return 'nothing-to-do';
  await deps.services.deps.scheduler.schedule(importLeaseTimer(ws, jobId, new Date(running.leaseUntil)));
  return 'rearmed';
}

/** The problem of a job whose run did not finish: why, and what was undone. */
export function interruptedProblem(why: string, undone: string) {
  return {
    type: 'urn:drumbeat:problem:interrupted',
    title: 'Import interrupted',
    status: 503,
    detail: `the import was interrupted (${why}) and was undone: ${undone}. Send the file again.`,
  };
}

/** How long before the function's time limit a run stops creating and undoes itself (the undo needs time too). */
export const STOP_BEFORE_TIMEOUT_MS = 60_000;
