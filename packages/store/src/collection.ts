import { DeleteCommand, PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { Conflict, NotFound, type RecordPage } from '@drumbeat/core';
import { conditionalWrite, fromItem, getItem, type Db } from './db.js';
import { decodeCursor, encodeCursor } from './cursor.js';
import { wsPk } from './table/workspace-keys.js';

/** One page of a list (the port's type, under the name the store has always used). */
export type Page<T> = RecordPage<T>;

/**
 * The items of one entity kind inside a workspace partition, addressed by
 * `<PREFIX>#<id>`. Creation is conditional on absence; replacement is
 * conditional on the version read (optimistic concurrency), so two writers
 * never silently overwrite each other.
 */
export class Collection<T extends { id: string; version?: number }> {
  constructor(
    private readonly db: Db,
    private readonly prefix: string,
    private readonly label: string,
  ) {}

  private key(ws: string, id: string) {
    return { pk: wsPk(ws), sk: `${this.prefix}#${id}` };
  }

  /** The record, or undefined. Strongly consistent. */
  async find(ws: string, id: string): Promise<T | undefined> {
    return getItem<T>(this.db, this.key(ws, id));
  }

  /** The record, or NotFound naming the kind. */
  async get(ws: string, id: string): Promise<T> {
    const r = await this.find(ws, id);
    if (!r) throw new NotFound(`${this.label} ${id} not found`);
    return r;
  }

  /** Stores a new record; Conflict if the id exists. */
  async create(ws: string, record: T): Promise<void> {
    const written = await conditionalWrite(
      this.db.doc.send(
        new PutCommand({
          TableName: this.db.table,
          Item: { ...this.key(ws, record.id), type: this.prefix, ...record },
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      ),
    );
    if (!written) throw new Conflict(`${this.label} ${record.id} already exists`);
  }

  /** Replaces a record read at `expectedVersion`; Conflict if someone wrote it since. */
  async replace(ws: string, record: T, expectedVersion: number): Promise<void> {
    const written = await conditionalWrite(
      this.db.doc.send(
        new PutCommand({
          TableName: this.db.table,
          Item: { ...this.key(ws, record.id), type: this.prefix, ...record },
          ConditionExpression: 'attribute_exists(pk) AND #v = :v',
          ExpressionAttributeNames: { '#v': 'version' },
          ExpressionAttributeValues: { ':v': expectedVersion },
        }),
      ),
    );
    if (!written)
      throw new Conflict(`${this.label} ${record.id} was changed by another request; read it again and retry`);
  }

  /** Deletes a record; NotFound when absent. */
  async remove(ws: string, id: string): Promise<void> {
    const written = await conditionalWrite(
      this.db.doc.send(
        new DeleteCommand({
          TableName: this.db.table,
          Key: this.key(ws, id),
          ConditionExpression: 'attribute_exists(pk)',
        }),
      ),
    );
    if (!written) throw new NotFound(`${this.label} ${id} not found`);
  }

  /** A page of records in id order (ids sort by creation time). */
  async list(ws: string, opts: { limit: number; cursor?: string | undefined }): Promise<Page<T>> {
    const start = decodeCursor(opts.cursor, ['sk'], `${this.prefix}#`);
    const r = await this.db.doc.send(
      new QueryCommand({
        TableName: this.db.table,
        KeyConditionExpression: 'pk = :pk AND begins_with(sk, :p)',
        ExpressionAttributeValues: { ':pk': wsPk(ws), ':p': `${this.prefix}#` },
        Limit: opts.limit,
        ExclusiveStartKey: start ? { pk: wsPk(ws), sk: start.sk } : undefined,
        ConsistentRead: true,
      }),
    );
    return {
      items: (r.Items ?? []).map((i) => fromItem<T>(i)),
      nextCursor: encodeCursor(r.LastEvaluatedKey, ['sk']),
    };
  }
}
