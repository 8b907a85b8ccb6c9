import { lambdaDefaults, activeTracing, tracingPermission } from './lambda';
import { workerLinks } from './workers';
import { deadLetterAlarm, functionAlarms } from './alarms';

/**
 * Large CSV imports, as jobs (functions/import-jobs.ts): the API records the
 * file as a pending job in the table and invokes this function asynchronously
 * (it links this function: `lambda:InvokeFunction` on it alone), then answers
 * 202 with the job's status URL. Fifteen minutes instead of the API's 20
 * seconds, so a 1,000-row file finishes, all or nothing. No retries: a run
 * that failed has already been undone and recorded as failed, and a repeat
 * of a started job runs nothing; the failed event goes to its own on-failure
 * queue, which alarms. It opens no sealed secret (no KMS) and sends no mail
 * of its own beyond what creating posts may (the shared links).
 */
const failures = new sst.aws.Queue('ImportsDeadLetters', {
  transform: { queue: { messageRetentionSeconds: 14 * 24 * 3600 } },
});

export const imports = new sst.aws.Function('Imports', {
  ...lambdaDefaults,
  handler: 'functions/imports.handler',
  timeout: '15 minutes',
  memory: '1024 MB',
  retries: 0,
  // A few imports at once at most: each is up to 1,000 rows of writes to the table.
  concurrency: { reserved: 2 },
  link: workerLinks,
  permissions: [{ actions: ['sqs:SendMessage'], resources: [failures.arn] }, tracingPermission],
  transform: {
    function: activeTracing,
    eventInvokeConfig: (args) => {
      args.destinationConfig = { onFailure: { destination: failures.arn } };
    },
  },
});

deadLetterAlarm('ImportsDeadLetters', failures);
functionAlarms('Imports', imports);
