import type { AccountRecord, Repositories, VoiceRecord } from '@drumbeat/core';
import { ExactCache } from './exact-cache.js';

/**
 * Accounts and voices as the publish path and post creation read them: from
 * memory when this process is the table's only writer (see ExactCache), so
 * neither a publish nor a new post needs to read them; elsewhere (AWS: many
 * writers) both in one BatchGetItem.
 */
export class RecordCache {
  private readonly accounts: ExactCache<AccountRecord>;
  private readonly voices: ExactCache<VoiceRecord>;
  /** Reads under way, by account and voice, with the count of changes when each began: a read older than a change is not shared. */
  private readonly reading = new Map<
    string,
    { changes: number; read: Promise<{ account?: AccountRecord; voice?: VoiceRecord }> }
  >();
  private changes = 0;

  constructor(
    private readonly store: Repositories,
    readonly enabled: boolean,
  ) {
    this.accounts = new ExactCache(enabled);
    this.voices = new ExactCache(enabled);
  }

  /**
   * The account and voice of a post: from memory when known, else one batch
   * read, shared by the callers that miss together (a burst's first round,
   * where every publish asks at once) unless a change came in meanwhile.
   */
  async accountAndVoice(
    ws: string,
    accountId: string,
    voiceId: string,
  ): Promise<{ account?: AccountRecord; voice?: VoiceRecord }> {
    const ak = `${ws}/${accountId}`;
    const vk = `${ws}/${voiceId}`;
    const account = this.accounts.get(ak);
    const voice = this.voices.get(vk);
    if (account && voice) return { account, voice };
    if (!this.enabled) return this.read(ws, accountId, voiceId);
    const key = `${ak}\n${vk}`;
    const pending = this.reading.get(key);
    if (pending?.changes === this.changes) return pending.read;
    const read = this.read(ws, accountId, voiceId);
    const entry = { changes: this.changes, read };
    this.reading.set(key, entry);
    const forget = () => void (this.reading.get(key) === entry && this.reading.delete(key));
    read.then(forget, forget);
    return read;
  }

  /** One read for both; each cache remembers its half unless it forgot something meanwhile. */
  private async read(
    ws: string,
    accountId: string,
    voiceId: string,
  ): Promise<{ account?: AccountRecord; voice?: VoiceRecord }> {
    const found = this.store.accounts.findWithVoice(ws, accountId, voiceId);
    const [a, v] = await Promise.all([
      this.accounts.remembering(`${ws}/${accountId}`, async () => (await found).account),
      this.voices.remembering(`${ws}/${voiceId}`, async () => (await found).voice),
    ]);
    return { ...(a ? { account: a } : {}), ...(v ? { voice: v } : {}) };
  }

  /** Drops an account after it changed. */
  forgetAccount(ws: string, id: string): void {
    this.changes++;
    this.accounts.forget(`${ws}/${id}`);
  }

  /**
   * Notes that a voice has written a post (the marker changes nothing else
   * and may be set twice, so a read racing it needs no forgetting).
   */
  noteVoiceHasPosts(ws: string, id: string): void {
    this.voices.update(`${ws}/${id}`, (v) => (v.hasPosts ? v : { ...v, hasPosts: true }));
  }

  /** Drops a voice after it changed. */
  forgetVoice(ws: string, id: string): void {
    this.changes++;
    this.voices.forget(`${ws}/${id}`);
  }
}
