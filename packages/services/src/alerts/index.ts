/** Alerts: the API use-cases (list, acknowledge), the write side shared with the watchdog, and the emails. */
export { AlertService } from './alert-service.js';
export { AlertBook, type OpenEpisode, type Reconciled } from './alert-book.js';
export {
  AlertNotifier,
  NOTIFY_RETRY_MS,
  NOTIFY_CLAIM_STALE_MS,
  DIGEST_WINDOW_MS,
  DIGEST_HANDOFF_MS,
  DEFAULT_ALERT_NOTIFIER_OPTIONS,
  type AlertNotifierOptions,
  type NotifyOutcome,
} from './alert-notifier.js';
export { digestEmail, type DigestGroup } from './digest-email.js';
export { alertEmail, localLabel, escapeHtml } from './alert-email.js';
export { ChatDelivery, CHAT_RETRY_MS } from './chat-delivery.js';
export {
  chatPayload,
  slackPayload,
  teamsPayload,
  webhookPayload,
  SLACK_LIMITS,
  TEAMS_LIMITS,
} from './chat-payloads.js';
