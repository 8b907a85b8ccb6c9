import type { AccountRecord, Repositories, VoiceRecord } from '@drumbeat/core';

/**
 * The account and voice of a post in one read, as the publish path and post
 * creation make it. Whether it comes from memory is the repositories' affair
 * (the embedded runtime's single-writer cache, in the store package); this
 * only keeps their call sites as they were.
 */
export class RecordCache {
  constructor(private readonly store: Repositories) {}

  accountAndVoice(
    ws: string,
    accountId: string,
    voiceId: string,
  ): Promise<{ account?: AccountRecord; voice?: VoiceRecord }> {
    return this.store.accounts.findWithVoice(ws, accountId, voiceId);
  }

  /** Nothing to do: `voices.markHasPosts` keeps the single-writer cache in step. */
  noteVoiceHasPosts(_ws: string, _id: string): void {}
}
