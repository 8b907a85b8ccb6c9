import type { ChannelConfig } from '../schemas/channel.js';
import type { ChannelSession } from './channel-session.js';

/**
 * Listening (issue 18): the contract between the network side (sources that
 * poll Mastodon and Bluesky, channels that publish replies) and the drumbeat
 * side (the inbox, routing, SLA and the ledger). Both sides build on these
 * shapes; neither imports the other.
 */

/** Where an inbound item sits in its thread, in the network's own ids. */
export interface ThreadRef {
  /** Mastodon status id; Bluesky at:// URI. */
  externalId: string;
  /** Bluesky only: the record's CID, needed to reply to it. */
  cid?: string;
  url?: string;
}

/** One mention, reply, quote or question as a source or the ingest API hands it in. */
export interface InboundItem {
  /** The network's id of the item (Mastodon status id, Bluesky at:// URI, or the ingesting tool's id). Dedupe key within an account. */
  externalId: string;
  /** Bluesky only: the item's CID (to reply to it). */
  cid?: string;
  url?: string;
  kind: 'mention' | 'reply' | 'quote' | 'question' | 'direct';
  author: { handle: string; displayName?: string };
  text: string;
  /** When the network says it was written (UTC ISO 8601). */
  receivedAt: string;
  /** What it replies to, when it is a reply (may be one of our own posts). */
  inReplyTo?: ThreadRef;
  /** The first item of the thread, when known (Bluesky's reply root). */
  root?: ThreadRef;
  /** BCP 47 language tag, when the network gives one (routing rules may match on it). */
  language?: string;
}

/** A reply our own account made on the network outside drumbeat, seen by a poll: it marks the item answered. */
export interface OutsideReply {
  /** The item it answers (an InboundItem's externalId). */
  inReplyToExternalId: string;
  externalId: string;
  url?: string;
  at: string;
}

/** What one poll found, and where the next one starts. */
export interface PollResult {
  items: InboundItem[];
  outsideReplies: OutsideReply[];
  /** Opaque: the source's cursor (Mastodon since_id, Bluesky seenAt/cursor). Unchanged when nothing new. */
  cursor?: string;
  /** Set when the network asked us to slow down (429 Retry-After, X-RateLimit-Reset): the next poll waits at least this long. */
  retryAfterMs?: number;
  /** True when this poll read our own recent posts (`outsideReplies` is then complete up to the cursor). */
  ownPostsRead?: boolean;
}

export interface PollRequest {
  channel: ChannelConfig;
  /** The account's handle on the network (to tell our own replies from others'). */
  handle: string;
  /** The cursor the previous poll returned; undefined on the first poll (which then takes only the newest page). */
  cursor?: string;
  session?: ChannelSession;
  /**
   * Whether to read our own recent posts too, to see replies made outside
   * drumbeat (one more request; default true). The listening service asks
   * only when the inbox has items waiting for an answer, and at most every
   * few polls: the own-posts cursor stays in `cursor`, so a look skipped is
   * caught up by the next one.
   */
  ownPosts?: boolean;
}

/**
 * Reads the account's notifications. Throws ChannelError: `retryable` for
 * 5xx, timeouts and 429; not retryable for 401/403 (expired token), which
 * opens `listening_failed`. Never moves the cursor past what it returned.
 */
export interface ConversationSource {
  poll(req: PollRequest): Promise<PollResult>;
}

/** Added to a PublishRequest when the post is an answer: the channel publishes it as a reply in that thread. */
export interface ReplyTarget {
  /** The item answered. */
  parent: ThreadRef;
  /** The thread's first item (Bluesky's reply.root); the parent itself when it starts the thread. */
  root: ThreadRef;
}

/**
 * Where polled items go: the inbox (implemented on the drumbeat side). Both
 * calls are idempotent by external id, so a poll repeated after a crash or a
 * duplicate page changes nothing.
 */
export interface InboxSink {
  /** Adds the items not yet known to the account's inbox; answers how many were new. */
  ingest(workspaceId: string, accountId: string, items: InboundItem[]): Promise<{ created: number }>;
  /** Marks the items these replies answer as answered outside drumbeat; answers how many changed. */
  answeredOutside(workspaceId: string, accountId: string, replies: OutsideReply[]): Promise<{ updated: number }>;
  /** True when the account has an item still waiting for an answer (open, no answer on its way): one a reply outside drumbeat could answer. */
  awaitingAnswer(workspaceId: string, accountId: string): Promise<boolean>;
  /** Indexes the account's items stored before `awaitingAnswer` had an index to read (asked once per listening account; idempotent). */
  indexAwaiting?(workspaceId: string, accountId: string): Promise<void>;
}
