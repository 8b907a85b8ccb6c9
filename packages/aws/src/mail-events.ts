import { PutSuppressedDestinationCommand, type SESv2Client } from '@aws-sdk/client-sesv2';
import { PublishCommand, type SNSClient } from '@aws-sdk/client-sns';

/** What SES's event publishing says about one message, as far as suppression goes. */
export interface MailProblem {
  kind: 'bounce' | 'complaint';
  /** The addresses to stop mailing (empty for a soft bounce). */
  addresses: string[];
  /** SES's own words: bounce type and subtype, or the complaint's feedback type. */
  detail: string;
  /** When SES says it happened (UTC ISO 8601), if it says. */
  at?: string;
}

/**
 * Bounce subtypes SES gives a message it did not send because the address is
 * suppressed already (the account's list, which the configuration set uses,
 * or SES's global one): nothing new, and mailing the operators again for each
 * later alert to that address would only repeat the first report.
 */
const ALREADY_SUPPRESSED = new Set(['OnAccountSuppressionList', 'Suppressed']);

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
  let e: {
    eventType?: string;
    notificationType?: string;
    bounce?: {
      bounceType?: string;
      bounceSubType?: string;
      bouncedRecipients?: { emailAddress?: string }[];
      timestamp?: string;
    };
    complaint?: {
      complaintFeedbackType?: string;
      complainedRecipients?: { emailAddress?: string }[];
      timestamp?: string;
    };
  };
  try {
    e = JSON.parse(message) as typeof e;
  } catch {
    return undefined;
  }
  const type = e.eventType ?? e.notificationType;
  const list = (rs: { emailAddress?: string }[] | undefined) => [
    ...new Set((rs ?? []).map((r) => r.emailAddress?.trim().toLowerCase()).filter((a): a is string => !!a)),
  ];
  const at = (t: string | undefined) => (t && !Number.isNaN(Date.parse(t)) ? { at: new Date(t).toISOString() } : {});
  if (type === 'Bounce' && e.bounce) {
    const news = e.bounce.bounceType === 'Permanent' && !ALREADY_SUPPRESSED.has(e.bounce.bounceSubType ?? '');
    return {
      kind: 'bounce',
      addresses: news ? list(e.bounce.bouncedRecipients) : [],
      detail: `${e.bounce.bounceType ?? '?'}/${e.bounce.bounceSubType ?? '?'}`,
      ...at(e.bounce.timestamp),
    };
  }
  if (type === 'Complaint' && e.complaint)
    return {
      kind: 'complaint',
      addresses: list(e.complaint.complainedRecipients),
      detail: e.complaint.complaintFeedbackType ?? 'complaint',
      ...at(e.complaint.timestamp),
    };
  return undefined;
}

/** What the handler tells the app about one suppressed address (it opens the in-app alerts). */
export type MailProblemSink = (report: {
  address: string;
  event: MailProblem['kind'];
  detail: string;
  reportedAt: string;
}) => Promise<unknown>;

/**
 * Handles SES bounces and complaints: each address a permanent bounce or a
 * complaint names goes on the account's suppression list (SES then refuses to
 * mail it), `report` is told (drumbeat opens an alert on each account using
 * the address), and one alert per event goes to the operators' topic. A
 * failing call throws, so Lambda retries the event (each step is idempotent).
 * A bounce of mail SES did not send because the address is already suppressed
 * changes nothing and is not reported again.
 */
export async function handleMailEvents(
  event: SnsEvent,
  deps: {
    ses: SESv2Client;
    sns: SNSClient;
    alertTopicArn: string;
    stage: string;
    report?: MailProblemSink;
    now?: () => Date;
  },
): Promise<{ suppressed: string[] }> {
  const suppressed: string[] = [];
  for (const record of event.Records) {
    const problem = mailProblem(record.Sns.Message);
    if (!problem || problem.addresses.length === 0) continue;
    for (const address of problem.addresses) {
      await deps.ses.send(
        new PutSuppressedDestinationCommand({
          EmailAddress: address,
          Reason: problem.kind === 'bounce' ? 'BOUNCE' : 'COMPLAINT',
        }),
      );
      await deps.report?.({
        address,
        event: problem.kind,
        detail: problem.detail,
        reportedAt: problem.at ?? (deps.now?.() ?? new Date()).toISOString(),
      });
      suppressed.push(address);
    }
    await deps.sns.send(
      new PublishCommand({
        TopicArn: deps.alertTopicArn,
        Subject: `drumbeat ${deps.stage}: mail ${problem.kind} (${problem.detail})`.slice(0, 99),
        Message: `SES reported a ${problem.kind} (${problem.detail}) for ${problem.addresses.join(', ')}. The address${problem.addresses.length > 1 ? 'es are' : ' is'} now on the account's suppression list, and each account using it shows an email_bounced alert: fix it where it is configured (alert emails, people's addresses), then remove it with \`aws sesv2 delete-suppressed-destination --email-address <address>\`.`,
      }),
    );
  }
  return { suppressed };
}
