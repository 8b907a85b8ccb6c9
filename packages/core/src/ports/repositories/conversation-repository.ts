import type { ConversationRecord } from '../../conversations/record.js';
import type { ConversationStatus } from '../../schemas/conversation.js';
import type { PageRequest, RecordPage } from './page.js';

/** An open item past or nearest its deadline, as the deadline index keeps it. */
export interface DueItem {
  conversationId: string;
  dueAt: string;
  receivedAt: string;
  author: string;
  text: string;
}

/** The inbox: conversations, one per network item, and the indexes of those awaiting an answer. */
export interface ConversationRepository {
  /** Stores `c` unless the account already holds its externalId: the conversation that holds it and whether this call created it. */
  createOnce(c: ConversationRecord): Promise<{ id: string; created: boolean }>;
  find(ws: string, id: string): Promise<ConversationRecord | undefined>;
  /** The conversation, or NotFound. */
  get(ws: string, id: string): Promise<ConversationRecord>;
  /** The conversation of an account's item by its network id, or undefined. */
  findByExternalId(ws: string, account: string, externalId: string): Promise<ConversationRecord | undefined>;
  /** Replaces a conversation read at `expectedVersion`; Conflict if it changed since. */
  replace(c: ConversationRecord, expectedVersion: number): Promise<void>;
  /** Keeps the open and deadline indexes in step with `c`. */
  indexWaiting(c: ConversationRecord): Promise<void>;
  /** True when the account has an item awaiting an answer. */
  anyAwaiting(ws: string, account: string): Promise<boolean>;
  /** Removes an item from the deadline index (a no-op when it is not there). */
  dropDue(c: { workspaceId: string; accountId: string; dueAt: string; id: string }): Promise<void>;
  /** The open items whose deadline has passed at `now` (at most `limit`), and the next deadline still ahead. */
  deadlines(
    ws: string,
    account: string,
    now: string,
    limit?: number,
  ): Promise<{ overdue: DueItem[]; next: DueItem | undefined }>;
  /** An account's conversations by received time, oldest first, optionally filtered. */
  listByAccount(
    ws: string,
    account: string,
    q: PageRequest & {
      status?: ConversationStatus | undefined;
      assignee?: string | undefined;
      overdueAt?: string | undefined;
    },
  ): Promise<RecordPage<ConversationRecord>>;
  /** One page of the items an account received in [from, to); pass the returned `next` back until it is absent. */
  receivedBetween(
    ws: string,
    account: string,
    from: string,
    to: string,
    next?: Record<string, unknown>,
  ): Promise<{ items: ConversationRecord[]; next?: Record<string, unknown> }>;
}
