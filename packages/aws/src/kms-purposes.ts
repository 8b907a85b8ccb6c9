/**
 * The `purpose` encryption context of each family of sealed secrets. KMS binds
 * a data key to its context, and IAM can grant by it
 * (`kms:EncryptionContext:purpose`): the API may open the action-link secrets
 * it verifies links with, and never a channel token. infra/kms.ts grants by
 * these names; no import here, so the infra reads them as they are.
 */
export const KMS_PURPOSES = {
  /** Channel tokens, app passwords, webhook signing secrets. */
  secrets: 'drumbeat-secrets',
  /** The per-workspace HMAC secrets of action links (/a/…). */
  linkSecrets: 'drumbeat-link-secrets',
} as const;
