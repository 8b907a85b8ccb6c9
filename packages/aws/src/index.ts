/**
 * @drumbeat/aws: the AWS implementations of the core ports. Scheduler on
 * EventBridge Scheduler, Mailer on SES v2, and the guard the timer handlers
 * use to read what a schedule delivers.
 */
export { EventBridgeScheduler, scheduleName, type EventBridgeSchedulerOptions, type ScheduleRetryPolicy } from './eventbridge-scheduler.js';
/** Re-exported from core, where the payload type lives, so handlers on both runtimes share one guard. */
export { parseTimerPayload } from '@drumbeat/core';
export { atExpression, fireInstant, DEFAULT_MIN_LEAD_MS } from './schedule-time.js';
export { SesMailer, sesHeaderValue, type SesMailerOptions } from './ses-mailer.js';
export { handleMailEvents, mailProblem, type MailProblem, type SnsEvent } from './mail-events.js';
export { KmsSealer, type KmsSealerOptions } from './kms-sealer.js';
