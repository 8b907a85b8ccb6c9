import { DeleteCommand, GetCommand, PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import {
  awaitsAnswer,
  Conflict,
  NotFound,
  type ConversationRecord,
  type ConversationRepository,
  type ConversationStatus,
  type DueItem,
} from '@drumbeat/core';
import { fromItem, isConditionFailed, type Db } from './db.js';
import { putIfRule } from './apply-rule.js';
import { decodeCursor, encodeCursor } from './cursor.js';
import {
  CONVERSATION_PREFIX,
  conversationDueKey as dueKey,
  conversationDuePrefix as duePrefix,
  conversationExternalKey as extKey,
  conversationGsi1sk,
  conversationKey as cnvKey,
  conversationOpenKey as openKey,
  conversationOpenPrefix as openPrefix,
  conversationsByAccount as byAccount,
} from './table/conversation-keys.js';
import { wsPk } from './table/workspace-keys.js';
import type { Page } from './collection.js';

export type { DueItem };

function item(c: ConversationRecord) {
  return {
    ...cnvKey(c.workspaceId, c.id),
    type: 'CNV',
    gsi1pk: byAccount(c.workspaceId, c.accountId),
    gsi1sk: conversationGsi1sk(c.receivedAt, c.id),
    ...c,
  };
}

/**
 * The inbox. A conversation lives at `CNV#<id>` in its workspace partition
 * and on GSI1 under its account, sorted by received time. The marker
 * `CNVX#<account>#<externalId>` is created by conditional put before the
 * conversation, so an item seen twice (a repeated poll, a retried ingest, two
 * at once) is one item; a marker whose conversation is missing (a crash
 * between the two writes) is completed by the next ingest of the item.
 * `CNVDUE#<account>#<dueAt>#<id>` indexes the items awaiting an answer by
 * deadline, `CNVOPEN#<account>#<id>` all of them (with or without one).
 */
export class ConversationRepo implements ConversationRepository {
  constructor(private readonly db: Db) {}

  /**
   * Stores `c` unless the account already holds its externalId: answers the
   * conversation that holds it and whether this call created it.
   */
  async createOnce(c: ConversationRecord): Promise<{ id: string; created: boolean }> {
    const marker = extKey(c.workspaceId, c.accountId, c.externalId);
    let id = c.id;
    try {
      await this.db.doc.send(
        new PutCommand({
          TableName: this.db.table,
          Item: { ...marker, type: 'CNVX', conversationId: c.id },
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      );
    } catch (err) {
      if (!isConditionFailed(err)) throw err;
      const held = await this.db.doc.send(
        new GetCommand({ TableName: this.db.table, Key: marker, ConsistentRead: true }),
      );
      id = held.Item!.conversationId as string;
    }
    try {
      await this.db.doc.send(
        new PutCommand({
          TableName: this.db.table,
          Item: item({ ...c, id }),
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      );
      await this.indexWaiting({ ...c, id });
      return { id, created: true };
    } catch (err) {
      if (isConditionFailed(err)) return { id, created: false };
      throw err;
    }
  }

  /** The conversation, or undefined. */
  async find(ws: string, id: string): Promise<ConversationRecord | undefined> {
    const r = await this.db.doc.send(
      new GetCommand({ TableName: this.db.table, Key: cnvKey(ws, id), ConsistentRead: true }),
    );
    return r.Item ? fromItem<ConversationRecord>(r.Item) : undefined;
  }

  /** The conversation, or NotFound. */
  async get(ws: string, id: string): Promise<ConversationRecord> {
    const c = await this.find(ws, id);
    if (!c) throw new NotFound(`conversation ${id} not found`);
    return c;
  }

  /** The conversation of an account's item by its network id, or undefined. */
  async findByExternalId(ws: string, account: string, externalId: string): Promise<ConversationRecord | undefined> {
    const held = await this.db.doc.send(
      new GetCommand({ TableName: this.db.table, Key: extKey(ws, account, externalId), ConsistentRead: true }),
    );
    return held.Item ? this.find(ws, held.Item.conversationId as string) : undefined;
  }

  /**
   * Stores the next state of a conversation decided by its lifecycle
   * (`@drumbeat/core`'s conversations/lifecycle.ts) on the version read;
   * Conflict if it changed since.
   */
  async replace(c: ConversationRecord, expectedVersion: number): Promise<void> {
    if (!(await putIfRule(this.db, item(c), [{ field: 'version', eq: expectedVersion }])))
      throw new Conflict(`conversation ${c.id} was changed meanwhile; read it again`);
    await this.indexWaiting(c);
  }

  /**
   * Keeps the open and deadline indexes in step with `c`: an item awaiting an
   * answer is in both (the deadline index when it has a deadline), one
   * answered, dismissed or being answered in neither. An answer that failed
   * puts its item back (issue 18: a failed answer is not lost).
   */
  async indexWaiting(c: ConversationRecord): Promise<void> {
    if (awaitsAnswer(c)) {
      await this.db.doc.send(
        new PutCommand({ TableName: this.db.table, Item: { ...openKey(c), type: 'CNVOPEN', conversationId: c.id } }),
      );
      if (c.dueAt) await this.putDue(c);
    } else {
      await this.db.doc.send(new DeleteCommand({ TableName: this.db.table, Key: openKey(c) }));
      if (c.dueAt) await this.dropDue({ ...c, dueAt: c.dueAt });
    }
  }

  /**
   * True when the account has an item awaiting an answer (one read of the
   * open index). An entry a crash left behind only costs a look too many.
   */
  async anyAwaiting(ws: string, account: string): Promise<boolean> {
    const r = await this.db.doc.send(
      new QueryCommand({
        TableName: this.db.table,
        KeyConditionExpression: 'pk = :pk AND begins_with(sk, :p)',
        ExpressionAttributeValues: { ':pk': wsPk(ws), ':p': openPrefix(account) },
        ConsistentRead: true,
        Limit: 1,
      }),
    );
    return (r.Items?.length ?? 0) > 0;
  }

  private async putDue(c: ConversationRecord): Promise<void> {
    const text = c.text.length > 280 ? `${c.text.slice(0, 279)}…` : c.text;
    await this.db.doc.send(
      new PutCommand({
        TableName: this.db.table,
        Item: {
          ...dueKey({ ...c, dueAt: c.dueAt! }),
          type: 'CNVDUE',
          conversationId: c.id,
          dueAt: c.dueAt,
          receivedAt: c.receivedAt,
          author: c.author.handle,
          text,
        },
      }),
    );
  }

  /** Removes an item from the deadline index (a no-op when it is not there). */
  async dropDue(c: { workspaceId: string; accountId: string; dueAt: string; id: string }): Promise<void> {
    await this.db.doc.send(new DeleteCommand({ TableName: this.db.table, Key: dueKey(c) }));
  }

  /**
   * What the response SLA needs at `now`: the open items whose deadline has
   * passed (at most `limit`), and the next deadline still ahead. Reads only
   * the index, never the inbox's history.
   */
  async deadlines(
    ws: string,
    account: string,
    now: string,
    limit = 500,
  ): Promise<{ overdue: DueItem[]; next: DueItem | undefined }> {
    const p = duePrefix(account);
    const overdue: DueItem[] = [];
    let start: Record<string, unknown> | undefined;
    do {
      const r = await this.db.doc.send(
        new QueryCommand({
          TableName: this.db.table,
          KeyConditionExpression: 'pk = :pk AND sk BETWEEN :a AND :b',
          ExpressionAttributeValues: { ':pk': wsPk(ws), ':a': p, ':b': `${p}${now}#~` },
          ConsistentRead: true,
          Limit: limit - overdue.length,
          ExclusiveStartKey: start,
        }),
      );
      overdue.push(...(r.Items ?? []).map((i) => fromItem<DueItem>(i)));
      start = r.LastEvaluatedKey;
    } while (start && overdue.length < limit);
    const r = await this.db.doc.send(
      new QueryCommand({
        TableName: this.db.table,
        KeyConditionExpression: 'pk = :pk AND sk BETWEEN :a AND :b',
        ExpressionAttributeValues: { ':pk': wsPk(ws), ':a': `${p}${now}#~`, ':b': `${p}~` },
        ConsistentRead: true,
        Limit: 1,
      }),
    );
    const next = r.Items?.[0];
    return { overdue, next: next ? fromItem<DueItem>(next) : undefined };
  }

  /**
   * An account's conversations by received time, oldest first (the longest
   * waiting on top), optionally filtered; a filtered page is filled like the
   * posts list. `overdueAt`: only open items due before that instant.
   */
  async listByAccount(
    ws: string,
    account: string,
    q: {
      status?: ConversationStatus | undefined;
      assignee?: string | undefined;
      overdueAt?: string | undefined;
      limit: number;
      cursor?: string | undefined;
    },
  ): Promise<Page<ConversationRecord>> {
    const start = decodeCursor(q.cursor, ['sk', 'gsi1sk'], CONVERSATION_PREFIX, account);
    const filters: string[] = [];
    const names: Record<string, string> = {};
    const values: Record<string, unknown> = { ':g': byAccount(ws, account) };
    if (q.status) {
      filters.push('#st = :st');
      names['#st'] = 'status';
      values[':st'] = q.status;
    }
    if (q.assignee) {
      filters.push('assigneeId = :as');
      values[':as'] = q.assignee;
    }
    if (q.overdueAt) {
      filters.push('#st = :open AND dueAt < :now');
      names['#st'] = 'status';
      values[':open'] = 'open';
      values[':now'] = q.overdueAt;
    }
    const filtered = filters.length > 0;
    const items: ConversationRecord[] = [];
    let exclusive: Record<string, unknown> | undefined = start
      ? { pk: wsPk(ws), sk: start.sk, gsi1pk: byAccount(ws, account), gsi1sk: start.gsi1sk }
      : undefined;
    const cursorOf = (c: ConversationRecord) =>
      encodeCursor(
        { sk: `${CONVERSATION_PREFIX}${c.id}`, gsi1sk: conversationGsi1sk(c.receivedAt, c.id) },
        ['sk', 'gsi1sk'],
        account,
      );
    do {
      const r = await this.db.doc.send(
        new QueryCommand({
          TableName: this.db.table,
          IndexName: 'gsi1',
          KeyConditionExpression: 'gsi1pk = :g',
          ExpressionAttributeValues: values,
          ...(filtered ? { FilterExpression: filters.join(' AND ') } : {}),
          ...(Object.keys(names).length ? { ExpressionAttributeNames: names } : {}),
          Limit: filtered ? Math.max(q.limit, 200) : q.limit - items.length,
          ExclusiveStartKey: exclusive,
        }),
      );
      for (const i of r.Items ?? []) {
        if (items.length === q.limit) return { items, nextCursor: cursorOf(items.at(-1)!) };
        items.push(fromItem<ConversationRecord>(i));
      }
      exclusive = r.LastEvaluatedKey;
    } while (exclusive && items.length < q.limit);
    return { items, nextCursor: encodeCursor(exclusive, ['sk', 'gsi1sk'], account) };
  }
  /**
   * One page of the items an account received in [from, to) (UTC ISO
   * instants), by received time: a range on the GSI sort key, so a report
   * reads only its range. Pass the returned `next` back until it is absent.
   */
  async receivedBetween(
    ws: string,
    account: string,
    from: string,
    to: string,
    next?: Record<string, unknown>,
  ): Promise<{ items: ConversationRecord[]; next?: Record<string, unknown> }> {
    const r = await this.db.doc.send(
      new QueryCommand({
        TableName: this.db.table,
        IndexName: 'gsi1',
        // `<to>#…` sorts after `<to>`: an item received exactly at `to` is left out, one at `from` is in.
        KeyConditionExpression: 'gsi1pk = :g AND gsi1sk BETWEEN :from AND :to',
        ExpressionAttributeValues: { ':g': byAccount(ws, account), ':from': from, ':to': to },
        Limit: 500,
        ExclusiveStartKey: next,
      }),
    );
    return {
      items: (r.Items ?? []).map((i) => fromItem<ConversationRecord>(i)),
      ...(r.LastEvaluatedKey ? { next: r.LastEvaluatedKey } : {}),
    };
  }
}
