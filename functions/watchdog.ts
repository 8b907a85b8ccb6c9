import { deps } from './deps.js';
import { timerTarget } from './targets.js';
import { watchdogUseCase } from './use-cases.js';

const watchdog = watchdogUseCase(deps().services);

/** EventBridge Scheduler target of every account's cadence deadline (`watchdog-<accountId>`). */
export const handler = timerTarget('watchdog', (payload) => watchdog.run(payload));
