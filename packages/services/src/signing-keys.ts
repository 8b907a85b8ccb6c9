import { createPrivateKey, generateKeyPairSync, sign, type KeyObject } from 'node:crypto';
import {
  checkpointMessage,
  toBase64Url,
  type Checkpoint,
  type CheckpointHead,
  type Clock,
  type Repositories,
  type SecretSealer,
} from '@drumbeat/core';

interface Signer {
  publicKey: string;
  privateKey: KeyObject;
}

const context = (ws: string) => `${ws}/signing-key`;

/**
 * Each workspace's Ed25519 checkpoint key: made on first use, its private half
 * sealed in the table (the sealing key lives outside it), its public half in
 * clear for anyone to verify with. A key is never replaced: a checkpoint
 * signed today verifies with the key published years later. Two processes
 * making the first key at once: one conditional write wins, the other reads it.
 */
export class SigningKeys {
  private readonly signers = new Map<string, Promise<Signer>>();

  constructor(
    private readonly store: Repositories,
    private readonly sealer: SecretSealer,
    private readonly clock: Clock,
  ) {}

  /** The workspace's public key (base64url), made if it has none yet. */
  async publicKey(ws: string): Promise<string> {
    return (await this.signer(ws)).publicKey;
  }

  /** Signs the ledger head `{workspace, seq, hash, at}` with the workspace's key. */
  async sign(head: CheckpointHead): Promise<Checkpoint> {
    const s = await this.signer(head.workspace);
    const signature = toBase64Url(sign(null, checkpointMessage(head), s.privateKey));
    return {
      workspace: head.workspace,
      seq: head.seq,
      hash: head.hash,
      at: head.at,
      publicKey: s.publicKey,
      signature,
    };
  }

  private signer(ws: string): Promise<Signer> {
    let s = this.signers.get(ws);
    if (!s) {
      s = this.load(ws);
      this.signers.set(ws, s);
      s.catch(() => this.signers.delete(ws));
    }
    return s;
  }

  private async load(ws: string): Promise<Signer> {
    for (let attempt = 0; attempt < 2; attempt++) {
      const found = await this.store.signingKeys.find(ws);
      if (found) {
        const pkcs8 = await this.sealer.open(found.sealedPrivateKey, context(ws));
        return {
          publicKey: found.publicKey,
          privateKey: createPrivateKey({ key: Buffer.from(pkcs8, 'base64'), format: 'der', type: 'pkcs8' }),
        };
      }
      const pair = generateKeyPairSync('ed25519');
      const publicKey = pair.publicKey.export({ format: 'jwk' }).x!;
      const pkcs8 = pair.privateKey.export({ format: 'der', type: 'pkcs8' }).toString('base64');
      const created = await this.store.signingKeys.create({
        workspaceId: ws,
        algorithm: 'Ed25519',
        publicKey,
        sealedPrivateKey: await this.sealer.seal(pkcs8, context(ws)),
        createdAt: this.clock.now().toISOString(),
      });
      if (created) return { publicKey, privateKey: pair.privateKey };
    }
    throw new Error(`signing key of ${ws}: could not be read or made`);
  }
}
