import type { Change, Guard } from '../../lifecycle/rule.js';
import type { PostRecord } from '../../records.js';
import type { PostStatus } from '../../schemas/post.js';
import type { PageRequest, RecordPage } from './page.js';

/** Posts, and the markers that keep two posts from one slot or one import row. */
export interface PostRepository {
  /** Stores a new post; Conflict when a post with its id exists already. */
  create(p: PostRecord): Promise<void>;
  find(ws: string, id: string): Promise<PostRecord | undefined>;
  /** The post, or NotFound. */
  get(ws: string, id: string): Promise<PostRecord>;
  /**
   * Applies a post lifecycle rule (posts/post-lifecycle.ts, posts/review-lifecycle.ts)
   * with one conditional update, no read: the post after it, or undefined when a
   * guard does not hold. Not for a rule that moves the post: `commit` that one.
   */
  apply<T extends PostRecord = PostRecord>(
    ws: string,
    id: string,
    rule: { when: readonly Guard[]; change: Change },
  ): Promise<T | undefined>;
  /** Stores a post decided in memory if the rule's guards hold of the stored one; Conflict otherwise. */
  commit(next: PostRecord, when: readonly Guard[]): Promise<void>;
  /** Deletes a post outright: only to undo a creation that could not complete. */
  purge(ws: string, id: string): Promise<void>;
  /** Posts of an account scheduled in [from, to), oldest first, optionally of one status. */
  listByAccount(
    ws: string,
    account: string,
    q: PageRequest & { from?: string | undefined; to?: string | undefined; status?: PostStatus | undefined },
  ): Promise<RecordPage<PostRecord>>;
  /** Every post of an account in [from, to). */
  allInWindow(ws: string, account: string, from: string, to: string): Promise<PostRecord[]>;
  /** The latest post of an account scheduled before `before` with one of `statuses`, if any. */
  lastBefore(
    ws: string,
    account: string,
    before: string,
    statuses: readonly PostStatus[],
  ): Promise<PostRecord | undefined>;
  /** Claims a slot for a post; false when another post holds it. */
  claimSlot(ws: string, account: string, at: string, postId: string, now: string): Promise<boolean>;
  /** Releases a slot held by `postId` (a no-op if another post holds it). */
  releaseSlot(ws: string, account: string, at: string, postId: string): Promise<void>;
  /** The claimed slot instants of an account in [from, to] with the post holding each and when it was claimed. */
  claimsBetween(
    ws: string,
    account: string,
    from: string,
    to: string,
  ): Promise<Map<string, { postId: string; claimedAt: string }>>;
  /** Hands a slot from a claim whose post does not exist to `postId`. */
  takeOverSlot(
    ws: string,
    account: string,
    at: string,
    orphanPostId: string,
    postId: string,
    now: string,
  ): Promise<boolean>;
  /** Claims an import row id (`ref`) of an account for a post; false when another post holds it. */
  claimRef(ws: string, account: string, ref: string, postId: string): Promise<boolean>;
  /** Releases an import row id held by `postId` (a no-op otherwise). */
  releaseRef(ws: string, account: string, ref: string, postId: string): Promise<void>;
  /** The posts that hold these import row ids of an account, by row id. */
  findByRefs(ws: string, account: string, refs: readonly string[]): Promise<Map<string, PostRecord>>;
}
