import * as z from 'zod/mini';
import { EVENT_TYPES, type DomainEvent, type EventType } from '../ports/events.js';
import { InstantOut, noControlChars, Url } from './common.js';
import { withMeta } from './with-meta.js';

/** What a subscription listens to: one event type, or `*` for every event. */
export const WebhookEventFilter = withMeta(z.enum(['*', ...EVENT_TYPES] as const), {
  id: 'WebhookEventFilter',
  description: 'An event type, or * for every event',
  example: 'post.published',
});
export type WebhookEventFilter = z.infer<typeof WebhookEventFilter>;

export const WebhookCreate = withMeta(
  z.strictObject({
    url: withMeta(Url, {
      description: 'Receives each event as a POST signed per Standard Webhooks',
      example: 'https://tools.agency.example/hooks/drumbeat',
    }),
    events: withMeta(
      z.pipe(
        z.array(WebhookEventFilter).check(z.minLength(1), z.maxLength(EVENT_TYPES.length + 1)),
        z.transform((events: WebhookEventFilter[]) => [...new Set(events)]),
      ),
      {
        description: 'Event types to receive (duplicates are dropped); * receives all',
        example: ['post.published', 'alert.opened'],
      },
    ),
    description: withMeta(z.optional(z.string().check(z.trim(), z.maxLength(500), noControlChars)), {
      example: 'Agency dashboard',
    }),
  }),
  {
    id: 'WebhookCreate',
    description: 'An outbound webhook subscription',
    example: { url: 'https://tools.agency.example/hooks/drumbeat', events: ['*'] },
  },
);
export type WebhookCreate = z.infer<typeof WebhookCreate>;

export const Webhook = withMeta(
  z.object({
    id: withMeta(z.string(), { example: 'whk_01jd8x3k2m9q4r7s0t1v2w3x4y' }),
    url: z.string(),
    events: z.array(WebhookEventFilter),
    description: z.optional(z.string()),
    createdAt: InstantOut,
    disabledAt: withMeta(z.optional(InstantOut), {
      description:
        'Set when the receiver answered 410 Gone, or after too many deliveries in a row exhausted their retries; nothing is delivered any more',
    }),
    failedDeliveries: withMeta(z.optional(z.number().check(z.int())), {
      description: 'Deliveries in a row whose every retry failed (reset by a delivered one)',
    }),
    disabledReason: withMeta(z.optional(z.string()), { example: 'the receiver answered 410 Gone' }),
  }),
  {
    id: 'Webhook',
    description: 'An outbound webhook subscription (its signing secret is never read back)',
    example: {
      id: 'whk_01jd8x3k2m9q4r7s0t1v2w3x4y',
      url: 'https://tools.agency.example/hooks/drumbeat',
      events: ['post.published', 'alert.opened'],
      createdAt: '2026-11-23T10:00:00.000Z',
    },
  },
);
export type Webhook = z.infer<typeof Webhook>;

export const WebhookCreated = withMeta(
  z.extend(Webhook, {
    secret: withMeta(z.string(), {
      description: 'The whsec_ signing secret, shown once',
      example: 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw',
    }),
  }),
  {
    id: 'WebhookCreated',
    description: 'A new subscription with its signing secret, shown once',
    example: {
      id: 'whk_01jd8x3k2m9q4r7s0t1v2w3x4y',
      url: 'https://tools.agency.example/hooks/drumbeat',
      events: ['*'],
      createdAt: '2026-11-23T10:00:00.000Z',
      secret: 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw',
    },
  },
);
export type WebhookCreated = z.infer<typeof WebhookCreated>;

export const DELIVERY_STATUSES = ['pending', 'delivered', 'failed'] as const;
export const DeliveryStatus = withMeta(z.enum(DELIVERY_STATUSES), {
  description: 'pending (attempts remain) → delivered | failed',
});
export type DeliveryStatus = z.infer<typeof DeliveryStatus>;

export const DeliveryAttempt = withMeta(
  z.object({
    at: InstantOut,
    status: withMeta(z.optional(z.number().check(z.int())), {
      description: 'The HTTP status the receiver answered, if it answered',
    }),
    error: withMeta(z.optional(z.string()), { example: 'HTTP 503: maintenance' }),
    durationMs: withMeta(z.number(), { example: 84 }),
  }),
  {
    id: 'DeliveryAttempt',
    description: 'One attempt to deliver an event',
    example: { at: '2026-11-23T10:00:00.000Z', status: 503, error: 'HTTP 503: maintenance', durationMs: 84 },
  },
);
export type DeliveryAttempt = z.infer<typeof DeliveryAttempt>;

export const Delivery = withMeta(
  z.object({
    id: withMeta(z.string(), { example: 'dlv_01jd8x3k2m9q4r7s0t1v2w3x4y' }),
    webhookId: z.string(),
    eventType: withMeta(z.string(), { example: 'post.published' }),
    msgId: withMeta(z.string(), {
      description: 'The webhook-id header: the same on every attempt, so receivers can drop duplicates',
    }),
    status: DeliveryStatus,
    attempts: z.array(DeliveryAttempt),
    nextAttemptAt: withMeta(z.optional(InstantOut), { description: 'When the next attempt is due, while pending' }),
    failure: withMeta(z.optional(z.string()), { description: 'Why the delivery gave up, when failed' }),
    createdAt: InstantOut,
  }),
  {
    id: 'Delivery',
    description: 'One event sent to one subscription, with every attempt',
    example: {
      id: 'dlv_01jd8x3k2m9q4r7s0t1v2w3x4y',
      webhookId: 'whk_01jd8x3k2m9q4r7s0t1v2w3x4y',
      eventType: 'post.published',
      msgId: 'msg_pst_01jd8x3k2m9q4r7s0t1v2w3x4y_published',
      status: 'pending',
      attempts: [{ at: '2026-11-23T10:00:00.000Z', status: 503, error: 'HTTP 503: maintenance', durationMs: 84 }],
      nextAttemptAt: '2026-11-23T10:00:05.000Z',
      createdAt: '2026-11-23T10:00:00.000Z',
    },
  },
);
export type Delivery = z.infer<typeof Delivery>;

/** A subscription as stored: the public shape plus its signing secret and version. */
export interface WebhookRecord {
  id: string;
  workspaceId: string;
  url: string;
  events: WebhookEventFilter[];
  description?: string;
  /** `whsec_` signing secret; returned once at creation, never read back. */
  secret: string;
  disabledAt?: string;
  disabledReason?: string;
  /** Deliveries in a row that exhausted their retries; absent after a delivered one. */
  failedDeliveries?: number;
  createdAt: string;
  version: number;
}

/** A delivery as stored: the event it carries, its attempts and the claim of the attempt in progress. */
export interface DeliveryRecord {
  id: string;
  workspaceId: string;
  webhookId: string;
  eventType: EventType;
  /** The body sent on every attempt. */
  event: DomainEvent;
  msgId: string;
  status: DeliveryStatus;
  attempts: DeliveryAttempt[];
  nextAttemptAt?: string;
  /** Set while an attempt is being sent: another firing of the timer leaves it alone until then. */
  claimedUntil?: string;
  failure?: string;
  createdAt: string;
  updatedAt: string;
  version: number;
}

/** Whether a subscription listening to `events` receives an event of `type`. */
export function webhookWants(events: readonly WebhookEventFilter[], type: EventType): boolean {
  return events.includes('*') || events.includes(type);
}

/** The public view of a subscription: no secret. */
export function toWebhook(r: WebhookRecord): Webhook {
  return {
    id: r.id,
    url: r.url,
    events: r.events,
    ...(r.description !== undefined ? { description: r.description } : {}),
    createdAt: r.createdAt,
    ...(r.disabledAt !== undefined ? { disabledAt: r.disabledAt } : {}),
    ...(r.disabledReason !== undefined ? { disabledReason: r.disabledReason } : {}),
    ...(r.failedDeliveries ? { failedDeliveries: r.failedDeliveries } : {}),
  };
}

/** The public view of a delivery: no event body, no claim. */
export function toDelivery(r: DeliveryRecord): Delivery {
  return {
    id: r.id,
    webhookId: r.webhookId,
    eventType: r.eventType,
    msgId: r.msgId,
    status: r.status,
    attempts: r.attempts,
    ...(r.nextAttemptAt !== undefined ? { nextAttemptAt: r.nextAttemptAt } : {}),
    ...(r.failure !== undefined ? { failure: r.failure } : {}),
    createdAt: r.createdAt,
  };
}
