import { canonicalJson } from './ledger.js';

/**
 * A checkpoint: the head of a workspace's ledger (`seq`, `hash`) at an instant,
 * signed with the workspace's Ed25519 key. Whoever keeps one can later prove
 * that the ledger they are shown still contains that head: a rewritten or
 * rolled-back ledger no longer does. Like Certificate Transparency's signed
 * tree heads, it is only as strong as the copies held outside drumbeat.
 */
export interface Checkpoint {
  workspace: string;
  seq: number;
  /** The hash of the entry at `seq` (hex). */
  hash: string;
  /** When it was signed (UTC ISO 8601). */
  at: string;
  /** The workspace's Ed25519 public key: 32 raw bytes, base64url. */
  publicKey: string;
  /** Ed25519 signature of `checkpointMessage(...)`, base64url. */
  signature: string;
}

/** What is signed: `{workspace, seq, hash, at}` without `publicKey` or `signature`. */
export type CheckpointHead = Pick<Checkpoint, 'workspace' | 'seq' | 'hash' | 'at'>;

/** Domain separation: a checkpoint signature can never be mistaken for another drumbeat signature. */
const CONTEXT = 'drumbeat-checkpoint/v1\n';

/** The exact bytes a checkpoint's signature covers: a fixed prefix and the head's canonical JSON. */
export function checkpointMessage(head: CheckpointHead): Uint8Array {
  return new TextEncoder().encode(
    CONTEXT + canonicalJson({ workspace: head.workspace, seq: head.seq, hash: head.hash, at: head.at }),
  );
}

/** Decodes base64url (or base64) to bytes, in any JavaScript runtime. */
export function fromBase64Url(s: string): Uint8Array {
  const b64 = s.replace(/-/g, '+').replace(/_/g, '/');
  const bin = atob(b64 + '='.repeat((4 - (b64.length % 4)) % 4));
  return Uint8Array.from(bin, (c) => c.charCodeAt(0));
}

/** Encodes bytes as unpadded base64url. */
export function toBase64Url(bytes: Uint8Array): string {
  let bin = '';
  for (const b of bytes) bin += String.fromCharCode(b);
  return btoa(bin).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

type VerifyKey = Awaited<ReturnType<typeof globalThis.crypto.subtle.importKey>>;
const imported = new Map<string, Promise<VerifyKey>>();

/**
 * True when the checkpoint's signature verifies under `publicKey` (its own
 * when not given). Web Crypto Ed25519: the same code in Node 20+, browsers,
 * Deno and workers. A malformed key or signature is simply false.
 */
export async function verifyCheckpoint(cp: Checkpoint, publicKey: string = cp.publicKey): Promise<boolean> {
  try {
    let key = imported.get(publicKey);
    if (!key) {
      key = globalThis.crypto.subtle.importKey('raw', fromBase64Url(publicKey), { name: 'Ed25519' }, false, ['verify']);
      imported.set(publicKey, key);
      key.catch(() => imported.delete(publicKey));
    }
    return await globalThis.crypto.subtle.verify(
      { name: 'Ed25519' },
      await key,
      fromBase64Url(cp.signature),
      checkpointMessage(cp),
    );
  } catch {
    return false;
  }
}
