import type { AccountRecord, AccountRepository, VoiceRecord } from '@drumbeat/core';
import { ExactCache } from './exact-cache.js';

type Found = { account?: AccountRecord; voice?: VoiceRecord };

/**
 * Accounts and voices as the publish path and post creation read them (one
 * `findWithVoice` a post), from memory once known. Callers that miss together
 * (a burst's first round, where every publish asks at once) share one read,
 * unless a change came in meanwhile.
 */
export class AccountVoiceCache {
  private readonly accounts = new ExactCache<AccountRecord>();
  private readonly voices = new ExactCache<VoiceRecord>();
  /** Reads under way, by account and voice, with the count of changes when each began: a read older than a change is not shared. */
  private readonly reading = new Map<string, { changes: number; read: Promise<Found> }>();
  private changes = 0;

  constructor(private readonly inner: AccountRepository) {}

  /** The account and voice: from memory when both are known, else one read shared by the callers that miss together. */
  async findWithVoice(ws: string, accountId: string, voiceId: string): Promise<Found> {
    const ak = `${ws}/${accountId}`;
    const vk = `${ws}/${voiceId}`;
    const account = this.accounts.get(ak);
    const voice = this.voices.get(vk);
    if (account && voice) return { account, voice };
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
  private async read(ws: string, accountId: string, voiceId: string): Promise<Found> {
    const found = this.inner.findWithVoice(ws, accountId, voiceId);
    const [a, v] = await Promise.all([
      this.accounts.remembering(`${ws}/${accountId}`, async () => (await found).account),
      this.voices.remembering(`${ws}/${voiceId}`, async () => (await found).voice),
    ]);
    return { ...(a ? { account: a } : {}), ...(v ? { voice: v } : {}) };
  }

  /** Drops an account that is changing or changed. */
  forgetAccount(ws: string, id: string): void {
    this.changes++;
    this.accounts.forget(`${ws}/${id}`);
  }

  /** Drops a voice that is changing or changed. */
  forgetVoice(ws: string, id: string): void {
    this.changes++;
    this.voices.forget(`${ws}/${id}`);
  }

  /**
   * Notes that a voice has written a post (the marker changes nothing else
   * and may be set twice, so a read racing it needs no forgetting).
   */
  noteVoiceHasPosts(ws: string, id: string): void {
    this.voices.update(`${ws}/${id}`, (v) => (v.hasPosts ? v : { ...v, hasPosts: true }));
  }
}
