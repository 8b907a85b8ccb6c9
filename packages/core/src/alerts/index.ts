/**
 * Alert policy, pure: which problems an account has now (cadence lapse, empty
 * slots ahead, overdue approvals), when the next one can arise by time alone
 * (the watchdog's deadline), episode keys, and words for durations.
 */
export { watch, watchPolicy, type WatchInput, type WatchPolicy, type WatchVerdict } from './watch.js';
export { checkLapse, type LapseInput } from './lapse-check.js';
export {
  planSlots,
  checkEmptySlots,
  type SlotPlan,
  SLOTS_BEYOND,
  BEYOND_MS,
  MAX_LISTED_SLOTS,
} from './empty-slot-check.js';
export { checkApprovals, overdueAt, pendingSince, type PendingPost } from './approval-check.js';
export { detailsChanged, detailsFingerprint, type AlertCondition } from './condition.js';
export { alertDedupeKey } from './dedupe-key.js';
export * from './alert-lifecycle.js';
export { failureCondition } from './failure-condition.js';
export { webhookCondition } from './webhook-condition.js';
export { bounceCondition, mergeBounces, type MailBounce } from './bounce-condition.js';
export { listeningCondition } from './listening-condition.js';
export { humanDuration } from './human-duration.js';
export * from './reply-check.js';
