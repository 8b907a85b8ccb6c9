import { wsPk } from './workspace-keys.js';

/**
 * Webhook subscriptions at `WEBHOOK#<id>` (a Collection) and their deliveries
 * at `DELIVERY#<id>` in the workspace partition, each delivery also on GSI1
 * under its subscription (`WS#<ws>#WHK#<webhook>#DELIVERIES`, sorted by id).
 *
 * Access patterns:
 * - one subscription, the list: Get / Query begins_with `WEBHOOK#` (WebhookRepo: webhook-service, delivery-runner)
 * - disable, note / clear exhaustion: Update `WEBHOOK#<id>` (WebhookRepo: delivery-runner)
 * - one delivery: Put / Get / Delete `DELIVERY#<id>` (DeliveryRepo: fan-out, delivery-runner)
 * - a subscription's deliveries: Query gsi1 `…#WHK#<webhook>#DELIVERIES` (DeliveryRepo.listByWebhook: webhook-service)
 */
export const WEBHOOK_PREFIX = 'WEBHOOK';
export const webhookKey = (ws: string, id: string) => ({ pk: wsPk(ws), sk: `${WEBHOOK_PREFIX}#${id}` });
export const DELIVERY_PREFIX = 'DELIVERY#';
export const deliveryKey = (ws: string, id: string) => ({ pk: wsPk(ws), sk: `${DELIVERY_PREFIX}${id}` });
export const deliveriesByWebhook = (ws: string, webhookId: string) => `${wsPk(ws)}#WHK#${webhookId}#DELIVERIES`;
