import type { Role } from './schemas/key.js';
import type { Affiliation } from './schemas/voice.js';
import type { Network } from './schemas/network.js';
import type { ChannelConfig } from './schemas/channel.js';
import { publicChannel } from './schemas/channel.js';
import type { AlertSettings, Approval, Cadence, Disclosure, Account, Listening } from './schemas/account.js';
import type { ResponseSettings } from './schemas/opening-hours.js';
import type { ConversationSettings } from './schemas/conversation.js';
import type { ReplyTarget } from './ports/conversation-source.js';
import type { Voice } from './schemas/voice.js';
import type { ApiKey } from './schemas/key.js';
import type { Workspace } from './schemas/workspace.js';
import type { Media, Post, PostSource, PostStatus } from './schemas/post.js';
import { toLocal } from '@drumbeat/standards/time';

/**
 * What the store keeps for each entity: the public shape plus private fields
 * (hashes, secrets, versions). Instants are ISO strings. `version` guards
 * read-modify-write updates with a conditional write.
 */
export interface WorkspaceRecord {
  id: string;
  name: string;
  slug: string;
  createdAt: string;
}

export interface KeyRecord {
  id: string;
  workspaceId: string;
  name: string;
  role: Role;
  /** A personal key: the voice (person) it belongs to, who is the one deciding when it approves. */
  voiceId?: string;
  /** SHA-256 of the secret part, hex. The secret itself is never stored. */
  secretHash: string;
  createdAt: string;
  revokedAt?: string;
}

export interface VoiceRecord {
  id: string;
  workspaceId: string;
  name: string;
  email?: string;
  affiliation: Affiliation;
  organization?: string;
  signature?: string;
  archivedAt?: string;
  /** Set once the voice has written a post: it can then only be archived, never deleted. */
  hasPosts?: boolean;
  createdAt: string;
  updatedAt: string;
  version: number;
}

export interface AccountRecord {
  id: string;
  workspaceId: string;
  name: string;
  network: Network;
  handle: string;
  timezone: string;
  /** BCP 47, canonical. */
  language?: string;
  channel: ChannelConfig;
  cadence?: Cadence;
  approval?: Approval;
  disclosure?: Disclosure;
  alerts?: AlertSettings;
  /** Issue 18: opt-in polling of the network for mentions. */
  listening?: Listening;
  /** Issue 18: inbox routing rules and whether answers need approval. */
  conversations?: ConversationSettings;
  /** Issue 18: the response SLA of inbound items, in opening hours when set. */
  responses?: ResponseSettings;
  cadenceSetAt?: string;
  archivedAt?: string;
  /** The secret part of the calendar feed URL (a capability link, readable by the workspace). */
  feedSecret?: string;
  createdAt: string;
  updatedAt: string;
  version: number;
}

/** The public view of a workspace. */
export function toWorkspace(r: WorkspaceRecord): Workspace {
  return { id: r.id, name: r.name, slug: r.slug, createdAt: r.createdAt };
}

/** The public view of a key: no hash, no secret. */
export function toApiKey(r: KeyRecord): ApiKey {
  return {
    id: r.id,
    name: r.name,
    role: r.role,
    ...(r.voiceId ? { voiceId: r.voiceId } : {}),
    createdAt: r.createdAt,
    ...(r.revokedAt ? { revokedAt: r.revokedAt } : {}),
  };
}

/** The public view of a voice. */
export function toVoice(r: VoiceRecord): Voice {
  const { workspaceId: _w, version: _v, hasPosts: _h, ...rest } = r;
  return rest;
}

/** The public view of an account: channel secrets and tokens removed. */
export function toAccount(r: AccountRecord): Account & { archivedAt?: string } {
  const { workspaceId: _w, version: _v, channel, feedSecret: _f, ...rest } = r;
  return { ...rest, channel: publicChannel(channel) };
}

/** One approval or rejection: the voice deciding, and the API key that entered it (`onBehalf`: a workspace key, not the person's own). */
export interface DecisionRecord {
  voiceId: string;
  at: string;
  note?: string;
  /** The key that entered the decision (absent on decisions recorded before keys were named). */
  enteredBy?: string;
  /** True when a workspace key entered it for the voice, as the account allows (`approval.onBehalf`). */
  onBehalf?: boolean;
}

export interface PostRecord {
  id: string;
  workspaceId: string;
  accountId: string;
  voiceId: string;
  text: string;
  media: Media[];
  scheduledAt: string;
  /** Set when the post holds a cadence slot (the slot's instant equals scheduledAt). */
  slotAt?: string;
  status: PostStatus;
  approvals: DecisionRecord[];
  rejections?: DecisionRecord[];
  editedBy?: string;
  /** How the post came in (api, csv, app, mcp with its client); absent on posts older than the field. */
  source?: PostSource;
  /** How its text or media was last changed. */
  editSource?: PostSource;
  /** When the text or media last changed (an approval round starts there). */
  editedAt?: string;
  /** The row id a CSV import gave this post (the `id` column); re-importing the row updates the post. */
  importRef?: string;
  publishedAt?: string;
  externalUrl?: string;
  externalId?: string;
  lateness?: number;
  failure?: string;
  /** Publishing bookkeeping: tries so far, the current claim, a pending retry, a manual post awaiting its person. */
  attempts?: number;
  claimedAt?: string;
  claimedBy?: string;
  retryAt?: string;
  lastError?: string;
  awaiting?: 'person';
  remindedAt?: string;
  /**
   * An attempt was sent but its answer was lost (timeout after sending, cut
   * connection): since when the post may be live, and the exact text that went
   * out, which every retry sends again and the ledger records.
   */
  outcomeUnknownSince?: string;
  sentText?: string;
  /** A manual publication: the key that recorded it (and its person, for a personal key). */
  recordedBy?: { keyId: string; voiceId?: string };
  /** A manual publication being recorded: since when, and the instant reported. */
  recordingAt?: string;
  recordingPublishedAt?: string;
  /** An answer (issue 18): the conversation it answers and where it goes in the thread. */
  conversationId?: string;
  replyTo?: ReplyTarget;
  createdAt: string;
  updatedAt: string;
  version: number;
}

/**
 * True for an answer (a reply published through a conversation, ledger kind
 * `reply`): it is not a post of the cadence, so it neither fills a slot nor
 * keeps a cadence from lapsing.
 */
export function isAnswer(p: Pick<PostRecord, 'conversationId'>): boolean {
  return p.conversationId !== undefined;
}

/** The public view of a post, with its time in the account's zone. */
export function toPost(r: PostRecord, timezone: string): Post {
  const {
    workspaceId: _w,
    version: _v,
    slotAt,
    claimedAt: _c,
    claimedBy: _b,
    remindedAt: _r,
    recordingAt: _ra,
    recordingPublishedAt: _rp,
    sentText: _st,
    importRef: _i,
    ...rest
  } = r;
  return { ...rest, scheduledLocal: toLocal(new Date(r.scheduledAt), timezone), slot: slotAt !== undefined };
}
