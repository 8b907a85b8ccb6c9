import { createHash } from 'node:crypto';
import {
  ChannelError,
  type Channel,
  type ChannelConfig,
  type PublishRequest,
  type PublishResult,
} from '@drumbeat/core';
import { channelFetch, type ChannelDeps } from './channel-deps.js';
import { sendSignedWebhook } from './signed-webhook.js';

type WebhookConfig = Extract<ChannelConfig, { type: 'webhook' }>;

/** The `webhook-id` of a post's `post.publish`: derived from its idempotency key, the same on every attempt. */
export function publishWebhookId(idempotencyKey: string): string {
  return `msg_${createHash('sha256').update(`post.publish:${idempotencyKey}`).digest('hex').slice(0, 32)}`;
}

/** Reads `{url?, externalId?}` from a receiver's 2xx body; anything else is ignored. */
export function parseReceiverResult(body: string | undefined): PublishResult {
  let json: unknown;
  try {
    json = JSON.parse(body ?? '');
  } catch {
    return {};
  }
  if (!json || typeof json !== 'object') return {};
  const { url, externalId } = json as { url?: unknown; externalId?: unknown };
  const result: PublishResult = {};
  if (typeof url === 'string' && url.length <= 2048 && /^https?:\/\//i.test(url)) result.url = url;
  if ((typeof externalId === 'string' && externalId.length > 0) || typeof externalId === 'number') {
    result.externalId = String(externalId).slice(0, 256);
  }
  return result;
}

/**
 * Publishes by POSTing the `post.publish` event, signed with the channel's
 * secret, to the agency's endpoint. The stable `webhook-id` makes retries after
 * an unknown outcome safe: the receiver drops the duplicate.
 */
export class WebhookChannel implements Channel {
  constructor(
    private readonly config: WebhookConfig,
    private readonly deps: ChannelDeps,
  ) {}

  /** Sends once; a 2xx is a publication, anything else a ChannelError. */
  async publish(req: PublishRequest): Promise<PublishResult> {
    const r = await sendSignedWebhook({
      url: this.config.url,
      secret: this.config.secret,
      msgId: publishWebhookId(req.idempotencyKey),
      event: req.event,
      timeoutMs: this.deps.timeoutMs,
      fetch: channelFetch(this.deps),
    });
    if (!r.ok) throw new ChannelError(`webhook: ${r.error}`, r.retryable, r.outcomeUnknown, r.retryAfterMs);
    return parseReceiverResult(r.body);
  }
}
