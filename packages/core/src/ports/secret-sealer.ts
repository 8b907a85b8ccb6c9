/**
 * Seals secrets at rest (channel tokens and app passwords, webhook signing
 * secrets, signing keys): the table never holds them in clear. A sealed value
 * is bound to its `context` (say `ws_1/acc_2/channel.token`), so a sealed
 * value copied into another row or workspace does not open there.
 * Implementations: AES-256-GCM with a key kept outside the table (a 0600 file
 * in the embedded runtime's data dir; an SST secret or a KMS data key on AWS).
 */
export interface SecretSealer {
  /** Encrypts `plaintext` bound to `context` into an opaque ASCII string. */
  seal(plaintext: string, context: string): Promise<string>;
  /** Decrypts what `seal` produced under the same context; throws when it was altered or sealed under another context or key. */
  open(sealed: string, context: string): Promise<string>;
  /** True when `value` has the shape of a sealed value (so a value stored before sealing existed can be told apart). */
  isSealed(value: string): boolean;
}
