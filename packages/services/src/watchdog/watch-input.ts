import {
  durationMs,
  isAnswer,
  pendingSince,
  planSlots,
  type AccountRecord,
  type OpenItem,
  type PendingPost,
  type PostRecord,
  type WatchInput,
  type WatchPolicy,
} from '@drumbeat/core';
import type { Repositories } from '@drumbeat/core';
import { LIVE_STATUSES } from '../calendar.js';

/** Publications are looked for this far before their window, by scheduled time: a late or manual one is still counted. */
const SLACK_MS = 86_400_000;

/**
 * Reads what the watchdog's checks need of an account at `now`, and nothing
 * more: the posts from the minPosts window (when set) to the end of the slot
 * plan (when slots are watched), the last publication before them (when
 * maxGap is set), the posts pending approval (when an SLA is set), and the
 * open inbound items with a deadline (when a response SLA is set).
 */
export async function readWatchInput(
  store: Repositories,
  account: AccountRecord,
  policy: WatchPolicy,
  now: Date,
): Promise<WatchInput> {
  const ws = account.workspaceId;
  const plan = policy.slots ? planSlots(policy.slots.spec, now, policy.slots.lookaheadMs) : undefined;
  const minPosts = policy.lapse?.minPosts;
  const from = new Date(minPosts ? now.getTime() - durationMs(minPosts.per) - SLACK_MS : now.getTime());
  const to = new Date((plan ? plan.horizon.getTime() : now.getTime()) + 1);
  // Answers (replies through a conversation) are not the cadence's: they neither fill a slot nor hold off a lapse.
  const posts: PostRecord[] =
    plan || minPosts
      ? (await store.posts.allInWindow(ws, account.id, from.toISOString(), to.toISOString())).filter(
          (p) => !isAnswer(p),
        )
      : [];
  const publications = posts
    .filter((p) => p.status === 'published' && p.publishedAt)
    .map((p) => new Date(p.publishedAt!));
  if (policy.lapse?.maxGap !== undefined && !(minPosts && publications.length > 0)) {
    // Before the window read, or (none read) before now; on a manual channel a person may mark a post published ahead of
    // its time (beyond the window too), so there the look-back starts from the last post planned.
    const before = account.channel.type === 'manual' ? '9' : plan || minPosts ? from.toISOString() : to.toISOString();
    const last = await store.posts.lastBefore(ws, account.id, before, ['published']);
    if (last?.publishedAt && !posts.some((p) => p.id === last.id)) publications.push(new Date(last.publishedAt));
  }
  const pending: PendingPost[] = [];
  if (policy.approval) {
    let cursor: string | undefined;
    do {
      const page = await store.posts.listByAccount(ws, account.id, {
        from: new Date(now.getTime() - SLACK_MS).toISOString(),
        status: 'pending_approval',
        limit: 200,
        cursor,
      });
      for (const p of page.items)
        pending.push({ id: p.id, since: pendingSince(p), scheduledAt: new Date(p.scheduledAt) });
      cursor = page.nextCursor ?? undefined;
    } while (cursor);
  }
  const openItems: OpenItem[] = [];
  if (policy.responses) {
    const due = await store.conversations.deadlines(ws, account.id, now.toISOString());
    for (const d of due.overdue) {
      // The index is cleaned as items close; one left behind by a crash is checked against its item and dropped.
      const c = await store.conversations.find(ws, d.conversationId);
      if (c?.status !== 'open' || c.answerPostId || c.dueAt !== d.dueAt) {
        await store.conversations.dropDue({
          workspaceId: ws,
          accountId: account.id,
          dueAt: d.dueAt,
          id: d.conversationId,
        });
        continue;
      }
      openItems.push({
        id: d.conversationId,
        dueAt: new Date(d.dueAt),
        receivedAt: new Date(d.receivedAt),
        author: d.author,
        text: d.text,
      });
    }
    if (due.next)
      openItems.push({
        id: due.next.conversationId,
        dueAt: new Date(due.next.dueAt),
        receivedAt: new Date(due.next.receivedAt),
        author: due.next.author,
        text: due.next.text,
      });
  }
  return {
    now,
    timezone: account.timezone,
    openItems,
    policy,
    publications,
    ...(plan ? { plan } : {}),
    filled: posts.filter((p) => LIVE_STATUSES.includes(p.status)).map((p) => new Date(p.scheduledAt)),
    pending,
  };
}
