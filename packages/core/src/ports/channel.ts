import type { ChannelConfig } from '../schemas/channel.js';
import type { ReplyTarget } from './conversation-source.js';
import type { ChannelSession } from './channel-session.js';

export type { ChannelSession } from './channel-session.js';

/** What a channel is asked to publish: the final text (signature applied) and context for receivers. */
export interface PublishRequest {
  workspaceId: string;
  postId: string;
  /** Stable per post: receivers and networks use it to drop duplicates. */
  idempotencyKey: string;
  text: string;
  media: { url: string; alt?: string }[];
  scheduledAt: string;
  channel: ChannelConfig;
  /** The account's language (BCP 47), when it sets one: networks that tag posts with it get it. */
  language?: string;
  /** The account's kept session, for channels that log in. */
  session?: ChannelSession;
  /** Set when this is an answer to an inbound item (issue 18): publish it as a reply in that thread. */
  replyTo?: ReplyTarget;
  /** The event body for webhook receivers: `post.publish` data (post, account, voice). */
  event: { type: 'post.publish'; timestamp: string; data: Record<string, unknown> };
}

/** A publication the network accepted. */
export interface PublishResult {
  externalId?: string;
  url?: string;
  /**
   * The text the network already holds under this post's key, when it differs
   * from the text sent (an earlier attempt went out and its answer was lost):
   * that text is what was published, and what the ledger records.
   */
  liveText?: string;
}

/**
 * Why a channel call did not succeed. `retryable` errors may be retried;
 * `outcomeUnknown` means the request may have gone through (a timeout after
 * sending), so it may only be retried with the same idempotency key.
 */
export class ChannelError extends Error {
  constructor(
    message: string,
    readonly retryable: boolean,
    readonly outcomeUnknown = false,
    readonly retryAfterMs?: number,
  ) {
    super(message);
    this.name = 'ChannelError';
  }
}

/** A place posts go. Throws ChannelError on failure. */
export interface Channel {
  publish(req: PublishRequest): Promise<PublishResult>;
}
