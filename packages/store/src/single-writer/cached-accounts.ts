import type { AccountRecord, AccountRepository, PageRequest, RecordPage, VoiceRecord } from '@drumbeat/core';
import type { AccountVoiceCache } from './account-voice-cache.js';
import { forgetting } from './forgetting.js';

/**
 * Accounts for the table's only writer: `findWithVoice` from memory, every
 * write forgets the account. The other reads go to the table, as before.
 */
export class CachedAccounts implements AccountRepository {
  constructor(
    private readonly inner: AccountRepository,
    private readonly cache: AccountVoiceCache,
  ) {}

  findWithVoice(
    ws: string,
    accountId: string,
    voiceId: string,
  ): Promise<{ account?: AccountRecord; voice?: VoiceRecord }> {
    return this.cache.findWithVoice(ws, accountId, voiceId);
  }

  create(ws: string, record: AccountRecord): Promise<void> {
    return forgetting(
      () => this.cache.forgetAccount(ws, record.id),
      () => this.inner.create(ws, record),
    );
  }

  replace(ws: string, record: AccountRecord, expectedVersion: number): Promise<void> {
    return forgetting(
      () => this.cache.forgetAccount(ws, record.id),
      () => this.inner.replace(ws, record, expectedVersion),
    );
  }

  find(ws: string, id: string): Promise<AccountRecord | undefined> {
    return this.inner.find(ws, id);
  }

  get(ws: string, id: string): Promise<AccountRecord> {
    return this.inner.get(ws, id);
  }

  list(ws: string, page: PageRequest): Promise<RecordPage<AccountRecord>> {
    return this.inner.list(ws, page);
  }
}
