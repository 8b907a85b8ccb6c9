import { deps } from './deps.js';
import { timerTarget } from './targets.js';

const { services, timerQueue, clock } = deps();
const { publisher } = services;

/**
 * Target of every post's one-time schedule (`post-<postId>`), which fires a
 * lead early and is relayed to the publish queue, and consumer of that queue
 * (delayed to the post's instant): publishes the post, once.
 */
export const handler = timerTarget('publish', (payload) => publisher.run(payload), { queue: timerQueue, clock });
