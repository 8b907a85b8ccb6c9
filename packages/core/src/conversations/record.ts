import type { Network } from '../schemas/network.js';
import type { Conversation, ConversationStatus } from '../schemas/conversation.js';
import type { InboundItem, ThreadRef } from '../ports/conversation-source.js';

/** What the store keeps of one inbound item of an account: the item, its status, who answers it and by when. */
export interface ConversationRecord {
  id: string;
  workspaceId: string;
  accountId: string;
  network: Network;
  externalId: string;
  cid?: string;
  url?: string;
  kind: InboundItem['kind'];
  author: { handle: string; displayName?: string };
  text: string;
  receivedAt: string;
  inReplyTo?: ThreadRef;
  root?: ThreadRef;
  language?: string;
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

/** The id of the one post that answers conversation `id` through drumbeat: derived, so a second answer cannot be created. */
export function answerPostIdOf(conversationId: string): string {
  return `pst_${conversationId.slice(conversationId.indexOf('_') + 1)}`;
}

/** True while an item waits for an answer: open, with no answer of drumbeat's on its way (what the deadline and open indexes hold). */
export function awaitsAnswer(c: Pick<ConversationRecord, 'status' | 'answerPostId'>): boolean {
  return c.status === 'open' && !c.answerPostId;
}
