import { deps } from './deps.js';
import { timerTarget } from './targets.js';

const { webhooks } = deps().services;

/** EventBridge Scheduler target of every webhook delivery attempt (`deliver-<deliveryId>`): one signed attempt. */
export const handler = timerTarget('deliver', (payload) => webhooks.deliver(payload));
