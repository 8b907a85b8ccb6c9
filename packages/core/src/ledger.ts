import type { Affiliation } from './schemas/voice.js';
import type { ChannelType } from './schemas/channel.js';
import type { SOURCE_KINDS } from './schemas/post.js';

type SourceKind = (typeof SOURCE_KINDS)[number];

/** One publication in the attribution ledger. Append-only; `hash` chains it to the previous entry. */
export interface LedgerEntry {
  seq: number;
  postId: string;
  accountId: string;
  voice: { id: string; name: string; affiliation: Affiliation; organization: string | null };
  approvedBy: string[];
  /**
   * Who approved and how it was entered: the voice, the API key that entered
   * the approval, and whether that key acted on the voice's behalf. Absent on
   * entries written before keys were recorded (their hash does not cover it).
   */
  approvals?: { voiceId: string; enteredBy: string | null; onBehalf: boolean }[];
  /** A manual publication: the key that recorded it and its person (null for a workspace key). */
  recordedBy?: { keyId: string; voiceId: string | null };
  /**
   * How the post came in and how it was last edited (`mcp`: drafted with an
   * assistant, with its client's name). Absent on entries written before
   * provenance was recorded: their hash does not cover it and stays valid.
   */
  source?: { kind: SourceKind; client?: string };
  editSource?: { kind: SourceKind; client?: string };
  /**
   * `reply`: an answer to an inbound item (issue 18), which `answers` names.
   * Absent on posts (and on every entry written before answers existed, whose
   * hash does not cover it and stays valid).
   */
  kind?: 'reply';
  answers?: { conversationId: string; network: string; externalId: string; url: string | null; author: string };
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

const HEX = Array.from({ length: 256 }, (_, b) => b.toString(16).padStart(2, '0'));
const utf8 = new TextEncoder();

/**
 * SHA-256 of UTF-8 `text`, hex, with Web Crypto (`crypto.subtle.digest`): the
 * same on Node, Deno, Lambda, the edge and in browsers, and no `node:` import.
 */
export async function sha256(text: string): Promise<string> {
  const digest = new Uint8Array(await globalThis.crypto.subtle.digest('SHA-256', utf8.encode(text)));
  let out = '';
  for (const b of digest) out += HEX[b];
  return out;
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
export async function verifyChain(
  entries: LedgerEntry[],
): Promise<{ ok: boolean; entries: number; firstBroken?: ChainBreak }> {
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

/**
 * Splits the newest entries of a ledger (ascending) into the chain that holds
 * and the torn end after it: entries written after a gap or off the chain,
 * which only a group of appends cut short by a crash leaves (their writes were
 * never acknowledged). `fromGenesis`: these are all the ledger's entries, so
 * the first must follow the genesis; otherwise the first is taken as sound.
 */
export function tornTail(entries: LedgerEntry[], fromGenesis: boolean): { sound: LedgerEntry[]; torn: LedgerEntry[] } {
  let prev = fromGenesis ? { seq: 0, hash: GENESIS_HASH } : undefined;
  for (let i = 0; i < entries.length; i++) {
    const e = entries[i]!;
    if (prev && (e.seq !== prev.seq + 1 || e.prevHash !== prev.hash))
      return { sound: entries.slice(0, i), torn: entries.slice(i) };
    prev = { seq: e.seq, hash: e.hash };
  }
  return { sound: entries, torn: [] };
}
