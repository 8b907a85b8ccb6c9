import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';
import type { SecretSealer } from '@drumbeat/core';

/** Prefix of every value this sealer produces: `sealed.v1.<keyId>.<iv>.<ciphertext+tag>` (base64url parts). */
const PREFIX = 'sealed.v1.';

/**
 * AES-256-GCM sealing under one 32-byte key (kept outside the table by the
 * composition root). The context is the additional authenticated data, so a
 * value only opens where it was sealed; the key id (a hash prefix of the key)
 * says which key sealed a value, so a wrong key is named, not a garbled read.
 */
export function aesGcmSealer(key: Uint8Array): SecretSealer {
  if (key.length !== 32) throw new Error(`the sealing key must be 32 bytes, got ${key.length}`);
  const keyId = createHash('sha256').update(key).digest('base64url').slice(0, 8);
  return {
    async seal(plaintext, context) {
      const iv = randomBytes(12);
      const cipher = createCipheriv('aes-256-gcm', key, iv);
      cipher.setAAD(Buffer.from(context, 'utf8'));
      const body = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final(), cipher.getAuthTag()]);
      return `${PREFIX}${keyId}.${iv.toString('base64url')}.${body.toString('base64url')}`;
    },
    async open(sealed, context) {
      if (!sealed.startsWith(PREFIX)) throw new Error('not a sealed value');
      const [id, ivPart, bodyPart] = sealed.slice(PREFIX.length).split('.');
      if (!id || !ivPart || !bodyPart) throw new Error('malformed sealed value');
      if (id !== keyId) throw new Error(`sealed under key ${id}, not this sealing key (${keyId})`);
      const body = Buffer.from(bodyPart, 'base64url');
      if (body.length < 16) throw new Error('malformed sealed value');
      const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(ivPart, 'base64url'));
      decipher.setAAD(Buffer.from(context, 'utf8'));
      decipher.setAuthTag(body.subarray(body.length - 16));
      return Buffer.concat([decipher.update(body.subarray(0, body.length - 16)), decipher.final()]).toString('utf8');
    },
    isSealed: (value) => value.startsWith(PREFIX),
  };
}
