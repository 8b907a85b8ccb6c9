import { DeleteCommand, PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import type { LedgerEntry, LedgerRepository, SignedLedgerEntry, StoredCheckpoint } from '@drumbeat/core';
import { getItem, conditionalWrite, fromItem, isConditionFailed, type Db } from './db.js';
import { queryPages } from './query-pages.js';
import { decodeCursor, encodeCursor } from './cursor.js';
import { LEDGER_PREFIX, ledgerByAccount as byAccount, ledgerSk as seqKey } from './table/ledger-keys.js';
import { wsPk } from './table/workspace-keys.js';
import type { Page } from './collection.js';

// A checkpoint is stored on the item of the entry it signs (the head's seq and hash are the entry's).
export type { SignedLedgerEntry, StoredCheckpoint };

/** The entry of an item, without the checkpoint stored beside it (not part of the entry, nor of its hash). */
function toEntry(item: Record<string, unknown>): LedgerEntry {
  const { checkpoint: _c, ...rest } = fromItem<LedgerEntry & { checkpoint?: StoredCheckpoint }>(item);
  return rest;
}

function toSigned(item: Record<string, unknown>): SignedLedgerEntry {
  const checkpoint = item.checkpoint as StoredCheckpoint | undefined;
  return { entry: toEntry(item), ...(checkpoint ? { checkpoint } : {}) };
}

/**
 * The attribution ledger: one item per entry at `LEDGER#<seq>` in the
 * workspace partition, also on GSI1 under its account. An entry is written
 * once, by a conditional put on its sequence number, so two writers can never
 * both take a number (no forks), and nothing here updates one. The only delete
 * is `withdraw`, for an entry whose write was never acknowledged (see it).
 * An entry that ends a group of appends also carries the signed checkpoint of
 * the ledger at it (`checkpoint`, in the same put: no extra write).
 */
export class LedgerRepo implements LedgerRepository {
  constructor(private readonly db: Db) {}

  /** Writes the entry (with the checkpoint signed at it, if any) at its sequence number; false when that number is taken. */
  async append(ws: string, entry: LedgerEntry, checkpoint?: StoredCheckpoint): Promise<boolean> {
    return conditionalWrite(
      this.db.doc.send(
        new PutCommand({
          TableName: this.db.table,
          Item: {
            pk: wsPk(ws),
            sk: seqKey(entry.seq),
            type: 'LEDGER',
            gsi1pk: byAccount(ws, entry.accountId),
            gsi1sk: seqKey(entry.seq),
            ...entry,
            ...(checkpoint ? { checkpoint } : {}),
          },
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      ),
    );
  }

  /** The newest `n` entries of the workspace, oldest first. */
  async tail(ws: string, n: number): Promise<LedgerEntry[]> {
    const r = await this.db.doc.send(
      new QueryCommand({
        TableName: this.db.table,
        KeyConditionExpression: 'pk = :pk AND begins_with(sk, :p)',
        ExpressionAttributeValues: { ':pk': wsPk(ws), ':p': LEDGER_PREFIX },
        ScanIndexForward: false,
        Limit: n,
        ConsistentRead: true,
      }),
    );
    return (r.Items ?? []).map((i) => toEntry(i)).reverse();
  }

  /**
   * Removes an entry written after a gap by a group of appends that a crash
   * cut short: its write was never acknowledged, no post was recorded
   * published by it, and the chain cannot reach it. Only if it is still that
   * entry (same hash).
   */
  async withdraw(ws: string, entry: LedgerEntry): Promise<void> {
    try {
      await this.db.doc.send(
        new DeleteCommand({
          TableName: this.db.table,
          Key: { pk: wsPk(ws), sk: seqKey(entry.seq) },
          ConditionExpression: '#h = :h',
          ExpressionAttributeNames: { '#h': 'hash' },
          ExpressionAttributeValues: { ':h': entry.hash },
        }),
      );
    } catch (err) {
      if (!isConditionFailed(err)) throw err;
    }
  }

  /** The latest entry of the workspace, if any. */
  async head(ws: string): Promise<LedgerEntry | undefined> {
    return (await this.tail(ws, 1))[0];
  }

  /** The entry at sequence number `seq`, if the store holds it. */
  async entryAt(ws: string, seq: number): Promise<LedgerEntry | undefined> {
    return getItem<LedgerEntry>(this.db, { pk: wsPk(ws), sk: seqKey(seq) });
  }

  /** The entry of `postId` among those published at or after `since`, searching back from the head (recovery only). */
  async findByPost(ws: string, postId: string, since: string): Promise<LedgerEntry | undefined> {
    for await (const page of this.backFromHead(ws, 100)) {
      const items = page.map((i) => toEntry(i));
      const hit = items.find((e) => e.postId === postId);
      if (hit) return hit;
      if (items.some((e) => e.publishedAt < since)) return undefined;
    }
    return undefined;
  }

  /**
   * The entries among those published at or after `since`, by post (the
   * newest of each): the pages findByPost() would search for any post, read
   * once for every post recovered at the same time (recovery only).
   */
  async recentByPost(ws: string, since: string): Promise<Map<string, LedgerEntry>> {
    const byPost = new Map<string, LedgerEntry>();
    for await (const page of this.backFromHead(ws, 100)) {
      const items = page.map((i) => toEntry(i));
      for (const e of items) if (!byPost.has(e.postId)) byPost.set(e.postId, e);
      if (items.some((e) => e.publishedAt < since)) return byPost;
    }
    return byPost;
  }

  /** The account's entries published at or after `since`, newest first. */
  async recentByAccount(ws: string, accountId: string, since: string): Promise<LedgerEntry[]> {
    const out: LedgerEntry[] = [];
    for await (const page of queryPages(this.db, {
      TableName: this.db.table,
      IndexName: 'gsi1',
      KeyConditionExpression: 'gsi1pk = :g',
      ExpressionAttributeValues: { ':g': byAccount(ws, accountId) },
      ScanIndexForward: false,
      Limit: 200,
    })) {
      for (const e of page.map((i) => toEntry(i))) {
        if (e.publishedAt < since) return out;
        out.push(e);
      }
    }
    return out;
  }

  /** A page of the workspace's entries in sequence order, each with the checkpoint signed at it (verification). */
  async signedPage(ws: string, q: { limit: number; cursor?: string | undefined }): Promise<Page<SignedLedgerEntry>> {
    const r = await this.workspacePage(ws, q);
    return { items: r.items.map(toSigned), nextCursor: r.nextCursor };
  }

  /** A page of the workspace partition's raw ledger items, in sequence order. */
  private async workspacePage(
    ws: string,
    q: { limit: number; cursor?: string | undefined },
  ): Promise<Page<Record<string, unknown>>> {
    const start = decodeCursor(q.cursor, ['sk'], LEDGER_PREFIX);
    const r = await this.db.doc.send(
      new QueryCommand({
        TableName: this.db.table,
        KeyConditionExpression: 'pk = :pk AND begins_with(sk, :p)',
        ExpressionAttributeValues: { ':pk': wsPk(ws), ':p': LEDGER_PREFIX },
        Limit: q.limit,
        ConsistentRead: true,
        ExclusiveStartKey: start ? { pk: wsPk(ws), sk: start.sk } : undefined,
      }),
    );
    return { items: r.Items ?? [], nextCursor: encodeCursor(r.LastEvaluatedKey, ['sk']) };
  }

  /** The newest entry carrying a checkpoint, searching back at most `within` entries from the head. */
  async latestSigned(ws: string, within = 500): Promise<SignedLedgerEntry | undefined> {
    if (!(within > 0)) return undefined; // as the loop's `read < within` did before any read
    let read = 0;
    for await (const items of this.backFromHead(ws, 50)) {
      const hit = items.find((i) => i.checkpoint !== undefined);
      if (hit) return toSigned(hit);
      read += items.length;
      if (!(read < within)) return undefined;
    }
    return undefined;
  }

  /** The workspace's entries from the head backwards, `limit` a page (strongly consistent). */
  private backFromHead(ws: string, limit: number) {
    return queryPages(this.db, {
      TableName: this.db.table,
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :p)',
      ExpressionAttributeValues: { ':pk': wsPk(ws), ':p': LEDGER_PREFIX },
      ScanIndexForward: false,
      Limit: limit,
      ConsistentRead: true,
    });
  }

  /** A page of entries in sequence order: the workspace's, or one account's. */
  async list(
    ws: string,
    q: { accountId?: string | undefined; limit: number; cursor?: string | undefined },
  ): Promise<Page<LedgerEntry>> {
    if (q.accountId) {
      const start = decodeCursor(q.cursor, ['sk'], LEDGER_PREFIX, q.accountId);
      const r = await this.db.doc.send(
        new QueryCommand({
          TableName: this.db.table,
          IndexName: 'gsi1',
          KeyConditionExpression: 'gsi1pk = :g',
          ExpressionAttributeValues: { ':g': byAccount(ws, q.accountId) },
          Limit: q.limit,
          ExclusiveStartKey: start
            ? { pk: wsPk(ws), sk: start.sk, gsi1pk: byAccount(ws, q.accountId), gsi1sk: start.sk }
            : undefined,
        }),
      );
      return {
        items: (r.Items ?? []).map((i) => toEntry(i)),
        nextCursor: encodeCursor(r.LastEvaluatedKey, ['sk'], q.accountId),
      };
    }
    const r = await this.workspacePage(ws, q);
    return { items: r.items.map(toEntry), nextCursor: r.nextCursor };
  }
}
