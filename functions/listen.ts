import { deps } from './deps.js';
import { timerTarget } from './targets.js';

const { listening } = deps().services;

/** EventBridge Scheduler target of every listening account's poll (`listen-<accountId>`, issue 18): polls once and re-arms. */
export const handler = timerTarget('listen', (payload) => listening.run(payload));
