import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { aesGcmSealer } from './aes-gcm-sealer.js';

describe('aesGcmSealer', () => {
  const sealer = aesGcmSealer(randomBytes(32));

  it('opens what it sealed, under the same context, and never shows the plaintext', async () => {
    const secret = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw é ☕';
    const sealed = await sealer.seal(secret, 'ws_1/acc_1/channel.secret');
    expect(sealed).not.toContain('whsec_');
    expect(sealer.isSealed(sealed)).toBe(true);
    expect(sealer.isSealed(secret)).toBe(false);
    expect(await sealer.open(sealed, 'ws_1/acc_1/channel.secret')).toBe(secret);
  });

  it('seals the same text differently each time (random IV)', async () => {
    expect(await sealer.seal('x', 'c')).not.toBe(await sealer.seal('x', 'c'));
  });

  it('refuses a value moved to another context', async () => {
    const sealed = await sealer.seal('token', 'ws_1/acc_1/channel.token');
    await expect(sealer.open(sealed, 'ws_2/acc_1/channel.token')).rejects.toThrow();
  });

  it('refuses an altered value', async () => {
    const sealed = await sealer.seal('token', 'c');
    const parts = sealed.split('.');
    const body = Buffer.from(parts[4]!, 'base64url');
    body[0] = body[0]! ^ 1;
    parts[4] = body.toString('base64url');
    await expect(sealer.open(parts.join('.'), 'c')).rejects.toThrow();
  });

  it('names a value sealed under another key', async () => {
    const other = aesGcmSealer(randomBytes(32));
    await expect(other.open(await sealer.seal('t', 'c'), 'c')).rejects.toThrow(/not this sealing key/);
  });

  it('refuses a key of the wrong size', () => {
    expect(() => aesGcmSealer(randomBytes(16))).toThrow(/32 bytes/);
  });
});
