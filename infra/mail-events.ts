import { mailEvents } from './email';
import { activeTracing, lambdaDefaults, tracingPermission } from './lambda';
import { alerts, deadLetterAlarm, functionAlarms } from './alarms';

/**
 * Bounces and complaints: SES publishes them to the MailEvents topic, whose
 * subscriber (functions/mail-events.ts) puts each hard-bounced or complaining
 * address on the account's suppression list and posts an alert to the
 * Alerts topic. It reads nothing of the table.
 */
const failures = new sst.aws.Queue('MailEventsDeadLetters', {
  transform: { queue: { messageRetentionSeconds: 14 * 24 * 3600 } },
});

export const alertLink = new sst.Linkable('Alerts', {
  properties: { topicArn: alerts.arn },
  include: [sst.aws.permission({ actions: ['sns:Publish'], resources: [alerts.arn] })],
});

export const mailEventsHandler = new sst.aws.Function('MailEventsHandler', {
  ...lambdaDefaults,
  handler: 'functions/mail-events.handler',
  timeout: '30 seconds',
  memory: '256 MB',
  retries: 2,
  link: [alertLink],
  permissions: [
    // PutSuppressedDestination acts on the account's list: it has no resource-level permission.
    { actions: ['ses:PutSuppressedDestination'], resources: ['*'] },
    { actions: ['sqs:SendMessage'], resources: [failures.arn] },
    tracingPermission,
  ],
  transform: {
    function: activeTracing,
    eventInvokeConfig: (args) => {
      args.destinationConfig = { onFailure: { destination: failures.arn } };
    },
  },
});

new aws.sns.TopicSubscription('MailEventsSubscription', { topic: mailEvents.arn, protocol: 'lambda', endpoint: mailEventsHandler.arn });
new aws.lambda.Permission('MailEventsInvoke', {
  action: 'lambda:InvokeFunction',
  function: mailEventsHandler.name,
  principal: 'sns.amazonaws.com',
  sourceArn: mailEvents.arn,
});
deadLetterAlarm('MailEventsDeadLetters', failures);
functionAlarms('MailEventsHandler', mailEventsHandler);
