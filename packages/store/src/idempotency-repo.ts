import { DeleteCommand, GetCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { conditionalWrite, isConditionFailed, type Db } from './db.js';
import type { IdempotencyBegin, IdempotencyRepository, StoredResponse } from '@drumbeat/core';
import { idempotencyKey } from './table/idempotency-keys.js';

export type { IdempotencyBegin, StoredResponse };

/** How long a pending claim holds without renewal: the API's request timeout on Lambda (20 s). After it, a repeat may run. */
export const DEFAULT_LEASE_MS = 20_000;

/**
 * Idempotency keys: the first request with a key records a pending marker by
 * conditional write; the response is stored when it completes; later requests
 * with the same key replay it. Expired markers (24 h) are treated as absent
 * (TTL deletes them on AWS; the condition makes correctness not depend on it).
 * A pending claim is a lease (`leaseUntil`, epoch ms) that the running request
 * renews; a request that died (a Lambda timeout, a crash) stops renewing, and
 * once the lease has run out a repeat takes the claim over instead of getting
 * "in progress" for 24 hours.
 */
export class IdempotencyRepo implements IdempotencyRepository {
  constructor(private readonly db: Db) {}

  /** Claims `key` for a request with `fingerprint`, or says what the key already holds. */
  async begin(
    ws: string,
    key: string,
    fingerprint: string,
    now: Date,
    ttlMs = 86_400_000,
    leaseMs = DEFAULT_LEASE_MS,
  ): Promise<IdempotencyBegin> {
    const nowSec = Math.floor(now.getTime() / 1000);
    try {
      await this.db.doc.send(
        new PutCommand({
          TableName: this.db.table,
          Item: {
            ...idempotencyKey(ws, key),
            type: 'IDEM',
            fingerprint,
            state: 'pending',
            createdAt: now.toISOString(),
            leaseUntil: now.getTime() + leaseMs,
            expiresAt: nowSec + Math.ceil(ttlMs / 1000),
          },
          // A lapsed lease of the same request may be taken over; one of another request stays a mismatch.
          ConditionExpression:
            'attribute_not_exists(pk) OR expiresAt < :now OR (#s = :pending AND leaseUntil < :nowMs AND fingerprint = :fp)',
          ExpressionAttributeNames: { '#s': 'state' },
          ExpressionAttributeValues: {
            ':now': nowSec,
            ':nowMs': now.getTime(),
            ':pending': 'pending',
            ':fp': fingerprint,
          },
        }),
      );
      return { kind: 'new' };
    } catch (err) {
      if (!isConditionFailed(err)) throw err;
    }
    const r = await this.db.doc.send(
      new GetCommand({ TableName: this.db.table, Key: idempotencyKey(ws, key), ConsistentRead: true }),
    );
    const item = r.Item;
    if (!item) return this.begin(ws, key, fingerprint, now, ttlMs, leaseMs);
    if (item.fingerprint !== fingerprint) return { kind: 'mismatch' };
    if (item.state !== 'done') return { kind: 'in-progress' };
    return { kind: 'replay', response: item.response as StoredResponse };
  }

  /** Extends a pending claim's lease (the request is still running); false when it is no longer pending. */
  async renew(ws: string, key: string, now: Date, leaseMs = DEFAULT_LEASE_MS): Promise<boolean> {
    return conditionalWrite(
      this.db.doc.send(
        new UpdateCommand({
          TableName: this.db.table,
          Key: idempotencyKey(ws, key),
          UpdateExpression: 'SET leaseUntil = :until',
          ConditionExpression: '#s = :pending',
          ExpressionAttributeNames: { '#s': 'state' },
          ExpressionAttributeValues: { ':until': now.getTime() + leaseMs, ':pending': 'pending' },
        }),
      ),
    );
  }

  /** Records the response of the request that claimed `key`. */
  async complete(ws: string, key: string, response: StoredResponse): Promise<void> {
    await this.db.doc.send(
      new UpdateCommand({
        TableName: this.db.table,
        Key: idempotencyKey(ws, key),
        UpdateExpression: 'SET #s = :done, #r = :resp',
        ExpressionAttributeNames: { '#s': 'state', '#r': 'response' },
        ExpressionAttributeValues: { ':done': 'done', ':resp': response },
      }),
    );
  }

  /** Forgets a claim whose request failed, so the client may retry with the same key. */
  async abandon(ws: string, key: string): Promise<void> {
    await this.db.doc.send(new DeleteCommand({ TableName: this.db.table, Key: idempotencyKey(ws, key) }));
  }
}
