import type { Affiliation } from './schemas/voice.js';
import type { ChannelType } from './schemas/channel.js';

/** One publication in the attribution ledger. Append-only; `hash` chains it to the previous entry. */
export interface LedgerEntry {
  seq: number;
  postId: string;
  accountId: string;
  voice: { id: string; name: string; affiliation: Affiliation; organization: string | null };
  approvedBy: string[];
  channel: ChannelType;
  externalUrl: string | null;
  publishedAt: string;
  /** SHA-256 of the exact published text, hex. */
  contentHash: string;
  prevHash: string;
  hash: string;
}

/** The prevHash of the first entry. */
export const GENESIS_HASH = '0'.repeat(64);

/** JSON with object keys sorted at every level and no whitespace: one text per value. */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value);
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  const obj = value as Record<string, unknown>;
  return `{${Object.keys(obj)
    .filter((k) => obj[k] !== undefined)
    .sort()
    .map((k) => `${JSON.stringify(k)}:${canonicalJson(obj[k])}`)
    .join(',')}}`;
}

/** SHA-256 of UTF-8 `text`, hex (Web Crypto: the same on Node, Lambda and the edge). */
export async function sha256(text: string): Promise<string> {
  const digest = await globalThis.crypto.subtle.digest('SHA-256', new TextEncoder().encode(text));
  return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, '0')).join('');
}

/** The hash of an entry: SHA-256 over the canonical JSON of every field but `hash` (prevHash included). */
export function hashEntry(entry: Omit<LedgerEntry, 'hash'> & { hash?: string }): Promise<string> {
  const { hash: _h, ...rest } = entry;
  return sha256(canonicalJson(rest));
}

/** Where a chain breaks and why. */
export interface ChainBreak {
  seq: number;
  reason: string;
}

/**
 * Walks a ledger in sequence order and names the first entry that breaks the
 * chain: a gap or repeat in the sequence, a prevHash that is not the previous
 * entry's hash, or a hash that does not match the entry's content.
 */
export async function verifyChain(entries: LedgerEntry[]): Promise<{ ok: boolean; entries: number; firstBroken?: ChainBreak }> {
  let prev = GENESIS_HASH;
  let expectedSeq = 1;
  for (const e of entries) {
    const broken = (reason: string) => ({ ok: false, entries: entries.length, firstBroken: { seq: e.seq, reason } });
    if (e.seq !== expectedSeq) return broken(`sequence jumps from ${expectedSeq - 1} to ${e.seq}`);
    if (e.prevHash !== prev) return broken('prevHash does not match the previous entry');
    if ((await hashEntry(e)) !== e.hash) return broken('hash does not match the entry content');
    prev = e.hash;
    expectedSeq++;
  }
  return { ok: true, entries: entries.length };
}
