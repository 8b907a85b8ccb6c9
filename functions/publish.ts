import { deps } from './deps.js';
import { timerTarget } from './targets.js';

const { publisher } = deps().services;

/** EventBridge Scheduler target of every post's one-time schedule (`post-<postId>`): publishes it, once. */
export const handler = timerTarget('publish', (payload) => publisher.run(payload));
