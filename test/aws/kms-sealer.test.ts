import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KMSClient } from '@aws-sdk/client-kms';
import { KMS_PURPOSES, KmsSealer } from '@drumbeat/aws';
import { KmsStandin } from '../support/kms-standin.js';

const KEY = '1234abcd-12ab-34cd-56ef-1234567890ab';
const OTHER_KEY = '0000abcd-12ab-34cd-56ef-1234567890ab';
let kms: KmsStandin;
/** A fresh client and sealer: what one Lambda container holds. */
const container = (keyId = KmsStandin.arn(KEY), purpose?: string) =>
  new KmsSealer({
    client: new KMSClient({
      endpoint: kms.endpoint,
      region: 'us-east-1',
      credentials: { accessKeyId: 'AKIDLOCAL', secretAccessKey: 'local' },
      maxAttempts: 1,
    }),
    keyId,
    ...(purpose ? { purpose } : {}),
  });

beforeAll(async () => {
  kms = await KmsStandin.start([KEY, OTHER_KEY]);
});
afterAll(async () => {
  await kms.close();
});

describe('the KMS sealer (envelope encryption through the real SDK)', () => {
  it('seals under one data key per container and opens in another container with one Decrypt per key', async () => {
    const api = container();
    const before = kms.requests.length;
    const sealed = await Promise.all(
      ['token-a', 'token-b', 'token-c'].map((t, i) => api.seal(t, `ws_1/acc_${i}/channel.token`)),
    );
    expect(kms.requests.slice(before).map((r) => r.operation)).toEqual(['GenerateDataKey']);
    expect(kms.requestsOf('GenerateDataKey').at(-1)!.body).toMatchObject({
      KeyId: KmsStandin.arn(KEY),
      KeySpec: 'AES_256',
      EncryptionContext: { purpose: 'drumbeat-secrets' },
    });
    for (const s of sealed) {
      expect(api.isSealed(s)).toBe(true);
      expect(s).not.toMatch(/token-/);
    }
    const publish = container();
    const mark = kms.requests.length;
    expect(await Promise.all(sealed.map((s, i) => publish.open(s, `ws_1/acc_${i}/channel.token`)))).toEqual([
      'token-a',
      'token-b',
      'token-c',
    ]);
    expect(kms.requests.slice(mark).map((r) => r.operation)).toEqual(['Decrypt']);
  });

  it('opens a value only under the context it was sealed with', async () => {
    const sealed = await container().seal('app-password', 'ws_1/acc_2/channel.password');
    await expect(container().open(sealed, 'ws_2/acc_2/channel.password')).rejects.toThrow();
    expect(await container().open(sealed, 'ws_1/acc_2/channel.password')).toBe('app-password');
  });

  it('refuses a tampered data key, a tampered value, and a key other than its own', async () => {
    const sealed = await container().seal('s3cret', 'ctx');
    const [, , blob, ...inner] = sealed.split('.');
    const flip = (s: string, at: number) => s.slice(0, at) + (s[at] === 'A' ? 'B' : 'A') + s.slice(at + 1);
    await expect(container().open(['sealed', 'kms1', flip(blob!, 60), ...inner].join('.'), 'ctx')).rejects.toThrow(
      /invalid ciphertext/i,
    );
    const body = inner.at(-1)!;
    await expect(
      container().open(['sealed', 'kms1', blob, ...inner.slice(0, -1), flip(body, 3)].join('.'), 'ctx'),
    ).rejects.toThrow();
    await expect(container(KmsStandin.arn(OTHER_KEY)).open(sealed, 'ctx')).rejects.toThrow(/another key/);
    await expect(container().open('sealed.v1.abc.def.ghi', 'ctx')).rejects.toThrow(/not a KMS-sealed value/);
    expect(container().isSealed('plain')).toBe(false);
  });

  it("seals without Decrypt (the API) but cannot open another container's values without it", async () => {
    const sealed = await container().seal('hook-secret', 'ws_1/hook_1/secret');
    kms.deny.add('Decrypt');
    try {
      const api = container();
      await expect(api.seal('another', 'ctx')).resolves.toMatch(/^sealed\.kms1\./);
      await expect(api.open(sealed, 'ws_1/hook_1/secret')).rejects.toThrow(/not authorized/);
    } finally {
      kms.deny.delete('Decrypt');
    }
    // A refused Decrypt is not cached: with the permission, the same container opens it.
    expect(await container().open(sealed, 'ws_1/hook_1/secret')).toBe('hook-secret');
  });

  it('asks KMS again after a failed GenerateDataKey instead of keeping the failure', async () => {
    const sealer = container();
    kms.deny.add('GenerateDataKey');
    await expect(sealer.seal('x', 'ctx')).rejects.toThrow(/not authorized/);
    kms.deny.delete('GenerateDataKey');
    expect(await sealer.open(await sealer.seal('x', 'ctx'), 'ctx')).toBe('x');
  });

  it('keeps link secrets under their own purpose: a function granted only that purpose (the API) opens them across containers, and never a channel secret', async () => {
    const channelToken = await container().seal('mastodon-token', 'ws_1/acc_1/channel.token');
    const linkSecret = await container(undefined, KMS_PURPOSES.linkSecrets).seal('hmac-secret', 'ws_1/link-secret');
    expect(kms.requestsOf('GenerateDataKey').at(-1)!.body).toMatchObject({
      EncryptionContext: { purpose: KMS_PURPOSES.linkSecrets },
    });
    const only = new Set<string>([KMS_PURPOSES.linkSecrets]);
    kms.onlyPurposes = { GenerateDataKey: only, Decrypt: only };
    try {
      // Another API container: the link secret opens, and it can make new ones.
      const api = container(undefined, KMS_PURPOSES.linkSecrets);
      expect(await api.open(linkSecret, 'ws_1/link-secret')).toBe('hmac-secret');
      expect(await api.open(await api.seal('next-generation', 'ws_1/link-secret'), 'ws_1/link-secret')).toBe(
        'next-generation',
      );
      // The channel token: refused by the policy under its own purpose, and by KMS under the link purpose.
      await expect(container().open(channelToken, 'ws_1/acc_1/channel.token')).rejects.toThrow(/not authorized/);
      await expect(api.open(channelToken, 'ws_1/acc_1/channel.token')).rejects.toThrow(/invalid ciphertext/i);
    } finally {
      kms.onlyPurposes = {};
    }
    expect(await container().open(channelToken, 'ws_1/acc_1/channel.token')).toBe('mastodon-token');
  });
});
