export type { ServiceDeps } from './deps.js';
export { sha256Hex, constantTimeEqual } from './secret-hash.js';
export { ApiKeyService, type Principal } from './api-keys.js';
export { WorkspaceService } from './workspaces.js';
export { VoiceService } from './voices.js';
export { applyPatch } from './patch.js';
export { AccountService, type AccountWithSecret } from './accounts.js';
export { createServices, type Services, type ServiceName, type ServiceOptions } from './services.js';
export { PostService } from './posts.js';
export { claimNextSlot, isSlot, cadenceSpec } from './slot-claims.js';
export { CalendarService, LIVE_STATUSES } from './calendar.js';
export { FeedService } from './feeds.js';
export {
  CsvImportService,
  IMPORT_COLUMNS,
  EXPORT_COLUMNS,
  MAX_IMPORT_ROWS,
  type ImportRow,
  type ImportResult,
  type ImportReport,
  type ImportOptions,
} from './csv-import.js';
export { PostExportService } from './post-export.js';
export { LedgerService, type LedgerDraft } from './ledger.js';
export { Publisher, DEFAULT_PUBLISHER_OPTIONS, type PublisherOptions, type PublishOutcome } from './publisher.js';
export { postEventData, publicVoice, event, announce } from './event-data.js';
export {
  WebhookService,
  MAX_WEBHOOKS_PER_WORKSPACE,
  deliveryTimer,
  deliveryMsgId,
  nextStep,
  type DeliverPayload,
} from './webhooks/index.js';
export { noHooks, LateHooks, type AccountHooks } from './account-hooks.js';
export { ApprovalService, type Decision } from './approvals.js';
export { TransparencyService } from './transparency.js';
export {
  AlertService,
  AlertBook,
  AlertNotifier,
  alertEmail,
  localLabel,
  DIGEST_WINDOW_MS,
  NOTIFY_RETRY_MS,
  NOTIFY_CLAIM_STALE_MS,
} from './alerts/index.js';
export {
  ChatDelivery,
  CHAT_RETRY_MS,
  chatPayload,
  slackPayload,
  teamsPayload,
  webhookPayload,
  SLACK_LIMITS,
  TEAMS_LIMITS,
} from './alerts/index.js';
export { WatchdogService, type WatchdogPayload, type WatchdogOutcome } from './watchdog/index.js';
export { StatsService, accountStats, weekStarts } from './stats/index.js';
export { aesGcmSealer } from './sealing/aes-gcm-sealer.js';
export { ChannelSecrets, channelSecretContext, webhookSecretContext } from './sealing/channel-secrets.js';
export {
  ActionLinks,
  LinkRefused,
  LINK_TTL_MS,
  LinkSecrets,
  PeopleMail,
  postRev,
  recipientTag,
  readLink,
  signLink,
  authorLabel,
  slaDeadline,
  ReviewDigests,
  REVIEW_DIGEST_WINDOW_MS,
  REVIEW_CLAIM_STALE_MS,
  REVIEW_RETRY_MS,
  type ReviewDigestPayload,
  type ReviewDigestOutcome,
  type OpenLink,
  type LinkClaims,
  type LinkKind,
} from './action-links/index.js';
export {
  ListeningService,
  listenDelayMs,
  MAX_BACKOFF_MS,
  RETRYABLE_FAILURES_BEFORE_ALERT,
  type ListenPayload,
  type ListenOutcome,
  type ListeningAlerts,
} from './listening/index.js';
export { ConversationService, assignEmail, type ConversationActor } from './conversations/index.js';
