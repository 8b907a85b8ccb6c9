/** Alerts: the API use-cases (list, acknowledge), the write side shared with the watchdog, and the emails. */
export { AlertService } from './alert-service.js';
export { AlertBook, type OpenEpisode, type Reconciled } from './alert-book.js';
export { AlertNotifier, NOTIFY_RETRY_MS, NOTIFY_CLAIM_STALE_MS, type NotifyOutcome } from './alert-notifier.js';
export { alertEmail, localLabel, escapeHtml } from './alert-email.js';
