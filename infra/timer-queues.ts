/**
 * Precise timers (issue 19): EventBridge Scheduler only promises to invoke
 * within the minute after an `at()`, so publish and watchdog schedules fire
 * 75 s early and their function relays the timer to one of these queues with
 * `DelaySeconds` ending at its instant; the same function consumes the queue
 * (infra/workers.ts: event source mapping). A message that fails 3 receives
 * (the first try and 2 retries, as Lambda's async retries today) goes to the
 * kind's dead-letter queue, kept 14 days and alarmed on.
 */

/** How long a received message stays hidden: twice the function timeout (60 s), so a retry comes 2 minutes later. */
export const TIMER_VISIBILITY_TIMEOUT = '120 seconds';
/** Receives before a message goes to its dead-letter queue. */
export const TIMER_MAX_RECEIVES = 3;

function timerQueue(id: string) {
  const deadLetters = new sst.aws.Queue(`${id}DeadLetters`, {
    transform: { queue: { messageRetentionSeconds: 14 * 24 * 3600 } },
  });
  const queue = new sst.aws.Queue(id, {
    visibilityTimeout: TIMER_VISIBILITY_TIMEOUT,
    dlq: { queue: deadLetters.arn, retry: TIMER_MAX_RECEIVES },
  });
  return { queue, deadLetters };
}

export const timerQueues = {
  publish: timerQueue('PublishTimers'),
  watchdog: timerQueue('WatchdogTimers'),
};
