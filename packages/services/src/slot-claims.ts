import {
  Conflict,
  invalidField,
  slotsAfter,
  slotsBetween,
  type AccountRecord,
  type Repositories,
} from '@drumbeat/core';

const HORIZON_MS = 366 * 86_400_000;
const BATCH = 64;
/** A claim older than this whose post does not exist was left by a creation that died; its slot may be taken over. */
const ORPHAN_AFTER_MS = 5 * 60_000;

/** The account's cadence as the engine reads it. */
export function cadenceSpec(account: AccountRecord) {
  return { slots: account.cadence?.slots ?? [], timezone: account.timezone };
}

/** True when `at` is one of the account's slots. */
export function isSlot(account: AccountRecord, at: Date): boolean {
  if (!account.cadence?.slots.length) return false;
  return slotsBetween(cadenceSpec(account), at, new Date(at.getTime() + 1)).length > 0;
}

/**
 * Claims the earliest free slots after `now` for several posts at once, in
 * order (a bulk import's "next" rows): one walk over the cadence, one read of
 * the claims per 64 slots, the free ones claimed by concurrent conditional
 * puts. A slot lost to a concurrent writer is skipped, so under a race the
 * posts may not take the slots in exactly their order.
 */
export const NO_FREE_SLOT = 'every slot of the next 366 days is taken; give an explicit "at"';

export async function claimNextSlots(
  store: Repositories,
  account: AccountRecord,
  postIds: readonly string[],
  now: Date,
): Promise<Map<string, Date>> {
  if (!account.cadence?.slots.length)
    throw invalidField('slot', 'the account has no cadence slots; give an explicit "at"', 422);
  const ws = account.workspaceId;
  const horizon = new Date(now.getTime() + HORIZON_MS);
  const out = new Map<string, Date>();
  let waiting = [...postIds];
  let after = now;
  while (waiting.length) {
    const candidates = slotsAfter(cadenceSpec(account), after, BATCH, horizon);
    if (candidates.length === 0) break; // the posts left without a slot are the caller's to refuse
    const claims = await store.posts.claimsBetween(
      ws,
      account.id,
      candidates[0]!.toISOString(),
      candidates.at(-1)!.toISOString(),
    );
    const free = candidates.filter((s) => !claims.has(s.toISOString())).slice(0, waiting.length);
    const won = await Promise.all(
      free.map((s, i) => store.posts.claimSlot(ws, account.id, s.toISOString(), waiting[i]!, now.toISOString())),
    );
    for (const [i, s] of free.entries()) if (won[i]) out.set(waiting[i]!, s);
    waiting = waiting.filter((id) => !out.has(id));
    after = candidates.at(-1)!;
  }
  return out;
}

/**
 * Claims the earliest slot after `now` that no post holds, for `postId`. Each
 * claim is a conditional put, so concurrent requests never take the same slot:
 * a loser moves on to the next free one.
 */
export async function claimNextSlot(
  store: Repositories,
  account: AccountRecord,
  postId: string,
  now: Date,
): Promise<Date> {
  if (!account.cadence?.slots.length)
    throw invalidField('slot', 'the account has no cadence slots; give an explicit "at"', 422);
  const ws = account.workspaceId;
  const horizon = new Date(now.getTime() + HORIZON_MS);
  let after = now;
  for (;;) {
    const candidates = slotsAfter(cadenceSpec(account), after, BATCH, horizon);
    if (candidates.length === 0)
      throw new Conflict('every slot of the next 366 days is taken; give an explicit "at"', [
        { path: 'slot', message: 'no free slot' },
      ]);
    const claims = await store.posts.claimsBetween(
      ws,
      account.id,
      candidates[0]!.toISOString(),
      candidates.at(-1)!.toISOString(),
    );
    for (const slot of candidates) {
      const iso = slot.toISOString();
      const held = claims.get(iso);
      if (!held) {
        if (await store.posts.claimSlot(ws, account.id, iso, postId, now.toISOString())) return slot;
      } else if (
        now.getTime() - Date.parse(held.claimedAt) > ORPHAN_AFTER_MS &&
        !(await store.posts.find(ws, held.postId))
      ) {
        if (await store.posts.takeOverSlot(ws, account.id, iso, held.postId, postId, now.toISOString())) return slot;
      }
    }
    after = candidates.at(-1)!;
  }
}
