import { deps } from './deps.js';
import { timerTarget } from './targets.js';

const { watchdog } = deps().services;

/** EventBridge Scheduler target of every account's cadence deadline (`watchdog-<accountId>`): evaluates and re-arms it. */
export const handler = timerTarget('watchdog', (payload) => watchdog.run(payload));
