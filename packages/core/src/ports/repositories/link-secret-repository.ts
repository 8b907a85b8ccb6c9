/** One generation of a workspace's action-link secret: its number, the secret sealed by the `SecretSealer`, and when it was made. */
export interface LinkSecretGeneration {
  generation: number;
  sealedSecret: string;
  createdAt: string;
}

/**
 * A workspace's action-link secrets: the current generation signs new links;
 * the previous one still verifies the links it signed until they expire
 * (a roll-over), and a revocation drops both.
 */
export interface LinkSecretRecord {
  workspaceId: string;
  current: LinkSecretGeneration;
  previous?: LinkSecretGeneration;
}

/** A workspace's action-link secrets, replaced only by a conditional write on the current generation. */
export interface LinkSecretRepository {
  /** The workspace's link secrets, or undefined before the first link. */
  find(ws: string): Promise<LinkSecretRecord | undefined>;
  /** Stores `record` if the stored current generation is still `expected` (undefined: none stored yet); false when another writer got there first. */
  put(record: LinkSecretRecord, expected: number | undefined): Promise<boolean>;
}
