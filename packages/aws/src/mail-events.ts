import { PutSuppressedDestinationCommand, type SESv2Client } from '@aws-sdk/client-sesv2';
import { PublishCommand, type SNSClient } from '@aws-sdk/client-sns';

/** What SES's event publishing says about one message, as far as suppression goes. */
export interface MailProblem {
  kind: 'bounce' | 'complaint';
  /** The addresses to stop mailing (empty for a soft bounce). */
  addresses: string[];
  /** SES's own words: bounce type and subtype, or the complaint's feedback type. */
  detail: string;
}

/** The event SNS hands a Lambda subscriber. */
export interface SnsEvent {
  Records: { Sns: { Message: string } }[];
}

/**
 * Reads one SES event-publishing record (configuration set → SNS): a
 * permanent bounce or a complaint names addresses to suppress; a transient
 * bounce names none; any other event type (or a malformed message) is `undefined`.
 */
export function mailProblem(message: string): MailProblem | undefined {
  let e: { eventType?: string; notificationType?: string; bounce?: { bounceType?: string; bounceSubType?: string; bouncedRecipients?: { emailAddress?: string }[] }; complaint?: { complaintFeedbackType?: string; complainedRecipients?: { emailAddress?: string }[] } };
  try {
    e = JSON.parse(message) as typeof e;
  } catch {
    return undefined;
  }
  const type = e.eventType ?? e.notificationType;
  const list = (rs: { emailAddress?: string }[] | undefined) => [...new Set((rs ?? []).map((r) => r.emailAddress?.trim().toLowerCase()).filter((a): a is string => !!a))];
  if (type === 'Bounce' && e.bounce) {
    const permanent = e.bounce.bounceType === 'Permanent';
    return { kind: 'bounce', addresses: permanent ? list(e.bounce.bouncedRecipients) : [], detail: `${e.bounce.bounceType ?? '?'}/${e.bounce.bounceSubType ?? '?'}` };
  }
  if (type === 'Complaint' && e.complaint) return { kind: 'complaint', addresses: list(e.complaint.complainedRecipients), detail: e.complaint.complaintFeedbackType ?? 'complaint' };
  return undefined;
}

/**
 * Handles SES bounces and complaints: each address a permanent bounce or a
 * complaint names goes on the account's suppression list (SES then refuses to
 * mail it), and one alert per event goes to the operators' topic. A failing
 * AWS call throws, so Lambda retries the event (both calls are idempotent).
 */
export async function handleMailEvents(event: SnsEvent, deps: { ses: SESv2Client; sns: SNSClient; alertTopicArn: string; stage: string }): Promise<{ suppressed: string[] }> {
  const suppressed: string[] = [];
  for (const record of event.Records) {
    const problem = mailProblem(record.Sns.Message);
    if (!problem || problem.addresses.length === 0) continue;
    for (const address of problem.addresses) {
      await deps.ses.send(new PutSuppressedDestinationCommand({ EmailAddress: address, Reason: problem.kind === 'bounce' ? 'BOUNCE' : 'COMPLAINT' }));
      suppressed.push(address);
    }
    await deps.sns.send(
      new PublishCommand({
        TopicArn: deps.alertTopicArn,
        Subject: `drumbeat ${deps.stage}: mail ${problem.kind} (${problem.detail})`.slice(0, 99),
        Message: `SES reported a ${problem.kind} (${problem.detail}) for ${problem.addresses.join(', ')}. The address${problem.addresses.length > 1 ? 'es are' : ' is'} now on the account's suppression list: fix it where it is configured (alert emails, people's addresses), then remove it with \`aws sesv2 delete-suppressed-destination --email-address <address>\`.`,
      }),
    );
  }
  return { suppressed };
}
