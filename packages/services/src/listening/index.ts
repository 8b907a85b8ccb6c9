/** Listening (issue 18): one poll timer per listening account, the cursor kept per account, items handed to the inbox. */
export { ListeningService, type ListenPayload, type ListenOutcome, type ListeningAlerts } from './listening-service.js';
export { listenDelayMs, MAX_BACKOFF_MS, RETRYABLE_FAILURES_BEFORE_ALERT } from './listen-delay.js';
