import { newId, webhookWants, type DeliveryRecord, type DomainEvent, type WebhookRecord } from '@drumbeat/core';
import type { ServiceDeps } from '../deps.js';
import { deliveryTimer } from './delivery-timer.js';

/** The `webhook-id` of a delivery: derived from its id, so it is the same on every attempt. */
export function deliveryMsgId(deliveryId: string): string {
  return `msg_${deliveryId.slice(deliveryId.indexOf('_') + 1)}`;
}

/**
 * Queues `event` for every enabled subscription that listens to its type: one
 * delivery each, stored first, then its `deliver` timer armed for now (a timer
 * without its delivery would fire into nothing). Sending happens on the timer,
 * so a slow, failing or gone receiver never reaches the caller. If queueing
 * fails for some subscriptions (store or scheduler down), the others are still
 * queued, the half-made ones are undone, and the error is thrown.
 */
export async function fanOut(
  deps: ServiceDeps,
  subscriptions: readonly WebhookRecord[],
  ws: string,
  event: DomainEvent,
): Promise<void> {
  const targets = subscriptions.filter((s) => !s.disabledAt && webhookWants(s.events, event.type));
  if (targets.length === 0) return;
  const now = deps.clock.now();
  const body: DomainEvent = { type: event.type, timestamp: event.timestamp, data: event.data };
  const results = await Promise.allSettled(
    targets.map(async (s) => {
      const id = newId('delivery', now.getTime());
      const d: DeliveryRecord = {
        id,
        workspaceId: ws,
        webhookId: s.id,
        eventType: event.type,
        event: body,
        msgId: deliveryMsgId(id),
        status: 'pending',
        attempts: [],
        nextAttemptAt: now.toISOString(),
        createdAt: now.toISOString(),
        updatedAt: now.toISOString(),
        version: 1,
      };
      await deps.store.deliveries.create(d);
      try {
        await deps.scheduler.schedule(deliveryTimer(d, now));
      } catch (err) {
        await deps.store.deliveries.purge(ws, id).catch(() => undefined);
        throw err;
      }
    }),
  );
  const errors = results.flatMap((r) => (r.status === 'rejected' ? [r.reason as unknown] : []));
  if (errors.length > 0)
    throw new AggregateError(
      errors,
      `could not queue ${errors.length} of ${targets.length} webhook deliveries of ${event.type}`,
    );
}
