import { durationMs, pendingSince, planSlots, type AccountRecord, type OpenItem, type PendingPost, type PostRecord, type WatchInput, type WatchPolicy } from '@drumbeat/core';
import type { Store } from '@drumbeat/store';
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
export async function readWatchInput(store: Store, account: AccountRecord, policy: WatchPolicy, now: Date): Promise<WatchInput> {
  const ws = account.workspaceId;
  const plan = policy.slots ? planSlots(policy.slots.spec, now, policy.slots.lookaheadMs) : undefined;
  const minPosts = policy.lapse?.minPosts;
  const from = new Date(minPosts ? now.getTime() - durationMs(minPosts.per) - SLACK_MS : now.getTime());
  const to = new Date((plan ? plan.horizon.getTime() : now.getTime()) + 1);
  const posts: PostRecord[] = plan || minPosts ? await store.posts.allInWindow(ws, account.id, from.toISOString(), to.toISOString()) : [];
  const publications = posts.filter((p) => p.status === 'published' && p.publishedAt).map((p) => new Date(p.publishedAt!));
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
      const page = await store.posts.listByAccount(ws, account.id, { from: new Date(now.getTime() - SLACK_MS).toISOString(), status: 'pending_approval', limit: 200, cursor });
      for (const p of page.items) pending.push({ id: p.id, since: pendingSince(p), scheduledAt: new Date(p.scheduledAt) });
      cursor = page.nextCursor ?? undefined;
    } while (cursor);
  }
  const openItems: OpenItem[] = [];
  if (policy.responses) {
    let cursor: string | undefined;
    do {
      const page = await store.conversations.listByAccount(ws, account.id, { status: 'open', limit: 200, cursor });
      for (const c of page.items) {
        // An item whose answer is on its way (or awaiting approval) is not waiting on anyone here.
        if (c.dueAt && !c.answerPostId) openItems.push({ id: c.id, dueAt: new Date(c.dueAt), receivedAt: new Date(c.receivedAt), author: c.author.handle, text: c.text });
      }
      cursor = page.nextCursor ?? undefined;
    } while (cursor);
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
