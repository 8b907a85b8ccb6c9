import type { KMSClient } from '@aws-sdk/client-kms';
import type { SecretSealer } from '@drumbeat/core';
// The sealer's module alone, not the package's barrel: the API's first request would load every use-case.
import { aesGcmSealer } from '@drumbeat/services/aes-gcm-sealer';
import { KMS_PURPOSES } from './kms-purposes.js';

/** Prefix of every value this sealer produces: `sealed.kms1.<encrypted data key>.<the AES-GCM sealed value>`. */
const PREFIX = 'sealed.kms1.';
/** Data keys of other containers kept open here (each cost one Decrypt). */
const OPENED_KEYS_KEPT = 64;

/** What a KmsSealer needs: its client and the key (id, ARN or alias) data keys are made under. */
export interface KmsSealerOptions {
  /**
   * The client, or a function making it on the first seal or open: the KMS
   * client is loaded then (a dynamic import), so a cold start that handles no
   * secret skips it.
   */
  client: KMSClient | (() => Promise<KMSClient>);
  keyId: string;
  /**
   * The encryption context `purpose` bound to every data key (default: channel
   * secrets): KMS refuses to decrypt a key under another purpose, and IAM
   * grants by it, so a sealer of link secrets cannot open a channel token.
   */
  purpose?: string;
}

/**
 * The SecretSealer port on KMS, by envelope encryption: the first seal in a
 * container asks KMS for one AES-256 data key (GenerateDataKey) and keeps it,
 * so sealing costs no further KMS call; each value carries its data key
 * encrypted by KMS, and is sealed with AES-256-GCM under the plaintext key
 * with the value's context as additional data (the local sealer, reused).
 * Opening asks KMS to decrypt a data key once per container and key. The
 * master key never leaves KMS; a function allowed only GenerateDataKey can
 * seal but cannot open what another container sealed.
 */
export class KmsSealer implements SecretSealer {
  private sealing: Promise<{ blob: string; key: Uint8Array }> | undefined;
  private readonly opened = new Map<string, Promise<Uint8Array>>();
  private client: Promise<KMSClient> | undefined;

  private readonly context: Record<string, string>;

  constructor(private readonly opts: KmsSealerOptions) {
    this.context = { purpose: opts.purpose ?? KMS_PURPOSES.secrets };
  }

  /** Seals `plaintext` bound to `context` under this container's data key. */
  async seal(plaintext: string, context: string): Promise<string> {
    const { blob, key } = await this.dataKey();
    return `${PREFIX}${blob}.${await aesGcmSealer(key).seal(plaintext, context)}`;
  }

  /** Opens a value `seal` produced (here or in another container) under the same context. */
  async open(sealed: string, context: string): Promise<string> {
    if (!sealed.startsWith(PREFIX)) throw new Error('not a KMS-sealed value');
    const rest = sealed.slice(PREFIX.length);
    const dot = rest.indexOf('.');
    if (dot <= 0) throw new Error('malformed sealed value');
    const blob = rest.slice(0, dot);
    const key = await this.openKey(blob);
    return aesGcmSealer(key).open(rest.slice(dot + 1), context);
  }

  /** True for a value this sealer produced. */
  isSealed(value: string): boolean {
    return value.startsWith(PREFIX);
  }

  /** The client and the KMS module's commands, loaded on first use. */
  private async kms() {
    const commands = await import('@aws-sdk/client-kms');
    const given = this.opts.client;
    const client = await (this.client ??= typeof given === 'function' ? given() : Promise.resolve(given));
    // A failed load is not kept either.
    this.client.catch(() => (this.client = undefined));
    return { client, ...commands };
  }

  private dataKey(): Promise<{ blob: string; key: Uint8Array }> {
    this.sealing ??= (async () => {
      const { client, GenerateDataKeyCommand } = await this.kms();
      const out = await client.send(
        new GenerateDataKeyCommand({ KeyId: this.opts.keyId, KeySpec: 'AES_256', EncryptionContext: this.context }),
      );
      if (!out.CiphertextBlob || !out.Plaintext) throw new Error('KMS returned no data key');
      const blob = Buffer.from(out.CiphertextBlob).toString('base64url');
      this.opened.set(blob, Promise.resolve(out.Plaintext));
      return { blob, key: out.Plaintext };
    })();
    // A failed request (throttling, a network blip) is not kept: the next seal asks again.
    this.sealing.catch(() => (this.sealing = undefined));
    return this.sealing;
  }

  private openKey(blob: string): Promise<Uint8Array> {
    let key = this.opened.get(blob);
    if (!key) {
      key = (async () => {
        const { client, DecryptCommand } = await this.kms();
        const out = await client.send(
          new DecryptCommand({
            CiphertextBlob: Buffer.from(blob, 'base64url'),
            KeyId: this.opts.keyId,
            EncryptionContext: this.context,
          }),
        );
        if (!out.Plaintext) throw new Error('KMS returned no plaintext');
        return out.Plaintext;
      })();
      key.catch(() => this.opened.delete(blob));
      if (this.opened.size >= OPENED_KEYS_KEPT) this.opened.delete(this.opened.keys().next().value!);
      this.opened.set(blob, key);
    }
    return key;
  }
}
