import { toLocal, type Account, type Conversation } from '@drumbeat/core';
import type { Principal, Services } from '@drumbeat/services';

/** The most open items the page reads (a page of the API holds 200): beyond it the page says so. */
const MAX_ITEMS = 1000;

/** One open item as the inbox page shows it: its times in the account's zone, its assignee by name. */
export interface InboxRow {
  item: Conversation;
  receivedLocal: string;
  dueLocal?: string;
  overdue: boolean;
  assignee?: string;
}

export interface InboxModel {
  account: Account;
  rows: InboxRow[];
  /** More open items than the page reads. */
  truncated: boolean;
}

/** Overdue first (the longest overdue on top), then by deadline, items without one last, each tie by arrival. */
export function inboxOrder(a: InboxRow, b: InboxRow): number {
  if (a.overdue !== b.overdue) return a.overdue ? -1 : 1;
  const da = a.item.dueAt ?? '\uffff';
  const db = b.item.dueAt ?? '\uffff';
  return da < db ? -1 : da > db ? 1 : a.item.receivedAt.localeCompare(b.item.receivedAt);
}

/** The open items of an account, read through the inbox service a page at a time. */
export async function loadInbox(services: Services, principal: Principal, accountId: string): Promise<InboxModel> {
  const ws = principal.workspaceId;
  const account = await services.accounts.get(ws, accountId);
  const now = services.deps.clock.now().toISOString();
  const items: Conversation[] = [];
  let cursor: string | undefined;
  do {
    const page = await services.conversations.list(ws, accountId, { status: 'open', limit: 200, cursor });
    items.push(...page.items);
    cursor = page.nextCursor ?? undefined;
  } while (cursor && items.length < MAX_ITEMS);
  const names = new Map<string, string>();
  for (const id of new Set(items.flatMap((i) => (i.assigneeId ? [i.assigneeId] : [])))) {
    const v = await services.voices.get(ws, id).catch(() => undefined);
    if (v) names.set(id, v.name);
  }
  const rows = items.slice(0, MAX_ITEMS).map(
    (item): InboxRow => ({
      item,
      receivedLocal: toLocal(new Date(item.receivedAt), account.timezone),
      ...(item.dueAt ? { dueLocal: toLocal(new Date(item.dueAt), account.timezone) } : {}),
      overdue: item.dueAt !== undefined && item.dueAt < now,
      ...(item.assigneeId ? { assignee: names.get(item.assigneeId) ?? item.assigneeId } : {}),
    }),
  );
  return { account, rows: rows.sort(inboxOrder), truncated: items.length > MAX_ITEMS || cursor !== undefined };
}
