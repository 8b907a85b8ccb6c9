import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { getItem, conditionalWrite, type Db } from './db.js';
import { signingKeyKey } from './table/workspace-keys.js';

/** A workspace's checkpoint signing key as stored: the public half in clear, the private half sealed. */
export interface SigningKeyRecord {
  workspaceId: string;
  algorithm: 'Ed25519';
  /** 32 raw bytes, base64url. */
  publicKey: string;
  /** The PKCS#8 private key, sealed by the `SecretSealer` under the context `<workspace>/signing-key`. */
  sealedPrivateKey: string;
  createdAt: string;
}

/** One signing key per workspace, at `SIGNING_KEY` in its partition; written once, never replaced. */
export class SigningKeyRepo {
  constructor(private readonly db: Db) {}

  /** The workspace's key, or undefined. */
  async find(ws: string): Promise<SigningKeyRecord | undefined> {
    return getItem<SigningKeyRecord>(this.db, signingKeyKey(ws));
  }

  /** Stores the workspace's first key; false when one exists already (another writer won: read it). */
  async create(record: SigningKeyRecord): Promise<boolean> {
    return conditionalWrite(
      this.db.doc.send(
        new PutCommand({
          TableName: this.db.table,
          Item: { ...signingKeyKey(record.workspaceId), type: 'SIGNING_KEY', ...record },
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      ),
    );
  }
}
