/** A response remembered for an Idempotency-Key. */
export interface StoredResponse {
  status: number;
  contentType: string;
  body: string;
  /** Set when the body was too large to keep (the item would pass DynamoDB's 400 KB): its size and SHA-256, `body` then empty. */
  omitted?: { bytes: number; sha256: string };
}

/** What a key holds when a request claims it. */
export type IdempotencyBegin =
  | { kind: 'new' }
  | { kind: 'replay'; response: StoredResponse }
  | { kind: 'mismatch' }
  | { kind: 'in-progress' };

/** Idempotency keys: a pending claim (a lease the running request renews), then the response it stored. */
export interface IdempotencyRepository {
  /** Claims `key` for a request with `fingerprint`, or says what the key already holds. */
  begin(
    ws: string,
    key: string,
    fingerprint: string,
    now: Date,
    ttlMs?: number,
    leaseMs?: number,
  ): Promise<IdempotencyBegin>;
  /** Extends a pending claim's lease; false when it is no longer pending. */
  renew(ws: string, key: string, now: Date, leaseMs?: number): Promise<boolean>;
  /** Records the response of the request that claimed `key`. */
  complete(ws: string, key: string, response: StoredResponse): Promise<void>;
  /** Forgets a claim whose request failed, so the client may retry with the same key. */
  abandon(ws: string, key: string): Promise<void>;
}
