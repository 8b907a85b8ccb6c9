/** Outbound webhooks: subscriptions, event fan-out and signed delivery with retries. */
export { WebhookService, MAX_WEBHOOKS_PER_WORKSPACE } from './webhook-service.js';
export { DeliveryRunner, DELIVERY_CLAIM_MS, type DeliverPayload } from './delivery-runner.js';
export { deliveryTimer } from './delivery-timer.js';
export { fanOut, deliveryMsgId } from './fan-out.js';
export { nextStep, MAX_RETRY_AFTER_MS, type NextStep } from './retry-plan.js';
export { SubscriptionCache, SUBSCRIPTION_CACHE_MS } from './subscription-cache.js';
