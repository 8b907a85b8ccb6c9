/** @drumbeat/client: a typed client for the drumbeat API and a webhook verifier for receivers. */
export { Drumbeat, isImportJob } from './drumbeat-client.js';
export { Transport, buildUrl, type ClientOptions, type CallOptions } from './transport.js';
export { DrumbeatError, problemOf, type ProblemDetails } from './errors.js';
export { retryAfterMs, retryDelay, retryableStatus, retryDefaults, type RetryOptions } from './retry-policy.js';
export { paginate, collect } from './pagination.js';
export { OPERATIONS, type Method, type Operation } from './operations.js';
export { verifyWebhook, webhookHandler, WebhookVerificationError, type HeadersLike } from './webhook-receiver.js';
export type * from './types.js';
export {
  verifyLedger,
  readLedgerExport,
  readCheckpoints,
  checkpointOf,
  formatReport,
  type LedgerExportInput,
  type AuditFinding,
  type AuditReport,
} from './ledger-verifier.js';
