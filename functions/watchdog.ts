import { deps } from './deps.js';
import { timerTarget, type ScheduledEvent } from './targets.js';

const { services, timerQueue, clock } = deps();
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

const isReviewDigest = (event: ScheduledEvent) => typeof event === 'object' && event !== null && (event as { kind?: unknown }).kind === 'review-digest';

/** Target of the watchdog and review-digest timers (the people-facing mail rounds share one function). */
export const handler = (event: ScheduledEvent) => (isReviewDigest(event) ? reviews(event) : deadline(event));
