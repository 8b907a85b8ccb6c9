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

/** One signing key per workspace, written once, never replaced. */
export interface SigningKeyRepository {
  find(ws: string): Promise<SigningKeyRecord | undefined>;
  /** Stores the workspace's first key; false when one exists already (another writer won: read it). */
  create(record: SigningKeyRecord): Promise<boolean>;
}
