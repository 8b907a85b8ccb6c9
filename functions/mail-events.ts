import { SESv2Client } from '@aws-sdk/client-sesv2';
import { SNSClient } from '@aws-sdk/client-sns';
import { Resource } from 'sst/resource';
import { handleMailEvents, type SnsEvent } from '@drumbeat/aws';

const linked = Resource as unknown as { Alerts: { topicArn: string }; App: { stage: string } };
const deps = { ses: new SESv2Client({}), sns: new SNSClient({}), alertTopicArn: linked.Alerts.topicArn, stage: linked.App.stage };

/** Subscriber of the MailEvents topic: suppresses hard-bounced and complaining addresses and alerts the operators. */
export const handler = (event: SnsEvent) => handleMailEvents(event, deps);
