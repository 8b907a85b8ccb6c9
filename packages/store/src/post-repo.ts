import { BatchGetCommand, DeleteCommand, GetCommand, PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import {
  Conflict,
  isAnswer,
  NotFound,
  type Change,
  type Guard,
  type PostRecord,
  type PostRepository,
  type PostStatus,
} from '@drumbeat/core';
import { applyRule, putIfRule, putNew } from './apply-rule.js';
import { fromItem, isConditionFailed, type Db } from './db.js';
import { queryPages } from './query-pages.js';
import { badCursor, compareKeys, decodeCursor, encodeCursor } from './cursor.js';
import {
  POST_PREFIX,
  postGsi1sk,
  postKey,
  postsByAccount,
  refKey,
  refPrefix,
  slotKey,
  slotPrefix,
} from './table/post-keys.js';
import { wsPk } from './table/workspace-keys.js';
import type { Page } from './collection.js';

function item(p: PostRecord) {
  return {
    ...postKey(p.workspaceId, p.id),
    type: 'POST',
    gsi1pk: postsByAccount(p.workspaceId, p.accountId),
    gsi1sk: postGsi1sk(p.scheduledAt, p.id),
    ...p,
  };
}

/**
 * Posts and the slot claims that keep two posts from taking the same slot.
 * A post lives at `POST#<id>` in its workspace partition and on GSI1 under its
 * account, sorted by scheduled time. A claim is `SLOT#<account>#<instant>`,
 * created by conditional put: the first writer wins the slot.
 */
export class PostRepo implements PostRepository {
  constructor(private readonly db: Db) {}

  /** Stores a new post; Conflict when a post with its id exists already. */
  async create(p: PostRecord): Promise<void> {
    if (!(await putNew(this.db, item(p)))) throw new Conflict(`post ${p.id} exists already`);
  }

  /** The post, or undefined. */
  async find(ws: string, id: string): Promise<PostRecord | undefined> {
    const r = await this.db.doc.send(
      new GetCommand({ TableName: this.db.table, Key: postKey(ws, id), ConsistentRead: true }),
    );
    return r.Item ? fromItem<PostRecord>(r.Item) : undefined;
  }

  /** The post, or NotFound. */
  async get(ws: string, id: string): Promise<PostRecord> {
    const p = await this.find(ws, id);
    if (!p) throw new NotFound(`post ${id} not found`);
    return p;
  }

  /**
   * Applies a post lifecycle rule (`@drumbeat/core`'s postRule, reviewRule)
   * with one conditional update, no read: the post after it, or undefined when
   * a guard does not hold. Not for a rule that moves the post (its index key
   * derives from scheduledAt): `commit` that one.
   */
  apply<T extends PostRecord = PostRecord>(
    ws: string,
    id: string,
    rule: { when: readonly Guard[]; change: Change },
  ): Promise<T | undefined> {
    if (rule.change.set?.scheduledAt !== undefined)
      throw new Error('a rule that moves a post is committed, not applied');
    return applyRule<T>(this.db, postKey(ws, id), rule);
  }

  /**
   * Stores a post decided in memory (its index key derived again) if the
   * rule's guards hold of the stored one; Conflict otherwise.
   */
  async commit(next: PostRecord, when: readonly Guard[]): Promise<void> {
    if (!(await putIfRule(this.db, item(next), when)))
      throw new Conflict(`post ${next.id} was changed meanwhile (or is no longer editable); read it again`);
  }

  /** Deletes a post outright: only to undo a creation that could not complete. */
  async purge(ws: string, id: string): Promise<void> {
    await this.db.doc.send(new DeleteCommand({ TableName: this.db.table, Key: postKey(ws, id) }));
  }

  /**
   * Posts of an account scheduled in [from, to), oldest first, optionally of
   * one status. A filtered page is filled (reading on while fewer than `limit`
   * match), so a page is empty only at the end; the cursor names the account,
   * and a cursor of another account's list is a 400.
   */
  async listByAccount(
    ws: string,
    account: string,
    q: {
      from?: string | undefined;
      to?: string | undefined;
      status?: PostStatus | undefined;
      limit: number;
      cursor?: string | undefined;
    },
  ): Promise<Page<PostRecord>> {
    const start = decodeCursor(q.cursor, ['sk', 'gsi1sk'], POST_PREFIX, account);
    const from = q.from ?? '0';
    const to = q.to ? `${q.to}` : '9';
    // DynamoDB refuses (ValidationException) a BETWEEN whose bounds are reversed and a
    // start key outside them: an empty window is an empty page, a cursor of another window a 400.
    if (compareKeys(from, to) > 0) return { items: [], nextCursor: null };
    if (start && (compareKeys(start.gsi1sk!, from) < 0 || compareKeys(start.gsi1sk!, to) > 0)) throw badCursor();
    const items: PostRecord[] = [];
    let exclusive: Record<string, unknown> | undefined = start
      ? { pk: wsPk(ws), sk: start.sk, gsi1pk: postsByAccount(ws, account), gsi1sk: start.gsi1sk }
      : undefined;
    do {
      const r = await this.db.doc.send(
        new QueryCommand({
          TableName: this.db.table,
          IndexName: 'gsi1',
          KeyConditionExpression: 'gsi1pk = :g AND gsi1sk BETWEEN :from AND :to',
          ExpressionAttributeValues: {
            ':g': postsByAccount(ws, account),
            ':from': from,
            ':to': to,
            ...(q.status ? { ':st': q.status } : {}),
          },
          ...(q.status ? { FilterExpression: '#st = :st', ExpressionAttributeNames: { '#st': 'status' } } : {}),
          // A filter drops items after Limit counts them: read wider pages then.
          Limit: q.status ? Math.max(q.limit, 200) : q.limit - items.length,
          ExclusiveStartKey: exclusive,
        }),
      );
      // `to` is exclusive for free: the sort key `<scheduledAt>#<id>` of a post at exactly `to` sorts after `to`.
      for (const i of r.Items ?? []) {
        if (items.length === q.limit) {
          // More matched than fit: the page ends at its last item.
          const last = items.at(-1)!;
          return {
            items,
            nextCursor: encodeCursor(
              { sk: postKey(ws, last.id).sk, gsi1sk: postGsi1sk(last.scheduledAt, last.id) },
              ['sk', 'gsi1sk'],
              account,
            ),
          };
        }
        items.push(fromItem<PostRecord>(i));
      }
      exclusive = r.LastEvaluatedKey;
    } while (exclusive && items.length < q.limit);
    return { items, nextCursor: encodeCursor(exclusive, ['sk', 'gsi1sk'], account) };
  }

  /** Every post of an account in [from, to), following pages. */
  async allInWindow(ws: string, account: string, from: string, to: string): Promise<PostRecord[]> {
    const out: PostRecord[] = [];
    let cursor: string | undefined;
    do {
      const page = await this.listByAccount(ws, account, { from, to, limit: 200, cursor });
      out.push(...page.items);
      cursor = page.nextCursor ?? undefined;
    } while (cursor);
    return out;
  }

  /**
   * The latest post of an account scheduled before `before` with one of
   * `statuses`, if any: the cadence's, so answers (replies through a
   * conversation) are passed over.
   */
  async lastBefore(
    ws: string,
    account: string,
    before: string,
    statuses: readonly PostStatus[],
  ): Promise<PostRecord | undefined> {
    let page = 0;
    for await (const items of queryPages(this.db, {
      TableName: this.db.table,
      IndexName: 'gsi1',
      KeyConditionExpression: 'gsi1pk = :g AND gsi1sk < :b',
      ExpressionAttributeValues: { ':g': postsByAccount(ws, account), ':b': before },
      ScanIndexForward: false,
      Limit: 50,
    })) {
      const hit = items.map((i) => fromItem<PostRecord>(i)).find((p) => statuses.includes(p.status) && !isAnswer(p));
      if (hit) return hit;
      if (++page === 20) return undefined; // at most 20 pages
    }
    return undefined;
  }

  /** Claims a slot for a post; false when another post holds it. */
  claimSlot(ws: string, account: string, at: string, postId: string, now: string): Promise<boolean> {
    return this.claimMarker({ ...slotKey(ws, account, at), type: 'SLOT', postId, claimedAt: now });
  }

  /** Releases a slot held by `postId` (a no-op if another post holds it). */
  releaseSlot(ws: string, account: string, at: string, postId: string): Promise<void> {
    return this.releaseMarker(slotKey(ws, account, at), postId);
  }

  /** The claimed slot instants of an account in [from, to] with the post holding each and when it was claimed. */
  async claimsBetween(
    ws: string,
    account: string,
    from: string,
    to: string,
  ): Promise<Map<string, { postId: string; claimedAt: string }>> {
    const out = new Map<string, { postId: string; claimedAt: string }>();
    for await (const items of queryPages(this.db, {
      TableName: this.db.table,
      KeyConditionExpression: 'pk = :pk AND sk BETWEEN :a AND :b',
      ExpressionAttributeValues: {
        ':pk': wsPk(ws),
        ':a': `${slotPrefix(account)}${from}`,
        ':b': `${slotPrefix(account)}${to}`,
      },
      ConsistentRead: true,
    })) {
      for (const i of items) {
        out.set((i.sk as string).slice(slotPrefix(account).length), {
          postId: i.postId as string,
          claimedAt: i.claimedAt as string,
        });
      }
    }
    return out;
  }

  /** Hands a slot from a claim whose post does not exist (a creation that died halfway) to `postId`. */
  async takeOverSlot(
    ws: string,
    account: string,
    at: string,
    orphanPostId: string,
    postId: string,
    now: string,
  ): Promise<boolean> {
    try {
      await this.db.doc.send(
        new PutCommand({
          TableName: this.db.table,
          Item: { ...slotKey(ws, account, at), type: 'SLOT', postId, claimedAt: now },
          ConditionExpression: 'postId = :orphan',
          ExpressionAttributeValues: { ':orphan': orphanPostId },
        }),
      );
      return true;
    } catch (err) {
      if (isConditionFailed(err)) return false;
      throw err;
    }
  }

  /**
   * Claims an import row id (`ref`) of an account for a post: the first
   * writer wins, so two imports of one file cannot both create its row.
   * False when another post holds it.
   */
  claimRef(ws: string, account: string, ref: string, postId: string): Promise<boolean> {
    return this.claimMarker({ ...refKey(ws, account, ref), type: 'REF', postId });
  }

  /** Releases an import row id held by `postId` (a no-op otherwise). */
  releaseRef(ws: string, account: string, ref: string, postId: string): Promise<void> {
    return this.releaseMarker(refKey(ws, account, ref), postId);
  }

  /** Puts a marker item naming the post that holds it (a slot, an import row id); false when another post holds it. */
  private async claimMarker(
    item: { pk: string; sk: string; postId: string } & Record<string, unknown>,
  ): Promise<boolean> {
    try {
      await this.db.doc.send(
        new PutCommand({
          TableName: this.db.table,
          Item: item,
          ConditionExpression: 'attribute_not_exists(pk) OR postId = :p',
          ExpressionAttributeValues: { ':p': item.postId },
        }),
      );
      return true;
    } catch (err) {
      if (isConditionFailed(err)) return false;
      throw err;
    }
  }

  /** Deletes a marker item if `postId` holds it (a no-op otherwise). */
  private async releaseMarker(key: { pk: string; sk: string }, postId: string): Promise<void> {
    try {
      await this.db.doc.send(
        new DeleteCommand({
          TableName: this.db.table,
          Key: key,
          ConditionExpression: 'postId = :p',
          ExpressionAttributeValues: { ':p': postId },
        }),
      );
    } catch (err) {
      if (!isConditionFailed(err)) throw err;
    }
  }

  /** The posts that hold these import row ids of an account, by row id (BatchGetItem, 100 at a time). */
  async findByRefs(ws: string, account: string, refs: readonly string[]): Promise<Map<string, PostRecord>> {
    const held = new Map<string, string>();
    for (const item of await this.batchGet(refs.map((r) => refKey(ws, account, r))))
      held.set((item.sk as string).slice(refPrefix(account).length), item.postId as string);
    const posts = new Map(
      (await this.batchGet([...new Set(held.values())].map((id) => postKey(ws, id)))).map((i) => [
        i.id as string,
        fromItem<PostRecord>(i),
      ]),
    );
    const out = new Map<string, PostRecord>();
    for (const [ref, id] of held) {
      const p = posts.get(id);
      if (p) out.set(ref, p);
    }
    return out;
  }

  private async batchGet(keys: Record<string, string>[]): Promise<Record<string, unknown>[]> {
    const out: Record<string, unknown>[] = [];
    const unique = [...new Map(keys.map((k) => [k.sk!, k])).values()];
    for (let i = 0; i < unique.length; i += 100) {
      let request: Record<string, unknown>[] = unique.slice(i, i + 100);
      for (let attempt = 0; request.length && attempt < 8; attempt++) {
        const r = await this.db.doc.send(
          new BatchGetCommand({ RequestItems: { [this.db.table]: { Keys: request, ConsistentRead: true } } }),
        );
        out.push(...(r.Responses?.[this.db.table] ?? []));
        request = (r.UnprocessedKeys?.[this.db.table]?.Keys ?? []) as Record<string, unknown>[];
        if (request.length) await new Promise((res) => setTimeout(res, 10 * 2 ** attempt));
      }
    }
    return out;
  }
}
