import { GetCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import {
  alertRule,
  decideAlert,
  NotFound,
  releaseKeyWhen,
  type AlertEvent,
  type AlertRepository,
  type OpenAlertKey,
  type AlertRecord,
  type AlertStatus,
} from '@drumbeat/core';
import { applyRule, deleteIfRule, putNew } from './apply-rule.js';
import type { Page } from './collection.js';
import { decodeCursor, encodeCursor } from './cursor.js';
import { fromItem, type Db } from './db.js';
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

export type { OpenAlertKey };

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
 * other change is an event of the alert's lifecycle
 * (`packages/core/src/alerts/alert-lifecycle.ts`, its table), applied by
 * `apply` as one conditional update built from its rule.
 */
export class AlertRepo implements AlertRepository {
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
    if (await putNew(this.db, { ...openKey(ws, key.dedupeKey), type: 'ALERTKEY', ...key })) return { claimed: true };
    const r = await this.db.doc.send(
      new GetCommand({ TableName: this.db.table, Key: openKey(ws, key.dedupeKey), ConsistentRead: true }),
    );
    return { claimed: false, holder: r.Item ? fromItem<OpenAlertKey>(r.Item) : undefined };
  }

  /** Ends an episode: drops its key if `alertId` still holds it. */
  async releaseKey(ws: string, dedupeKey: string, alertId: string): Promise<void> {
    await deleteIfRule(this.db, openKey(ws, dedupeKey), releaseKeyWhen(alertId));
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

  /**
   * Applies an event of the alert's lifecycle (`alertRule` of `@drumbeat/core`)
   * as one conditional write: the new record, or undefined when its guard
   * refused it (an alert opened already, or one gone).
   */
  async apply(ws: string, id: string, event: AlertEvent, now: Date): Promise<AlertRecord | undefined> {
    if (event.type !== 'open') return applyRule<AlertRecord>(this.db, alertKey(ws, id), alertRule(event, now));
    const opened = decideAlert(undefined, event, now);
    if (!opened.ok || opened.next.workspaceId !== ws || opened.next.id !== id)
      throw new Error(`alert ${id}: not a new alert of ${ws}`);
    return (await putNew(this.db, item(opened.next))) ? opened.next : undefined;
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
