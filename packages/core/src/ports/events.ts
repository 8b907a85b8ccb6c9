/** Every event drumbeat announces to webhook subscribers (DESIGN.md, Events). */
export const EVENT_TYPES = [
  'post.created',
  'post.approved',
  'post.rejected',
  'post.review_requested',
  'post.published',
  'post.failed',
  'post.missed',
  'conversation.received',
  'conversation.assigned',
  'conversation.answered',
  'conversation.overdue',
  'alert.opened',
  'alert.resolved',
  'webhook.exhausted',
] as const;
export type EventType = (typeof EVENT_TYPES)[number];

/** An event as delivered: `{type, timestamp, data}`. */
export interface DomainEvent {
  type: EventType;
  timestamp: string;
  data: Record<string, unknown>;
}

/** Where use-cases announce what happened. The webhook fan-out implements it; emitting never throws for a subscriber's failure. */
export interface EventSink {
  emit(workspaceId: string, event: DomainEvent): Promise<void>;
}

/** An event sink that drops everything: for tests that are not about events. */
export const noEvents: EventSink = { emit: async () => {} };

/**
 * Delays between outbound webhook delivery attempts, as Standard Webhooks
 * recommends: immediately, 5 s, 5 min, 30 min, 2 h, 5 h, 10 h, 10 h.
 */
export const WEBHOOK_RETRY_SCHEDULE_MS: readonly number[] = Object.freeze([
  0,
  5_000,
  5 * 60_000,
  30 * 60_000,
  2 * 3600_000,
  5 * 3600_000,
  10 * 3600_000,
  10 * 3600_000,
]);

/** The outcome of one signed webhook POST. */
export interface WebhookAttempt {
  ok: boolean;
  status?: number;
  retryable: boolean;
  retryAfterMs?: number;
  error?: string;
  durationMs: number;
}

/** Sends one Standard Webhooks signed POST; never throws (failures are in the result). */
export interface WebhookSender {
  send(req: {
    url: string;
    secret: string;
    msgId: string;
    event: DomainEvent | { type: string; timestamp: string; data: unknown };
  }): Promise<WebhookAttempt>;
}
