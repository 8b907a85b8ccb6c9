import { mailEvents } from './email';
import { table } from './table';
import { schedulerLink } from './scheduler';
import { web } from './router';
import { MAIL_EVENTS_DYNAMO_ACTIONS } from './actions';
import { activeTracing, lambdaDefaults, tracingPermission } from './lambda';
import { alerts, deadLetterAlarm, functionAlarms } from './alarms';

/**
 * Bounces and complaints: SES publishes them to the MailEvents topic, whose
 * subscriber (functions/mail-events.ts) puts each hard-bounced or complaining
 * address on the account's suppression list, opens an email_bounced alert on
 * each account using the address (and arms that account's watchdog timer,
 * which mails and posts it), and posts an alert to the operators' Alerts
 * topic. Its table access is its own link, narrower than the shared one: the
 * four actions it uses (infra/actions.ts), on the table only (no index); no
 * SES sending, no KMS.
 */
const mailEventsTable = new sst.Linkable('MailEventsTable', {
  properties: { name: table.name },
  include: [sst.aws.permission({ actions: [...MAIL_EVENTS_DYNAMO_ACTIONS], resources: [table.arn] })],
});

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
  link: [alertLink, mailEventsTable, schedulerLink, web],
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

new aws.sns.TopicSubscription('MailEventsSubscription', {
  topic: mailEvents.arn,
  protocol: 'lambda',
  endpoint: mailEventsHandler.arn,
});
new aws.lambda.Permission('MailEventsInvoke', {
  action: 'lambda:InvokeFunction',
  function: mailEventsHandler.name,
  principal: 'sns.amazonaws.com',
  sourceArn: mailEvents.arn,
});
deadLetterAlarm('MailEventsDeadLetters', failures);
functionAlarms('MailEventsHandler', mailEventsHandler);
