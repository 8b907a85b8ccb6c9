import { deps } from './deps.js';
import { timerTarget } from './targets.js';

const { services, timerQueue, clock } = deps();
const { watchdog } = services;

/** Target of every account's cadence deadline (`watchdog-<accountId>`), relayed like a post's to its queue and consumed from it: evaluates and re-arms it. */
export const handler = timerTarget('watchdog', (payload) => watchdog.run(payload), { queue: timerQueue, clock });
