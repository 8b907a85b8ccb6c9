import { DeleteCommand, GetCommand, PutCommand, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import {
  Conflict,
  NotFound,
  type DeliveryRecord,
  type DeliveryRepository,
  type WebhookRecord,
  type WebhookRepository,
} from '@drumbeat/core';
import { allPages } from './all-pages.js';
import { Collection, type Page } from './collection.js';
import { decodeCursor, encodeCursor } from './cursor.js';
import { conditionalWrite, fromItem, isConditionFailed, type Db } from './db.js';
import {
  DELIVERY_PREFIX,
  deliveriesByWebhook as byWebhook,
  deliveryKey,
  WEBHOOK_PREFIX,
  webhookKey,
} from './table/webhook-keys.js';
import { wsPk } from './table/workspace-keys.js';

/** How long deliveries are kept (their attempts fit well inside: the retry schedule spans about 28 h). */
export const DELIVERY_RETENTION_MS = 30 * 86_400_000;

/**
 * Webhook subscriptions, at `WEBHOOK#<id>` in the workspace partition. Disabling
 * is one conditional update, so it needs no read and never undoes a delete.
 */
export class WebhookRepo extends Collection<WebhookRecord> implements WebhookRepository {
  constructor(private readonly dbh: Db) {
    super(dbh, WEBHOOK_PREFIX, 'webhook');
  }

  /** Every subscription of a workspace, following pages. */
  async all(ws: string): Promise<WebhookRecord[]> {
    return allPages((o) => this.list(ws, o));
  }

  /** Counts one more delivery in a row that exhausted its retries; the new count, or undefined when the subscription is gone. */
  async noteExhausted(ws: string, id: string): Promise<number | undefined> {
    try {
      const r = await this.dbh.doc.send(
        new UpdateCommand({
          TableName: this.dbh.table,
          Key: webhookKey(ws, id),
          UpdateExpression: 'SET failedDeliveries = if_not_exists(failedDeliveries, :zero) + :one, #v = #v + :one',
          ConditionExpression: 'attribute_exists(pk)',
          ExpressionAttributeNames: { '#v': 'version' },
          ExpressionAttributeValues: { ':zero': 0, ':one': 1 },
          ReturnValues: 'ALL_NEW',
        }),
      );
      return r.Attributes?.failedDeliveries as number;
    } catch (err) {
      if (isConditionFailed(err)) return undefined;
      throw err;
    }
  }

  /** Clears the count of exhausted deliveries after a delivered one (a no-op when there is none). */
  async clearExhausted(ws: string, id: string): Promise<void> {
    await conditionalWrite(
      this.dbh.doc.send(
        new UpdateCommand({
          TableName: this.dbh.table,
          Key: webhookKey(ws, id),
          UpdateExpression: 'REMOVE failedDeliveries SET #v = #v + :one',
          ConditionExpression: 'attribute_exists(failedDeliveries)',
          ExpressionAttributeNames: { '#v': 'version' },
          ExpressionAttributeValues: { ':one': 1 },
        }),
      ),
    );
  }

  /** Marks a subscription disabled with a reason; a no-op when it is already disabled or gone. */
  async disable(ws: string, id: string, at: string, reason: string): Promise<void> {
    await conditionalWrite(
      this.dbh.doc.send(
        new UpdateCommand({
          TableName: this.dbh.table,
          Key: webhookKey(ws, id),
          UpdateExpression: 'SET disabledAt = :at, disabledReason = :r, #v = #v + :one',
          ConditionExpression: 'attribute_exists(pk) AND attribute_not_exists(disabledAt)',
          ExpressionAttributeNames: { '#v': 'version' },
          ExpressionAttributeValues: { ':at': at, ':r': reason, ':one': 1 },
        }),
      ),
    );
  }
}

function deliveryItem(d: DeliveryRecord) {
  return {
    ...deliveryKey(d.workspaceId, d.id),
    type: 'DELIVERY',
    // Delivery ids sort by creation time, so the index lists a subscription's deliveries in order.
    gsi1pk: byWebhook(d.workspaceId, d.webhookId),
    gsi1sk: d.id,
    expiresAt: Math.ceil((Date.parse(d.createdAt) + DELIVERY_RETENTION_MS) / 1000),
    ...d,
  };
}

function toDeliveryRecord(item: Record<string, unknown>): DeliveryRecord {
  const { expiresAt: _e, ...rest } = fromItem<DeliveryRecord & { expiresAt?: number }>(item);
  return rest;
}

/**
 * Deliveries of events to subscriptions, at `DELIVERY#<id>` in the workspace
 * partition and on GSI1 under their subscription. Every state change is a
 * put conditional on the version read. Items carry `expiresAt` (TTL on AWS);
 * listings also filter on it, so correctness does not depend on the sweep.
 */
export class DeliveryRepo implements DeliveryRepository {
  constructor(private readonly db: Db) {}

  /** Stores a new delivery. */
  async create(d: DeliveryRecord): Promise<void> {
    await this.db.doc.send(
      new PutCommand({
        TableName: this.db.table,
        Item: deliveryItem(d),
        ConditionExpression: 'attribute_not_exists(pk)',
      }),
    );
  }

  /** The delivery, or undefined. Strongly consistent. */
  async find(ws: string, id: string): Promise<DeliveryRecord | undefined> {
    const r = await this.db.doc.send(
      new GetCommand({ TableName: this.db.table, Key: deliveryKey(ws, id), ConsistentRead: true }),
    );
    return r.Item ? toDeliveryRecord(r.Item) : undefined;
  }

  /** Replaces a delivery read at `expectedVersion`; Conflict if someone wrote it since. */
  async replace(d: DeliveryRecord, expectedVersion: number): Promise<void> {
    if (
      !(await conditionalWrite(
        this.db.doc.send(
          new PutCommand({
            TableName: this.db.table,
            Item: deliveryItem(d),
            ConditionExpression: 'attribute_exists(pk) AND #v = :v',
            ExpressionAttributeNames: { '#v': 'version' },
            ExpressionAttributeValues: { ':v': expectedVersion },
          }),
        ),
      ))
    )
      throw new Conflict(`delivery ${d.id} was changed by another attempt`);
  }

  /** Deletes a delivery outright: only to undo a fan-out whose timer could not be armed. */
  async purge(ws: string, id: string): Promise<void> {
    await this.db.doc.send(new DeleteCommand({ TableName: this.db.table, Key: deliveryKey(ws, id) }));
  }

  /** A page of a subscription's deliveries, newest first, leaving out those past retention at `now`. */
  async listByWebhook(
    ws: string,
    webhookId: string,
    q: { limit: number; cursor?: string | undefined; now: Date },
  ): Promise<Page<DeliveryRecord>> {
    const start = decodeCursor(q.cursor, ['sk', 'gsi1sk'], DELIVERY_PREFIX, webhookId);
    const r = await this.db.doc.send(
      new QueryCommand({
        TableName: this.db.table,
        IndexName: 'gsi1',
        KeyConditionExpression: 'gsi1pk = :g',
        FilterExpression: 'expiresAt > :now',
        ExpressionAttributeValues: { ':g': byWebhook(ws, webhookId), ':now': Math.floor(q.now.getTime() / 1000) },
        ScanIndexForward: false,
        Limit: q.limit,
        ExclusiveStartKey: start
          ? { pk: wsPk(ws), sk: start.sk, gsi1pk: byWebhook(ws, webhookId), gsi1sk: start.gsi1sk }
          : undefined,
      }),
    );
    return {
      items: (r.Items ?? []).map(toDeliveryRecord),
      nextCursor: encodeCursor(r.LastEvaluatedKey, ['sk', 'gsi1sk'], webhookId),
    };
  }

  /** The delivery, or NotFound. */
  async get(ws: string, id: string): Promise<DeliveryRecord> {
    const d = await this.find(ws, id);
    if (!d) throw new NotFound(`delivery ${id} not found`);
    return d;
  }
}
