/**
 * Remembered responses, sealed with the credential that asked for them.
 *
 * A POST's response can hold a secret shown once (an API key, a `whsec_`
 * signing secret). Idempotency replays must return it, yet the table must not
 * keep it readable: the body is encrypted (AES-256-GCM) under a key derived
 * (HKDF-SHA-256) from the request's bearer credential and its Idempotency-Key.
 * Credentials are stored only as hashes, so a copy of the table cannot open a
 * sealed body, and only a retry presenting the same credential can.
 */

import type { webcrypto } from 'node:crypto';

const PREFIX = 'sealed.v1.';
const te = new TextEncoder();

const b64url = (bytes: Uint8Array) => Buffer.from(bytes).toString('base64url');
const unb64url = (text: string) => new Uint8Array(Buffer.from(text, 'base64url'));

async function derive(credential: string, idempotencyKey: string): Promise<webcrypto.CryptoKey> {
  const ikm = await crypto.subtle.importKey('raw', te.encode(credential), 'HKDF', false, ['deriveKey']);
  return crypto.subtle.deriveKey(
    { name: 'HKDF', hash: 'SHA-256', salt: te.encode(idempotencyKey), info: te.encode('drumbeat idempotent response') },
    ikm,
    { name: 'AES-GCM', length: 256 },
    false,
    ['encrypt', 'decrypt'],
  );
}

/** Encrypts `body` so that only `open` with the same credential and Idempotency-Key reads it. */
export async function seal(credential: string, idempotencyKey: string, body: string): Promise<string> {
  const iv = crypto.getRandomValues(new Uint8Array(12));
  const sealed = await crypto.subtle.encrypt(
    { name: 'AES-GCM', iv },
    await derive(credential, idempotencyKey),
    te.encode(body),
  );
  return `${PREFIX}${b64url(iv)}.${b64url(new Uint8Array(sealed))}`;
}

/** The body `seal` sealed, or undefined when this credential cannot open it (another key, or tampering). */
export async function open(credential: string, idempotencyKey: string, stored: string): Promise<string | undefined> {
  if (!stored.startsWith(PREFIX)) return undefined;
  const [iv, data] = stored.slice(PREFIX.length).split('.');
  if (!iv || !data) return undefined;
  try {
    const plain = await crypto.subtle.decrypt(
      { name: 'AES-GCM', iv: unb64url(iv) },
      await derive(credential, idempotencyKey),
      unb64url(data),
    );
    return new TextDecoder().decode(plain);
  } catch {
    return undefined;
  }
}
