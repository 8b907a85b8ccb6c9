import { SESv2Client } from '@aws-sdk/client-sesv2';
import { SNSClient } from '@aws-sdk/client-sns';
import { Resource } from 'sst/resource';
import { handleMailEvents, type SnsEvent } from '@drumbeat/aws';
import { build, mailEventsConfigFromResource } from './deps.js';
import { routeConsoleErrors } from './logger.js';

routeConsoleErrors();
const linked = Resource as unknown as { Alerts: { topicArn: string }; App: { stage: string } };
const { services, clock } = build(mailEventsConfigFromResource());
const deps = {
  ses: new SESv2Client({}),
  sns: new SNSClient({}),
  alertTopicArn: linked.Alerts.topicArn,
  stage: linked.App.stage,
  // Each suppressed address opens an email_bounced alert on the accounts using it; the watchdog mails and posts it.
  report: (r: Parameters<typeof services.watchdog.mailProblem>[0]) => services.watchdog.mailProblem(r),
  now: () => clock.now(),
};

/** Subscriber of the MailEvents topic: suppresses hard-bounced and complaining addresses, alerts the accounts using them and the operators. */
export const handler = (event: SnsEvent) => handleMailEvents(event, deps);
