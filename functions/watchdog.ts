import { deps } from './deps.js';
import { timerTarget, type ScheduledEvent } from './targets.js';
import { runImportLease } from './import-job-reaper.js';
import { log } from './logger.js';

const { store, services, timerQueue, clock } = deps();
const { watchdog, reviewDigests } = services;

/** How long a run waits for its chat alert posts (their retries take up to 36 s; the function may run 60 s). */
const CHAT_WAIT_MS = 45_000;

/** Every account's cadence deadline (`watchdog-<accountId>`), relayed like a post's to its queue and consumed from it: evaluates and re-arms it. */
const deadline = timerTarget(
  'watchdog',
  async (payload) => {
    const outcome = await watchdog.run(payload);
    // Chat posts run beside the email, not awaited; a frozen container would hold them until its next thaw.
    await watchdog.chatSettled(CHAT_WAIT_MS);
    return outcome;
  },
  { queue: timerQueue, clock },
);

/** An approver's approval-request digest (`reviews-<voiceId>`): not precise (a window of minutes), so its schedule runs it directly. */
const reviews = timerTarget('review-digest', (payload) => reviewDigests.run(payload), { clock });

/** An import job's lease end (`import-<jobId>`): a job still running then has no run left (it crashed) and is undone. */
const leases = timerTarget(
  'import-lease',
  async (payload) => {
    const outcome = await runImportLease({ store, services, clock }, payload);
    if (outcome === 'undone')
      log.warn(
        { workspaceId: payload.workspaceId, jobId: payload.jobId },
        'import job outlived its lease; undone and failed',
      );
    return outcome;
  },
  { clock },
);

const kindOf = (event: ScheduledEvent) =>
  typeof event === 'object' && event !== null ? (event as { kind?: unknown }).kind : undefined;

/** Target of the watchdog, review-digest and import-lease timers (none needs a function of its own). */
export const handler = (event: ScheduledEvent) => {
  const kind = kindOf(event);
  return kind === 'review-digest' ? reviews(event) : kind === 'import-lease' ? leases(event) : deadline(event);
};
