import { BatchWriteCommand, DeleteCommand, PutCommand, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { Timer, TimerPayload } from '@drumbeat/core';
import {
  conditionalWrite,
  isConditionFailed,
  TIMER_DUE_PK as DUE_PK,
  timerDueKey as dueKey,
  timerKey as key,
  type Db,
} from '@drumbeat/store';

/** A timer as stored: one item per timer name, on the due-time index while pending. */
export interface StoredTimer {
  name: string;
  dueAt: string;
  payload: TimerPayload;
  /** Index sort key at the time it was read; a delete is skipped if it changed (the timer was re-armed). */
  dueKey: string;
  attempts: number;
}

/** A pending timer's item: its attempts reset, on the due-time index at its due instant. */
function timerItem(timer: Timer): Record<string, unknown> {
  const dueAt = timer.at.toISOString();
  return {
    ...key(timer.name),
    type: 'TIMER',
    name: timer.name,
    dueAt,
    payload: timer.payload,
    attempts: 0,
    gsi1pk: DUE_PK,
    gsi1sk: dueKey(dueAt, timer.name),
  };
}

/**
 * Durable timers in the table. Timer names are global (post and account ids
 * are unique across workspaces) and the payload carries the workspace; no
 * tenant-facing query ever reads these items.
 */
export class TimerStore {
  constructor(private readonly db: Db) {}

  /** Creates or replaces the timer of that name. */
  async put(timer: Timer): Promise<void> {
    await this.db.doc.send(new PutCommand({ TableName: this.db.table, Item: timerItem(timer) }));
  }

  /** Removes a timer; absent is fine. */
  async remove(name: string): Promise<void> {
    await this.db.doc.send(new DeleteCommand({ TableName: this.db.table, Key: key(name) }));
  }

  /** The unconditional write that creates or replaces a timer, on the due-time index (for batching). */
  static putRequest(timer: Timer) {
    return { PutRequest: { Item: timerItem(timer) } };
  }

  /** The unconditional write that removes a timer, absent or not (for batching). */
  static deleteRequest(name: string) {
    return { DeleteRequest: { Key: key(name) } };
  }

  /** Up to `limit` timers due at or before `now`, earliest first, from the page cursor `after`; `next`: the cursor of the page after, if any. */
  async due(
    now: Date,
    limit: number,
    after?: Record<string, unknown>,
  ): Promise<{ timers: StoredTimer[]; next: Record<string, unknown> | undefined }> {
    const r = await this.db.doc.send(
      new QueryCommand({
        TableName: this.db.table,
        IndexName: 'gsi1',
        KeyConditionExpression: 'gsi1pk = :pk AND gsi1sk <= :upto',
        ExpressionAttributeValues: { ':pk': DUE_PK, ':upto': `${now.toISOString()}#\uffff` },
        Limit: limit,
        ...(after ? { ExclusiveStartKey: after } : {}),
      }),
    );
    const timers = (r.Items ?? []).map((i) => ({
      name: i.name as string,
      dueAt: i.dueAt as string,
      payload: i.payload as TimerPayload,
      dueKey: i.gsi1sk as string,
      attempts: (i.attempts as number | undefined) ?? 0,
    }));
    return { timers, next: r.LastEvaluatedKey };
  }

  /** The due instant of the earliest pending timer, if any, passing over those in `skip` (their handlers are running). */
  async nextDue(skip: ReadonlySet<string> = new Set()): Promise<Date | undefined> {
    const r = await this.db.doc.send(
      new QueryCommand({
        TableName: this.db.table,
        IndexName: 'gsi1',
        KeyConditionExpression: 'gsi1pk = :pk',
        ExpressionAttributeValues: { ':pk': DUE_PK },
        Limit: Math.min(skip.size + 1, 1000),
      }),
    );
    const at = r.Items?.find((i) => !skip.has(i.name as string))?.dueAt as string | undefined;
    return at ? new Date(at) : undefined;
  }

  /** Deletes fired timers that were not re-armed meanwhile: unconditional batches of 25. */
  async removeFired(names: string[]): Promise<void> {
    for (let i = 0; i < names.length; i += 25) {
      let requests = names.slice(i, i + 25).map((n) => ({ DeleteRequest: { Key: key(n) } }));
      for (let attempt = 0; requests.length && attempt < 8; attempt++) {
        const r = await this.db.doc.send(new BatchWriteCommand({ RequestItems: { [this.db.table]: requests } }));
        requests = (r.UnprocessedItems?.[this.db.table] ?? []) as typeof requests;
        if (requests.length) await new Promise((res) => setTimeout(res, 20 * 2 ** attempt));
      }
    }
  }

  /** Deletes a fired timer only if it was not re-armed since it was read. */
  async removeIfUnchanged(t: StoredTimer): Promise<void> {
    try {
      await this.db.doc.send(
        new DeleteCommand({
          TableName: this.db.table,
          Key: key(t.name),
          ConditionExpression: 'gsi1sk = :k',
          ExpressionAttributeValues: { ':k': t.dueKey },
        }),
      );
    } catch (err) {
      if (!isConditionFailed(err)) throw err;
    }
  }

  /** Moves a timer whose handler failed to `retryAt`, unless it was re-armed meanwhile. */
  async retryLater(t: StoredTimer, retryAt: Date): Promise<void> {
    try {
      await this.db.doc.send(
        new UpdateCommand({
          TableName: this.db.table,
          Key: key(t.name),
          UpdateExpression: 'SET gsi1sk = :next, attempts = :a',
          ConditionExpression: 'gsi1sk = :k',
          ExpressionAttributeValues: {
            ':k': t.dueKey,
            ':next': dueKey(retryAt.toISOString(), t.name),
            ':a': t.attempts + 1,
          },
        }),
      );
    } catch (err) {
      if (!isConditionFailed(err)) throw err;
    }
  }

  /**
   * Takes or renews the single loop lease of this table: a conditional update
   * that succeeds only for the holder or once the lease has expired, so two
   * loops never fire the same timers.
   */
  async acquireLease(owner: string, now: Date, leaseMs: number): Promise<boolean> {
    return conditionalWrite(
      this.db.doc.send(
        new UpdateCommand({
          TableName: this.db.table,
          Key: { pk: 'SCHEDULER', sk: 'LEASE' },
          UpdateExpression: 'SET #o = :me, #u = :until',
          ConditionExpression: 'attribute_not_exists(pk) OR #o = :me OR #u < :now',
          ExpressionAttributeNames: { '#o': 'owner', '#u': 'until' },
          ExpressionAttributeValues: { ':me': owner, ':until': now.getTime() + leaseMs, ':now': now.getTime() },
        }),
      ),
    );
  }

  /** Takes the lease whoever holds it: for the only loop of a table, after a crash left a lease behind. */
  async takeLease(owner: string, now: Date, leaseMs: number): Promise<void> {
    await this.db.doc.send(
      new PutCommand({
        TableName: this.db.table,
        Item: { pk: 'SCHEDULER', sk: 'LEASE', owner, until: now.getTime() + leaseMs },
      }),
    );
  }

  /** Gives the lease up (clean shutdown), so a restart need not wait for it to expire. */
  async releaseLease(owner: string): Promise<void> {
    try {
      await this.db.doc.send(
        new DeleteCommand({
          TableName: this.db.table,
          Key: { pk: 'SCHEDULER', sk: 'LEASE' },
          ConditionExpression: '#o = :me',
          ExpressionAttributeNames: { '#o': 'owner' },
          ExpressionAttributeValues: { ':me': owner },
        }),
      );
    } catch (err) {
      if (!isConditionFailed(err)) throw err;
    }
  }
}
