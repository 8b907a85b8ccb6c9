import { DeleteCommand, GetCommand, PutCommand, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { NotFound, type AlertDetails, type AlertKind, type AlertRecord, type AlertStatus } from '@drumbeat/core';
import type { Page } from './collection.js';
import { decodeCursor, encodeCursor } from './cursor.js';
import { fromItem, isConditionFailed, type Db } from './db.js';
import { queryPages } from './query-pages.js';
import {
  ALERT_OPEN_PREFIX,
  ALERT_PREFIX,
  alertKey,
  alertOpenKey as openKey,
  alertOpenPrefix,
  alertsByAccount as byAccount,
} from './table/alert-keys.js';
import { wsPk } from './table/workspace-keys.js';

/** The marker of one open alert episode: which alert holds the dedupe key. */
export interface OpenAlertKey {
  dedupeKey: string;
  alertId: string;
  accountId: string;
  kind: AlertKind;
  postId?: string;
  openedAt: string;
}

const MAX_QUERIES_PER_PAGE = 10;

function item(a: AlertRecord) {
  return {
    ...alertKey(a.workspaceId, a.id),
    type: 'ALERT',
    gsi1pk: byAccount(a.workspaceId, a.accountId),
    gsi1sk: a.id,
    ...a,
  };
}

/**
 * Alerts, at `ALERT#<id>` in the workspace partition and on GSI1 under their
 * account (ids sort by opening time). An open episode also holds
 * `ALERTKEY#<accountId>#<kind>[#<postId>]`, created by conditional put: the
 * first opener wins, so one problem never has two open alerts. The key is
 * claimed before the alert is written and released after it is resolved, so
 * a crash in between leaves a key whose alert is missing (re-created from the
 * key) or already resolved (the key is dropped), never a duplicate. Every
 * other change is a single conditional update.
 */
export class AlertRepo {
  constructor(private readonly db: Db) {}

  /** The open episodes of an account (strongly consistent). */
  openKeys(ws: string, accountId: string): Promise<OpenAlertKey[]> {
    return this.keysFrom(ws, alertOpenPrefix(accountId));
  }

  /**
   * The open episodes of every account of the workspace (strongly consistent):
   * one query of the workspace partition's `ALERTKEY#` items, which exist only
   * while an episode is open, so resolved history is never read.
   */
  workspaceOpenKeys(ws: string): Promise<OpenAlertKey[]> {
    return this.keysFrom(ws, ALERT_OPEN_PREFIX);
  }

  private async keysFrom(ws: string, prefix: string): Promise<OpenAlertKey[]> {
    const out: OpenAlertKey[] = [];
    for await (const items of queryPages(this.db, {
      TableName: this.db.table,
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :p)',
      ExpressionAttributeValues: { ':pk': wsPk(ws), ':p': prefix },
      ConsistentRead: true,
    }))
      out.push(...items.map((i) => fromItem<OpenAlertKey>(i)));
    return out;
  }

  /** How many episodes of an account are open. */
  async countOpen(ws: string, accountId: string): Promise<number> {
    return (await this.openKeys(ws, accountId)).length;
  }

  /** Claims a dedupe key for a new episode; when another alert holds it, returns that holder instead. */
  async claimKey(
    ws: string,
    key: OpenAlertKey,
  ): Promise<{ claimed: true } | { claimed: false; holder: OpenAlertKey | undefined }> {
    try {
      await this.db.doc.send(
        new PutCommand({
          TableName: this.db.table,
          Item: { ...openKey(ws, key.dedupeKey), type: 'ALERTKEY', ...key },
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      );
      return { claimed: true };
    } catch (err) {
      if (!isConditionFailed(err)) throw err;
      const r = await this.db.doc.send(
        new GetCommand({ TableName: this.db.table, Key: openKey(ws, key.dedupeKey), ConsistentRead: true }),
      );
      return { claimed: false, holder: r.Item ? fromItem<OpenAlertKey>(r.Item) : undefined };
    }
  }

  /** Ends an episode: drops its key if `alertId` still holds it. */
  async releaseKey(ws: string, dedupeKey: string, alertId: string): Promise<void> {
    try {
      await this.db.doc.send(
        new DeleteCommand({
          TableName: this.db.table,
          Key: openKey(ws, dedupeKey),
          ConditionExpression: 'alertId = :id',
          ExpressionAttributeValues: { ':id': alertId },
        }),
      );
    } catch (err) {
      if (!isConditionFailed(err)) throw err;
    }
  }

  /** Stores a new alert; false when an alert with that id exists already. */
  async create(a: AlertRecord): Promise<boolean> {
    try {
      await this.db.doc.send(
        new PutCommand({ TableName: this.db.table, Item: item(a), ConditionExpression: 'attribute_not_exists(pk)' }),
      );
      return true;
    } catch (err) {
      if (isConditionFailed(err)) return false;
      throw err;
    }
  }

  /** The alert, or undefined. Strongly consistent. */
  async find(ws: string, id: string): Promise<AlertRecord | undefined> {
    const r = await this.db.doc.send(
      new GetCommand({ TableName: this.db.table, Key: alertKey(ws, id), ConsistentRead: true }),
    );
    return r.Item ? fromItem<AlertRecord>(r.Item) : undefined;
  }

  /** The alert, or NotFound. */
  async get(ws: string, id: string): Promise<AlertRecord> {
    const a = await this.find(ws, id);
    if (!a) throw new NotFound(`alert ${id} not found`);
    return a;
  }

  /** Applies `set`/`remove` when `condition` holds (besides existence); the new record, or undefined when it does not. */
  private async update(
    ws: string,
    id: string,
    set: string,
    condition: string,
    values: Record<string, unknown>,
    remove: string[] = [],
  ): Promise<AlertRecord | undefined> {
    try {
      const r = await this.db.doc.send(
        new UpdateCommand({
          TableName: this.db.table,
          Key: alertKey(ws, id),
          UpdateExpression: `SET ${set}, #v = #v + :one${remove.length ? ` REMOVE ${remove.join(', ')}` : ''}`,
          ConditionExpression: `attribute_exists(pk)${condition ? ` AND ${condition}` : ''}`,
          ExpressionAttributeNames: { '#v': 'version' },
          ExpressionAttributeValues: { ':one': 1, ...values },
          ReturnValues: 'ALL_NEW',
        }),
      );
      return fromItem<AlertRecord>(r.Attributes!);
    } catch (err) {
      if (isConditionFailed(err)) return undefined;
      throw err;
    }
  }

  /** Replaces the details of an open alert read at `expectedVersion`; undefined when it changed or was resolved since. */
  refresh(
    ws: string,
    id: string,
    details: AlertDetails,
    at: string,
    expectedVersion: number,
  ): Promise<AlertRecord | undefined> {
    return this.update(ws, id, 'details = :d, updatedAt = :at', '#v = :ev AND attribute_not_exists(resolvedAt)', {
      ':d': details,
      ':at': at,
      ':ev': expectedVersion,
    });
  }

  /** Resolves an open alert; undefined when it was resolved already (only one caller wins). */
  resolve(ws: string, id: string, at: string): Promise<AlertRecord | undefined> {
    return this.update(ws, id, 'resolvedAt = :at, updatedAt = :at', 'attribute_not_exists(resolvedAt)', { ':at': at }, [
      'notifyingAt',
      'notifyRetryAt',
    ]);
  }

  /**
   * Acknowledges an alert: the first acknowledgement is kept, with the key
   * that made it and, for a personal key, its person. NotFound when absent.
   */
  async ack(
    ws: string,
    id: string,
    at: string,
    by: string,
    byVoice?: string,
    byRecipient?: string,
  ): Promise<AlertRecord> {
    const values: Record<string, unknown> = { ':at': at, ':by': by };
    let set = 'ackedAt = :at, ackedBy = :by, updatedAt = :at';
    if (byVoice) (set += ', ackedByVoice = :bv'), (values[':bv'] = byVoice);
    if (byRecipient) (set += ', ackedByRecipient = :br'), (values[':br'] = byRecipient);
    const r = (await this.update(ws, id, set, 'attribute_not_exists(ackedAt)', values)) ?? (await this.find(ws, id));
    if (!r) throw new NotFound(`alert ${id} not found`);
    return r;
  }

  /**
   * Claims the right to email an open, never-notified alert, at `at`. A claim
   * made at or before `staleBefore` (its sender died) may be taken over.
   * Undefined when someone else holds it, the email went out, the alert is
   * resolved, or a failed send left it waiting for its retry (not yet due) or
   * given up: a round that read the alert before that failure was recorded
   * must not send it again at once.
   */
  claimNotify(ws: string, id: string, at: string, staleBefore: string): Promise<AlertRecord | undefined> {
    return this.update(
      ws,
      id,
      'notifyingAt = :at, notifyAttempts = if_not_exists(notifyAttempts, :zero) + :one',
      'attribute_not_exists(notifiedAt) AND attribute_not_exists(resolvedAt) AND (attribute_not_exists(notifyingAt) OR notifyingAt <= :stale)' +
        ' AND (attribute_not_exists(notifyError) OR notifyRetryAt <= :at)',
      { ':at': at, ':zero': 0, ':stale': staleBefore },
    );
  }

  /** Records the email sent under the claim made at `claimedAt`. */
  markNotified(
    ws: string,
    id: string,
    claimedAt: string,
    at: string,
    messageId: string,
  ): Promise<AlertRecord | undefined> {
    return this.update(
      ws,
      id,
      'notifiedAt = :at, messageId = :m',
      'notifyingAt = :c',
      { ':at': at, ':m': messageId, ':c': claimedAt },
      ['notifyingAt', 'notifyRetryAt', 'notifyError'],
    );
  }

  /** Gives up the claim made at `claimedAt` after a failed send: the error, and when to try again (none: give up). */
  releaseNotify(
    ws: string,
    id: string,
    claimedAt: string,
    error: string,
    retryAt: string | undefined,
  ): Promise<AlertRecord | undefined> {
    return this.update(
      ws,
      id,
      `notifyError = :e${retryAt ? ', notifyRetryAt = :r' : ''}`,
      'notifyingAt = :c',
      { ':e': error, ':c': claimedAt, ...(retryAt ? { ':r': retryAt } : {}) },
      retryAt ? ['notifyingAt'] : ['notifyingAt', 'notifyRetryAt'],
    );
  }

  /**
   * A page of alerts, newest first: the workspace's, or one account's (GSI1),
   * optionally only open or only resolved ones. Filtered pages are topped up
   * with further reads (a bounded number), so a page is rarely short.
   */
  async list(
    ws: string,
    q: { status?: AlertStatus | undefined; accountId?: string | undefined; limit: number; cursor?: string | undefined },
  ): Promise<Page<AlertRecord>> {
    const fields = q.accountId ? ['sk', 'gsi1sk'] : ['sk'];
    const start = decodeCursor(q.cursor, fields, ALERT_PREFIX);
    let exclusive: Record<string, unknown> | undefined = start
      ? q.accountId
        ? { pk: wsPk(ws), sk: start.sk, gsi1pk: byAccount(ws, q.accountId), gsi1sk: start.gsi1sk }
        : { pk: wsPk(ws), sk: start.sk }
      : undefined;
    const filter =
      q.status === 'open'
        ? 'attribute_not_exists(resolvedAt)'
        : q.status === 'resolved'
          ? 'attribute_exists(resolvedAt)'
          : undefined;
    const items: AlertRecord[] = [];
    for (let i = 0; i < MAX_QUERIES_PER_PAGE && items.length < q.limit; i++) {
      const r = await this.db.doc.send(
        new QueryCommand({
          TableName: this.db.table,
          ...(q.accountId
            ? {
                IndexName: 'gsi1',
                KeyConditionExpression: 'gsi1pk = :g',
                ExpressionAttributeValues: { ':g': byAccount(ws, q.accountId) },
              }
            : {
                KeyConditionExpression: 'pk = :pk AND begins_with(sk, :p)',
                ExpressionAttributeValues: { ':pk': wsPk(ws), ':p': ALERT_PREFIX },
                ConsistentRead: true,
              }),
          ...(filter ? { FilterExpression: filter } : {}),
          ScanIndexForward: false,
          Limit: q.limit - items.length,
          ExclusiveStartKey: exclusive,
        }),
      );
      items.push(...(r.Items ?? []).map((x) => fromItem<AlertRecord>(x)));
      exclusive = r.LastEvaluatedKey;
      if (!exclusive) break;
    }
    return { items, nextCursor: encodeCursor(exclusive, fields) };
  }
}
