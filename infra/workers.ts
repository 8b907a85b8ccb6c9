import { email } from './email';
import { table } from './table';
import { web } from './router';
import { schedulerLink, targetNames } from './scheduler';
import { lambdaDefaults } from './lambda';

/**
 * The EventBridge Scheduler targets, one per timer kind: publish (a post's
 * time), watchdog (an account's cadence deadline) and webhooks (one delivery
 * attempt). Scheduler invokes them asynchronously: Lambda retries twice, then
 * hands the event to the target's own dead-letter queue.
 */

/** What every function reads through `Resource`. */
export const workerLinks = [table, schedulerLink, email, web];

function schedulerTarget(id: string, name: string, handler: string) {
  const deadLetters = new sst.aws.Queue(`${id}DeadLetters`, {
    transform: { queue: { messageRetentionSeconds: 14 * 24 * 3600 } },
  });
  const fn = new sst.aws.Function(id, {
    ...lambdaDefaults,
    name,
    handler,
    timeout: '60 seconds',
    memory: '512 MB',
    retries: 2,
    link: workerLinks,
    permissions: [{ actions: ['sqs:SendMessage'], resources: [deadLetters.arn] }],
    transform: {
      function: (args) => {
        args.deadLetterConfig = { targetArn: deadLetters.arn };
      },
    },
  });
  return { fn, deadLetters };
}

export const publish = schedulerTarget('Publish', targetNames.publish, 'functions/publish.handler');
export const watchdog = schedulerTarget('Watchdog', targetNames.watchdog, 'functions/watchdog.handler');
export const webhooks = schedulerTarget('Webhooks', targetNames.deliver, 'functions/webhooks.handler');
