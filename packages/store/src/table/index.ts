/**
 * The table's keys, one module per entity (each with its access patterns);
 * `packages/store/README.md` has them all in one table. Nothing outside this
 * folder writes a key prefix (key-home.test.ts holds that).
 */
import { accountKey, channelSessionKey, listenStateKey } from './account-keys.js';
import { apiKeyKey } from './api-key-keys.js';
import { emailRefKey } from './email-ref-keys.js';
import { idempotencyKey } from './idempotency-keys.js';
import { reviewDigestKey } from './review-digest-keys.js';
import { voiceKey } from './voice-keys.js';
import { linkSecretKey, signingKeyKey, slugKey, workspaceKey } from './workspace-keys.js';

export { wsPk } from './workspace-keys.js';
export { timerKey, timerDueKey, TIMER_DUE_PK } from './timer-keys.js';
export { bootstrapKey, secretsSealedKey } from './system-keys.js';
export { importJobKey } from './import-job-keys.js';

/** Key builders of the workspace-level items, by name. */
export const keys = {
  workspace: workspaceKey,
  slug: slugKey,
  apiKey: apiKeyKey,
  voice: voiceKey,
  account: accountKey,
  idempotency: idempotencyKey,
  channelSession: channelSessionKey,
  listenState: listenStateKey,
  signingKey: signingKeyKey,
  linkSecret: linkSecretKey,
  reviewDigest: reviewDigestKey,
  /** Outside the workspace partitions: what uses an address (email-ref-repo.ts). */
  emailRef: emailRefKey,
};
