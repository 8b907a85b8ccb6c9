/**
 * @drumbeat/aws: the AWS implementations of the core ports. Scheduler on
 * EventBridge Scheduler (precise timers finish on an SQS delay queue),
 * Mailer on SES v2, and the guard the timer handlers use to read what a
 * schedule or a queue delivers.
 */
export {
  EventBridgeScheduler,
  scheduleName,
  type EventBridgeSchedulerOptions,
  type ScheduleRetryPolicy,
} from './eventbridge-scheduler.js';
/** Re-exported from core, where the payload type lives, so handlers on both runtimes share one guard. */
export { parseTimerPayload } from '@drumbeat/core';
export { atExpression, fireInstant, DEFAULT_MIN_LEAD_MS } from './schedule-time.js';
export { SesMailer, sesHeaderValue, type SesMailerOptions } from './ses-mailer.js';
export { handleMailEvents, mailProblem, type MailProblem, type MailProblemSink, type SnsEvent } from './mail-events.js';
export {
  SqsTimerQueue,
  delaySeconds,
  dueAtOf,
  parseQueuedTimer,
  DEFAULT_PRECISE_LEAD_MS,
  MAX_DELAY_SECONDS,
  type QueuedTimer,
  type SqsTimerQueueOptions,
} from './timer-queue.js';
export {
  handleTimerEvent,
  isSqsEvent,
  type BatchResponse,
  type SqsEvent,
  type SqsRecord,
  type TimerEventDeps,
} from './timer-event.js';
export { KmsSealer, type KmsSealerOptions } from './kms-sealer.js';
export { KMS_PURPOSES } from './kms-purposes.js';
