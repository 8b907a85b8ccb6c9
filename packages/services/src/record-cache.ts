import type { AccountRecord, VoiceRecord } from '@drumbeat/core';
import { getAccountAndVoice, type Store } from '@drumbeat/store';

const MAX_ENTRIES = 10_000;

/**
 * Accounts and voices as the publish path and post creation read them. When
 * this process is the table's only writer (the embedded runtime: the store's
 * files are locked to one process), every change goes through the services,
 * which forget the changed record here, so the cache is exact and neither a
 * publish nor a new post needs to read them. Elsewhere (AWS: many writers) it
 * is off and every caller reads both in one BatchGetItem.
 *
 * A read that was under way when a record was forgotten may have seen the
 * record before the change: it is returned to its caller (it raced the
 * change) but not remembered, so no stale record outlives a `forget`.
 */
export class RecordCache {
  private readonly accounts = new Map<string, AccountRecord>();
  private readonly voices = new Map<string, VoiceRecord>();
  /** Bumped by every forget; a read remembers what it found only if none happened while it ran. */
  private generation = 0;

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
    const generation = this.generation;
    const found = await getAccountAndVoice(this.store.db, ws, accountId, voiceId);
    if (this.enabled && generation === this.generation) {
      if (found.account) remember(this.accounts, ak, found.account);
      if (found.voice) remember(this.voices, vk, found.voice);
    }
    return found;
  }

  /** Drops an account after it changed. */
  forgetAccount(ws: string, id: string): void {
    this.generation++;
    this.accounts.delete(`${ws}/${id}`);
  }

  /**
   * Notes that a voice has written a post (the marker changes nothing else
   * and may be set twice, so a read racing it needs no forgetting).
   */
  noteVoiceHasPosts(ws: string, id: string): void {
    const k = `${ws}/${id}`;
    const v = this.voices.get(k);
    if (v && !v.hasPosts) this.voices.set(k, { ...v, hasPosts: true });
  }

  /** Drops a voice after it changed. */
  forgetVoice(ws: string, id: string): void {
    this.generation++;
    this.voices.delete(`${ws}/${id}`);
  }
}

function remember<T>(map: Map<string, T>, key: string, value: T): void {
  if (map.size >= MAX_ENTRIES && !map.has(key)) map.delete(map.keys().next().value!);
  map.set(key, value);
}
