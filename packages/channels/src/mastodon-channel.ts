import type { Channel, ChannelConfig, PublishRequest, PublishResult } from '@drumbeat/core';
import { channelFetch, type ChannelDeps } from './channel-deps.js';
import { channelError, failureForResponse, failureForThrown } from './http-outcome.js';
import { refuseMedia } from './media-support.js';

type MastodonConfig = Extract<ChannelConfig, { type: 'mastodon' }>;

/**
 * Publishes a public status on a Mastodon instance (`POST /api/v1/statuses`).
 * The post's idempotency key goes in `Idempotency-Key`, which Mastodon honours
 * for an hour, so a retry after an unknown outcome does not post twice.
 * An answer (`replyTo`) is posted with `in_reply_to_id`, in its thread.
 * Media is refused (see channelSupportsMedia).
 */
export class MastodonChannel implements Channel {
  constructor(
    private readonly config: MastodonConfig,
    private readonly deps: ChannelDeps,
  ) {}

  /** Posts the status; its id and URL are the result. */
  async publish(req: PublishRequest): Promise<PublishResult> {
    refuseMedia('mastodon', req.media);
    const endpoint = `${this.config.instanceUrl.replace(/\/+$/, '')}/api/v1/statuses`;
    const fetch = channelFetch(this.deps);
    let status: number;
    let headers: Headers;
    let text: string;
    try {
      const res = await fetch(endpoint, {
        method: 'POST',
        headers: {
          authorization: `Bearer ${this.config.accessToken}`,
          'idempotency-key': req.idempotencyKey,
          'content-type': 'application/json',
          accept: 'application/json',
        },
        // Mastodon takes an ISO 639 code: the primary subtag of the account's BCP 47 language.
        body: JSON.stringify({
          status: req.text,
          visibility: 'public',
          ...(req.language ? { language: req.language.split('-')[0] } : {}),
          // An answer (issue 18) goes into the thread of the status it answers.
          ...(req.replyTo ? { in_reply_to_id: req.replyTo.parent.externalId } : {}),
        }),
        timeoutMs: this.deps.timeoutMs,
        signal: AbortSignal.timeout(this.deps.timeoutMs),
      });
      ({ status, headers } = res);
      text = await res.text();
    } catch (err) {
      throw channelError('mastodon', failureForThrown(err));
    }
    const failure = failureForResponse(status, headers, text);
    if (failure) throw channelError('mastodon', failure);
    let json: { id?: unknown; url?: unknown; uri?: unknown };
    try {
      json = JSON.parse(text) as typeof json;
    } catch {
      // Accepted (2xx) but unreadable: the status exists, we just cannot link it.
      return {};
    }
    if (!json || typeof json !== 'object') return {};
    const url = typeof json.url === 'string' ? json.url : typeof json.uri === 'string' ? json.uri : undefined;
    return {
      ...(typeof json.id === 'string' || typeof json.id === 'number' ? { externalId: String(json.id) } : {}),
      ...(url ? { url } : {}),
    };
  }
}
