import { GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import type { ChannelSessionRepository } from '@drumbeat/core';
import type { Db } from './db.js';
import { channelSessionKey } from './table/account-keys.js';

/**
 * What a channel keeps between publishes for one account (a Bluesky session),
 * as an opaque value the caller has sealed: the table never holds it in clear.
 * One row per account, overwritten by the latest session.
 */
export class ChannelSessionRepo implements ChannelSessionRepository {
  constructor(private readonly db: Db) {}

  /** The sealed value kept for `account`, if any. */
  async get(ws: string, account: string): Promise<string | undefined> {
    const r = await this.db.doc.send(
      new GetCommand({ TableName: this.db.table, Key: channelSessionKey(ws, account), ConsistentRead: true }),
    );
    return typeof r.Item?.sealed === 'string' ? r.Item.sealed : undefined;
  }

  /** Keeps `sealed` for `account`, replacing what was there. */
  async put(ws: string, account: string, sealed: string, now: Date): Promise<void> {
    await this.db.doc.send(
      new PutCommand({
        TableName: this.db.table,
        Item: { ...channelSessionKey(ws, account), type: 'CHANNEL_SESSION', sealed, updatedAt: now.toISOString() },
      }),
    );
  }
}
