import { timerName, type DeliveryRecord, type TimerPayload } from '@drumbeat/core';

/** The `deliver` timer for a delivery, due at `at`: its own module, so the runner and the fan-out both use it without importing each other. */
export function deliveryTimer(d: Pick<DeliveryRecord, 'workspaceId' | 'id'>, at: Date) {
  const payload: TimerPayload = { kind: 'deliver', workspaceId: d.workspaceId, deliveryId: d.id };
  return { name: timerName(payload), at, payload };
}
