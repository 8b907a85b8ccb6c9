import { email } from './email';
import { table } from './table';
import { web } from './router';
import { scheduleDeadLetters, schedulerLink, targetNames } from './scheduler';
import { activeTracing, lambdaDefaults, tracingPermission } from './lambda';
import { linkSecretsPermission, openPermission, sealingLink } from './kms';
import { reservedConcurrency } from './settings';
import { deadLetterAlarm, functionAlarms } from './alarms';
import { timerQueues } from './timer-queues';

/**
 * The EventBridge Scheduler targets, one per timer kind: publish (a post's
 * time), watchdog (an account's cadence deadline, and an approver's
 * approval-request digest, and an import job's lease end), webhooks (one delivery attempt) and listen (one
 * poll of a listening account's network, issue 18). Scheduler invokes them asynchronously: Lambda retries twice
 * (about one and two minutes later), then sends an invocation record (the
 * payload, the error, the attempt count) to the target's own SQS queue, its
 * on-failure destination. Every queue and function is watched (infra/alarms.ts).
 *
 * Publish and watchdog also consume their precise-timer queue
 * (infra/timer-queues.ts): their schedules fire 75 s early and the function
 * relays the timer there, delayed to its instant.
 */

/** What every function reads through `Resource`. */
export const workerLinks = [table, schedulerLink, email, web, sealingLink];

/**
 * Publishing appends to one ledger chain per workspace, so concurrent
 * publishes of one workspace contend (a conditional put, retried). Reserved
 * concurrency (`DRUMBEAT_PUBLISH_CONCURRENCY`, default 10) bounds how many
 * writers contend at once; a burst beyond it waits in Lambda's async queue
 * (throttled async invocations are retried for up to six hours) instead of
 * failing. Reserving is free; it only takes those 10 from the account's pool.
 */
const publishReserved = reservedConcurrency(process.env, 'PUBLISH', 10);

/** The precise-timer queue a target consumes: the queue and its dead-letter queue (infra/timer-queues.ts). */
type TimerQueue = (typeof timerQueues)['publish'];

/** What the event source mapping may do on the queue it polls for its function. */
const CONSUMER_ACTIONS = ['sqs:ReceiveMessage', 'sqs:DeleteMessage', 'sqs:GetQueueAttributes'];

function schedulerTarget(
  id: string,
  name: string,
  handler: string,
  opts: { opens: boolean; signsLinks?: boolean; reserved?: number | undefined; consumes?: TimerQueue },
) {
  const failures = new sst.aws.Queue(`${id}DeadLetters`, {
    transform: { queue: { messageRetentionSeconds: 14 * 24 * 3600 } },
  });
  const fn = new sst.aws.Function(id, {
    ...lambdaDefaults,
    name,
    handler,
    timeout: '60 seconds',
    memory: '512 MB',
    retries: 2,
    ...(opts.reserved ? { concurrency: { reserved: opts.reserved } } : {}),
    link: workerLinks,
    permissions: [
      { actions: ['sqs:SendMessage'], resources: [failures.arn] },
      tracingPermission,
      ...(opts.consumes ? [{ actions: CONSUMER_ACTIONS, resources: [opts.consumes.queue.arn] }] : []),
      ...(opts.opens ? [openPermission] : []),
      ...(opts.signsLinks ? [linkSecretsPermission] : []),
    ],
    transform: {
      function: activeTracing,
      eventInvokeConfig: (args) => {
        args.destinationConfig = { onFailure: { destination: failures.arn } };
      },
    },
  });
  deadLetterAlarm(`${id}DeadLetters`, failures);
  functionAlarms(id, fn);
  if (opts.consumes) {
    // Batches of up to 10, handed over as soon as one message is visible (no batching window), failed records
    // reported one by one (the handler's partial batch response); never more pollers' invocations than reserved.
    new aws.lambda.EventSourceMapping(`${id}TimersMapping`, {
      eventSourceArn: opts.consumes.queue.arn,
      functionName: fn.name,
      batchSize: 10,
      maximumBatchingWindowInSeconds: 0,
      functionResponseTypes: ['ReportBatchItemFailures'],
      ...(opts.reserved ? { scalingConfig: { maximumConcurrency: Math.max(2, opts.reserved) } } : {}),
    });
    deadLetterAlarm(`${id}TimerDeadLetters`, opts.consumes.deadLetters);
  }
  return { fn, deadLetters: failures };
}

// Publish signs the manual reminder's Mark-as-published link; the watchdog signs alert Acknowledge and approval-request
// digest links: both open the link secret (its own KMS purpose), and only publish opens channel secrets.
export const publish = schedulerTarget('Publish', targetNames.publish, 'functions/publish.handler', {
  opens: true,
  signsLinks: true,
  reserved: publishReserved,
  consumes: timerQueues.publish,
});
export const watchdog = schedulerTarget('Watchdog', targetNames.watchdog, 'functions/watchdog.handler', {
  opens: false,
  signsLinks: true,
  consumes: timerQueues.watchdog,
});
export const webhooks = schedulerTarget('Webhooks', targetNames.deliver, 'functions/webhooks.handler', { opens: true });
// Opens the channel's sealed token to poll with it; a poll is due to the minute, so no precise-timer queue.
export const listen = schedulerTarget('Listen', targetNames.listen, 'functions/listen.handler', { opens: true });
deadLetterAlarm('ScheduleDeadLetters', scheduleDeadLetters);
