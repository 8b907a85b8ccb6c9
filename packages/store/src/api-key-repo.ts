import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { NotFound, type ApiKeyRepository, type KeyRecord } from '@drumbeat/core';
import { Collection } from './collection.js';
import { fromItem, isConditionFailed, type Db } from './db.js';
import { apiKeyKey, API_KEY_PREFIX } from './table/api-key-keys.js';

/** API keys of a workspace (hashes only). */
export class ApiKeyRepo extends Collection<KeyRecord & { version?: number }> implements ApiKeyRepository {
  constructor(private readonly dbh: Db) {
    super(dbh, API_KEY_PREFIX, 'key');
  }

  /** Marks a key revoked at `at`; returns the revoked record. Revoking twice keeps the first instant. */
  async revoke(ws: string, id: string, at: Date): Promise<KeyRecord> {
    try {
      const r = await this.dbh.doc.send(
        new UpdateCommand({
          TableName: this.dbh.table,
          Key: apiKeyKey(ws, id),
          UpdateExpression: 'SET revokedAt = if_not_exists(revokedAt, :at)',
          ConditionExpression: 'attribute_exists(pk)',
          ExpressionAttributeValues: { ':at': at.toISOString() },
          ReturnValues: 'ALL_NEW',
        }),
      );
      return fromItem<KeyRecord>(r.Attributes!);
    } catch (err) {
      if (isConditionFailed(err)) throw new NotFound(`key ${id} not found`);
      throw err;
    }
  }
}
