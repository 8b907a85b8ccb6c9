import type { PageRequest, RecordPage, VoiceRecord, VoiceRepository } from '@drumbeat/core';
import type { AccountVoiceCache } from './account-voice-cache.js';
import { forgetting } from './forgetting.js';

/**
 * Voices for the table's only writer: every write forgets the voice kept for
 * `findWithVoice` (the has-posts marker updates it in place). Reads go to the
 * table, as before.
 */
export class CachedVoices implements VoiceRepository {
  constructor(
    private readonly inner: VoiceRepository,
    private readonly cache: AccountVoiceCache,
  ) {}

  create(ws: string, record: VoiceRecord): Promise<void> {
    return forgetting(
      () => this.cache.forgetVoice(ws, record.id),
      () => this.inner.create(ws, record),
    );
  }

  replace(ws: string, record: VoiceRecord, expectedVersion: number): Promise<void> {
    return forgetting(
      () => this.cache.forgetVoice(ws, record.id),
      () => this.inner.replace(ws, record, expectedVersion),
    );
  }

  removeUnlessPosted(ws: string, id: string): Promise<void> {
    return forgetting(
      () => this.cache.forgetVoice(ws, id),
      () => this.inner.removeUnlessPosted(ws, id),
    );
  }

  async markHasPosts(ws: string, id: string): Promise<void> {
    await this.inner.markHasPosts(ws, id);
    this.cache.noteVoiceHasPosts(ws, id);
  }

  find(ws: string, id: string): Promise<VoiceRecord | undefined> {
    return this.inner.find(ws, id);
  }

  get(ws: string, id: string): Promise<VoiceRecord> {
    return this.inner.get(ws, id);
  }

  list(ws: string, page: PageRequest): Promise<RecordPage<VoiceRecord>> {
    return this.inner.list(ws, page);
  }
}
