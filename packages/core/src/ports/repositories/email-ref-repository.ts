/** What uses an address: an account (one of its alert emails) or a voice (its email), in a workspace. */
export interface EmailOwner {
  workspaceId: string;
  kind: 'account' | 'voice';
  id: string;
}

/** From an address to what uses it (a bounce names only an address), kept a superset of the truth. */
export interface EmailRefRepository {
  /** Runs `write` (the owner's own write) with its refs in step: new addresses before, dropped ones after. */
  track<T>(
    owner: EmailOwner,
    before: readonly (string | undefined)[],
    after: readonly (string | undefined)[],
    write: () => Promise<T>,
  ): Promise<T>;
  /** Everything that uses (or used: check the owner) this address, in every workspace. */
  owners(address: string): Promise<EmailOwner[]>;
}
