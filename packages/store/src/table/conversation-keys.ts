import { createHash } from 'node:crypto';
import { wsPk } from './workspace-keys.js';

/**
 * The inbox. A conversation lives at `CNV#<id>` in its workspace partition and
 * on GSI1 under its account (`WS#<ws>#ACC#<account>#CNV`, sorted by
 * `<receivedAt>#<id>`). Beside it: the marker `CNVX#<account>#<externalId>`
 * that makes a network item one conversation, the deadline index
 * `CNVDUE#<account>#<dueAt>#<id>` and the open index `CNVOPEN#<account>#<id>`.
 *
 * Access patterns:
 * - ingest: conditional Put `CNVX#…` then Put `CNV#<id>` (+ `CNVOPEN#`, `CNVDUE#`) (ConversationRepo.createOnce: conversation-service)
 * - one conversation: Get / Put conditional on version `CNV#<id>` (ConversationRepo: conversation-service, publisher)
 * - any waiting: Query `WS#<ws>`, begins_with `CNVOPEN#<account>#`, Limit 1 (ConversationRepo.anyAwaiting: conversation-service)
 * - due and next due: Query `WS#<ws>`, sk BETWEEN on `CNVDUE#<account>#` (ConversationRepo.deadlines: watchdog watch-input)
 * - an account's inbox page, a window: Query gsi1 `…#ACC#<account>#CNV` (ConversationRepo.listByAccount, .receivedBetween: conversation-service)
 */
export const CONVERSATION_PREFIX = 'CNV#';
export const conversationKey = (ws: string, id: string) => ({ pk: wsPk(ws), sk: `${CONVERSATION_PREFIX}${id}` });
export const conversationsByAccount = (ws: string, account: string) => `${wsPk(ws)}#ACC#${account}#CNV`;
export const conversationGsi1sk = (receivedAt: string, id: string) => `${receivedAt}#${id}`;

/** A network id as a sort-key part: itself, or a hash when long (a sort key holds at most 1,024 bytes). */
function keyPart(externalId: string): string {
  return Buffer.byteLength(externalId, 'utf8') <= 400
    ? externalId
    : `sha256:${createHash('sha256').update(externalId).digest('hex')}`;
}

/** The marker that makes (account, externalId) one item: it names the conversation that holds it. */
export const conversationExternalKey = (ws: string, account: string, externalId: string) => ({
  pk: wsPk(ws),
  sk: `CNVX#${account}#${keyPart(externalId)}`,
});

/** The deadline index: one item per open conversation with a deadline, sorted by it, so the watchdog reads only what is due. */
export const conversationDuePrefix = (account: string) => `CNVDUE#${account}#`;
export const conversationDueKey = (c: { workspaceId: string; accountId: string; dueAt: string; id: string }) => ({
  pk: wsPk(c.workspaceId),
  sk: `${conversationDuePrefix(c.accountId)}${c.dueAt}#${c.id}`,
});

/** The open index: one item per conversation awaiting an answer (with or without a deadline), so "any waiting?" is one read. */
export const conversationOpenPrefix = (account: string) => `CNVOPEN#${account}#`;
export const conversationOpenKey = (c: { workspaceId: string; accountId: string; id: string }) => ({
  pk: wsPk(c.workspaceId),
  sk: `${conversationOpenPrefix(c.accountId)}${c.id}`,
});
