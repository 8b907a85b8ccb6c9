import type { AccountRecord, VoiceRecord } from '@drumbeat/core';
import { getAccountAndVoice, type Store } from '@drumbeat/store';

const MAX_ENTRIES = 10_000;

/**
 * Accounts and voices as the publish path reads them. When this process is
 * the table's only writer (the embedded runtime: the store's files are locked
 * to one process), every change goes through the services, which forget the
 * changed record here, so the cache is exact and a publish needs no read of
 * them. Elsewhere (AWS: many writers) it is off and every publish reads both
 * in one BatchGetItem.
 */
export class RecordCache {
  private readonly accounts = new Map<string, AccountRecord>();
  private readonly voices = new Map<string, VoiceRecord>();

  constructor(
    private readonly store: Store,
    readonly enabled: boolean,
  ) {}

  /** The account and voice of a post: from memory when known, else one batch read. */
  async accountAndVoice(ws: string, accountId: string, voiceId: string): Promise<{ account?: AccountRecord; voice?: VoiceRecord }> {
    const ak = `${ws}/${accountId}`;
    const vk = `${ws}/${voiceId}`;
    if (this.enabled) {
      const account = this.accounts.get(ak);
      const voice = this.voices.get(vk);
      if (account && voice) return { account, voice };
    }
    const found = await getAccountAndVoice(this.store.db, ws, accountId, voiceId);
    if (this.enabled) {
      if (found.account) remember(this.accounts, ak, found.account);
      if (found.voice) remember(this.voices, vk, found.voice);
    }
    return found;
  }

  /** Drops an account after it changed. */
  forgetAccount(ws: string, id: string): void {
    this.accounts.delete(`${ws}/${id}`);
  }

  /** Drops a voice after it changed. */
  forgetVoice(ws: string, id: string): void {
    this.voices.delete(`${ws}/${id}`);
  }
}

function remember<T>(map: Map<string, T>, key: string, value: T): void {
  if (map.size >= MAX_ENTRIES) map.delete(map.keys().next().value!);
  map.set(key, value);
}
