import type { WebhookRecord } from '../schemas/webhook.js';
import type { AlertCondition } from './condition.js';

/** The webhook_failing condition of a subscription whose deliveries keep exhausting their retries (or that was disabled for it). */
export function webhookCondition(webhook: WebhookRecord): AlertCondition {
  const n = webhook.failedDeliveries ?? 0;
  return {
    kind: 'webhook_failing',
    details: {
      summary: webhook.disabledAt
        ? 'a webhook subscription was disabled after failed deliveries'
        : 'a webhook subscription is failing',
      webhookId: webhook.id,
      webhookUrl: webhook.url,
      failedDeliveries: n,
      ...(webhook.disabledAt ? { disabledAt: webhook.disabledAt } : {}),
    },
  };
}
