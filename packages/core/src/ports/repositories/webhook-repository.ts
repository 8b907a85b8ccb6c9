import type { WebhookRecord } from '../../schemas/webhook.js';
import type { PageRequest, RecordPage } from './page.js';

/** Webhook subscriptions of a workspace. */
export interface WebhookRepository {
  /** Stores a new subscription; Conflict if the id exists. */
  create(ws: string, record: WebhookRecord): Promise<void>;
  find(ws: string, id: string): Promise<WebhookRecord | undefined>;
  /** The subscription, or NotFound. */
  get(ws: string, id: string): Promise<WebhookRecord>;
  list(ws: string, page: PageRequest): Promise<RecordPage<WebhookRecord>>;
  /** Every subscription of a workspace. */
  all(ws: string): Promise<WebhookRecord[]>;
  /** Replaces a subscription read at `expectedVersion`; Conflict if someone wrote it since. */
  replace(ws: string, record: WebhookRecord, expectedVersion: number): Promise<void>;
  /** Deletes a subscription; NotFound when absent. */
  remove(ws: string, id: string): Promise<void>;
  /** Counts one more delivery in a row that exhausted its retries; the new count, or undefined when the subscription is gone. */
  noteExhausted(ws: string, id: string): Promise<number | undefined>;
  /** Clears the count of exhausted deliveries after a delivered one. */
  clearExhausted(ws: string, id: string): Promise<void>;
  /** Marks a subscription disabled with a reason; a no-op when it is already disabled or gone. */
  disable(ws: string, id: string, at: string, reason: string): Promise<void>;
}
