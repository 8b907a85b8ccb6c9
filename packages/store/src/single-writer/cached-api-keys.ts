import type { ApiKeyRepository, KeyRecord, PageRequest, RecordPage } from '@drumbeat/core';
import { ExactCache } from './exact-cache.js';
import { forgetting } from './forgetting.js';

/**
 * API keys for the table's only writer: a valid (unrevoked) key is read once
 * and then found in memory, so authenticating a request needs no read;
 * `revoke` forgets the key, so the next request with it reads it again and
 * is refused. A revoked key is never remembered.
 */
export class CachedApiKeys implements ApiKeyRepository {
  /** Unrevoked keys by `<workspace>/<key id>`. */
  private readonly valid = new ExactCache<KeyRecord>();

  constructor(private readonly inner: ApiKeyRepository) {}

  async find(ws: string, id: string): Promise<KeyRecord | undefined> {
    let revoked: KeyRecord | undefined;
    const valid = await this.valid.through(`${ws}/${id}`, async () => {
      const record = await this.inner.find(ws, id);
      if (!record?.revokedAt) return record;
      revoked = record;
      return undefined;
    });
    return valid ?? revoked;
  }

  revoke(ws: string, id: string, at: Date): Promise<KeyRecord> {
    return forgetting(
      () => this.valid.forget(`${ws}/${id}`),
      () => this.inner.revoke(ws, id, at),
    );
  }

  create(ws: string, record: KeyRecord): Promise<void> {
    return forgetting(
      () => this.valid.forget(`${ws}/${record.id}`),
      () => this.inner.create(ws, record),
    );
  }

  list(ws: string, page: PageRequest): Promise<RecordPage<KeyRecord>> {
    return this.inner.list(ws, page);
  }
}
