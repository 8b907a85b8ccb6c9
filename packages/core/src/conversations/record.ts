import type { Network } from '../schemas/network.js';
import type { Conversation, ConversationStatus } from '../schemas/conversation.js';
import type { InboundItem } from '../ports/conversation-source.js';

/** What the store keeps of one inbound item of an account: the item, its status, who answers it and by when. */
export interface ConversationRecord extends InboundItem {
  id: string;
  workspaceId: string;
  accountId: string;
  network: Network;
  status: ConversationStatus;
  dismissReason?: string;
  assigneeId?: string;
  assignNote?: string;
  assignedAt?: string;
  /** The key id that assigned it, or `rule:<index>` for a routing rule. */
  assignedBy?: string;
  /** The answer post (its id derives from this conversation's: one answer through drumbeat, ever). */
  answerPostId?: string;
  answeredBy?: string;
  /** Answers through drumbeat whose publication failed for good (each put the item back to awaiting an answer). */
  answerFailures?: number;
  /** The last answer whose publication failed for good. */
  failedAnswer?: { postId: string; reason: string; at: string };
  outsideAnswer?: { externalId: string; url?: string; at: string };
  answeredAt?: string;
  dueAt?: string;
  createdAt: string;
  updatedAt: string;
  version: number;
}

/** The public view of a conversation. */
export function toConversation(r: ConversationRecord): Conversation {
  const { workspaceId: _w, version: _v, ...rest } = r;
  return rest;
}

/** Answers one item may be sent through drumbeat, failed ones included: a channel failing for good is not retried forever. */
export const MAX_ANSWER_ATTEMPTS = 20;

/**
 * The id of the post of answer `attempt` (from 1) to conversation `id`:
 * derived, so two requests for the same attempt create one post. The first
 * attempt keeps the id answers always had; a new attempt exists only after
 * the previous one failed for good.
 */
export function answerPostIdOf(conversationId: string, attempt = 1): string {
  const base = `pst_${conversationId.slice(conversationId.indexOf('_') + 1)}`;
  return attempt <= 1 ? base : `${base}_${attempt}`;
}

/**
 * The attempt number of the next (or current) answer: one more than the
 * answers that failed for good. Only a failure moves it on, so an answer
 * whose post was stored but not yet linked (a crash in between) is found
 * again under the same id, never sent twice.
 */
export function answerAttemptOf(c: Pick<ConversationRecord, 'answerFailures'>): number {
  return (c.answerFailures ?? 0) + 1;
}

/** True while an item waits for an answer: open, with no answer of drumbeat's on its way (what the deadline and open indexes hold). */
export function awaitsAnswer(c: Pick<ConversationRecord, 'status' | 'answerPostId'>): boolean {
  return c.status === 'open' && !c.answerPostId;
}
