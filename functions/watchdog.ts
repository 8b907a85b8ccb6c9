import { deps } from './deps.js';
import { timerTarget } from './targets.js';

const { services, timerQueue, clock } = deps();
const { watchdog } = services;

/** Target of every account's cadence deadline (`watchdog-<accountId>`), relayed like a post's to its queue and consumed from it: evaluates and re-arms it. */
/** How long a run waits for its chat alert posts (their retries take up to 36 s; the function may run 60 s). */
const CHAT_WAIT_MS = 45_000;

export const handler = timerTarget(
  'watchdog',
  async (payload) => {
    const outcome = await watchdog.run(payload);
    // Chat posts run beside the email, not awaited; a frozen container would hold them until its next thaw.
    await watchdog.chatSettled(CHAT_WAIT_MS);
    return outcome;
  },
  { queue: timerQueue, clock },
);
