import type { DeliveryRecord } from '../../schemas/webhook.js';
import type { PageRequest, RecordPage } from './page.js';

/** Deliveries of events to webhook subscriptions. */
export interface DeliveryRepository {
  /** Stores a new delivery. */
  create(d: DeliveryRecord): Promise<void>;
  find(ws: string, id: string): Promise<DeliveryRecord | undefined>;
  /** Replaces a delivery read at `expectedVersion`; Conflict if someone wrote it since. */
  replace(d: DeliveryRecord, expectedVersion: number): Promise<void>;
  /** Deletes a delivery outright: only to undo a fan-out whose timer could not be armed. */
  purge(ws: string, id: string): Promise<void>;
  /** A page of a subscription's deliveries, newest first, leaving out those past retention at `now`. */
  listByWebhook(ws: string, webhookId: string, q: PageRequest & { now: Date }): Promise<RecordPage<DeliveryRecord>>;
}
