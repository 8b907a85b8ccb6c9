import { Invalid, type AccountRecord } from '@drumbeat/core';
import type { Repositories } from '@drumbeat/core';
import { claimNextSlot, isSlot } from './slot-claims.js';
import { MAX_AHEAD_MS } from './import-rows.js';

function checkAt(at: Date, now: Date): void {
  if (at.getTime() <= now.getTime())
    throw new Invalid(
      'at: must be in the future',
      [{ path: 'at', message: `must be after ${now.toISOString()}` }],
      422,
    );
  if (at.getTime() - now.getTime() > MAX_AHEAD_MS)
    throw new Invalid('at: too far ahead', [{ path: 'at', message: 'at most 5 years ahead' }], 422);
}

/** Claims the time of a post: the next free slot, or an explicit instant (holding its slot if it is one and free). */
export async function placePost(
  store: Repositories,
  account: AccountRecord,
  postId: string,
  when: { at?: string | undefined; slot?: 'next' | undefined },
  now: Date,
): Promise<{ scheduledAt: string; slotAt?: string }> {
  if (when.slot === 'next') {
    const at = await claimNextSlot(store, account, postId, now);
    return { scheduledAt: at.toISOString(), slotAt: at.toISOString() };
  }
  const at = new Date(when.at!);
  checkAt(at, now);
  const iso = at.toISOString();
  const holds =
    isSlot(account, at) &&
    (await store.posts.claimSlot(account.workspaceId, account.id, iso, postId, now.toISOString()));
  return { scheduledAt: iso, ...(holds ? { slotAt: iso } : {}) };
}
