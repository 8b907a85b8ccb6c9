import { BatchWriteCommand, DeleteCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import type { Db } from '@drumbeat/store';

/** One unconditional write of an item: a put (create or replace) or a delete. BatchWriteItem carries no conditions. */
export type PlainWrite =
  | { PutRequest: { Item: Record<string, unknown> } }
  | { DeleteRequest: { Key: Record<string, unknown> } };

/** At most this many items a BatchWriteItem (DynamoDB's limit). */
export const MAX_BATCH = 25;

export interface GroupCommitOptions {
  /** Tries of a batch's unprocessed items before their callers are refused. */
  maxAttempts?: number;
  /** First pause before retrying unprocessed items, doubled each time. */
  backoffMs?: number;
}

interface Waiter {
  resolve(): void;
  reject(err: unknown): void;
}

interface Pending {
  /** The item's key: one write per item a batch (BatchWriteItem refuses duplicates). */
  item: string;
  write: PlainWrite;
  waiters: Waiter[];
}

/** The item a write is about (its table key), to match unprocessed items to their callers. */
const itemOf = (w: PlainWrite): string => {
  const k = 'PutRequest' in w ? w.PutRequest.Item : w.DeleteRequest.Key;
  return `${String(k.pk)}\u0000${String(k.sk)}`;
};
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * Group commit of unconditional writes. A write that finds none under way is
 * sent at once; the writes that arrive while one is under way wait and go
 * together in the next BatchWriteItem (up to 25 items), so under load many
 * callers share one store call. Each caller's promise settles only with its
 * own item: resolved once that item is durably written, rejected with the
 * error that kept it from being written. Unprocessed items are retried with
 * backoff; a batch that fails outright is written again item by item, so an
 * item the store refuses fails its own caller only. Writes of one item keep
 * their order: queued writes to the same item collapse into the last one,
 * and all their callers settle with it.
 */
export class GroupCommit {
  private queue: Pending[] = [];
  private writing = false;
  private readonly maxAttempts: number;
  private readonly backoffMs: number;

  constructor(
    private readonly db: Db,
    opts: GroupCommitOptions = {},
  ) {
    this.maxAttempts = opts.maxAttempts ?? 8;
    this.backoffMs = opts.backoffMs ?? 20;
  }

  /** Writes `write`; resolves once it is stored, rejects if it could not be. */
  write(write: PlainWrite): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      this.queue.push({ item: itemOf(write), write, waiters: [{ resolve, reject }] });
      if (this.writing) return;
      this.writing = true;
      // Writes issued in the same turn of the event loop go out together.
      queueMicrotask(() => void this.drain());
    });
  }

  private async drain(): Promise<void> {
    while (this.queue.length) {
      const batch = this.take();
      try {
        await this.commit(batch);
      } catch (err) {
        for (const p of batch) settle(p, err);
      }
    }
    this.writing = false;
  }

  /** The next batch: queued writes in order, up to MAX_BATCH distinct items, later writes of an item replacing earlier ones. */
  private take(): Pending[] {
    const batch = new Map<string, Pending>();
    let i = 0;
    for (; i < this.queue.length; i++) {
      const p = this.queue[i]!;
      const same = batch.get(p.item);
      if (same) {
        same.write = p.write;
        same.waiters.push(...p.waiters);
      } else if (batch.size === MAX_BATCH) {
        break;
      } else {
        batch.set(p.item, { ...p, waiters: [...p.waiters] });
      }
    }
    this.queue.splice(0, i);
    return [...batch.values()];
  }

  private async commit(batch: Pending[]): Promise<void> {
    if (batch.length === 1) return this.writeAlone(batch[0]!);
    let pending = batch;
    for (let attempt = 0; pending.length; attempt++) {
      if (attempt === this.maxAttempts) {
        const err = new Error(
          `store left ${pending.length} timer write(s) unprocessed after ${this.maxAttempts} attempts`,
        );
        for (const p of pending) settle(p, err);
        return;
      }
      if (attempt > 0) await sleep(this.backoffMs * 2 ** (attempt - 1));
      let unprocessed: PlainWrite[];
      try {
        const r = await this.db.doc.send(
          new BatchWriteCommand({ RequestItems: { [this.db.table]: pending.map((p) => p.write) } }),
        );
        unprocessed = (r.UnprocessedItems?.[this.db.table] ?? []) as PlainWrite[];
      } catch {
        // Refused as a whole: one write each, so each caller learns its own item's fate.
        await Promise.all(pending.map((p) => this.writeAlone(p)));
        return;
      }
      const left = new Set(unprocessed.map(itemOf));
      for (const p of pending) if (!left.has(p.item)) settle(p);
      pending = pending.filter((p) => left.has(p.item));
    }
  }

  private async writeAlone(p: Pending): Promise<void> {
    try {
      const w = p.write;
      if ('PutRequest' in w)
        await this.db.doc.send(new PutCommand({ TableName: this.db.table, Item: w.PutRequest.Item }));
      else await this.db.doc.send(new DeleteCommand({ TableName: this.db.table, Key: w.DeleteRequest.Key }));
      settle(p);
    } catch (err) {
      settle(p, err);
    }
  }
}

function settle(p: Pending, err?: unknown): void {
  for (const w of p.waiters) {
    if (err === undefined) w.resolve();
    else w.reject(err);
  }
}
