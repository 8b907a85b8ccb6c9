import type { SESv2Client } from '@aws-sdk/client-sesv2';
import type { MailMessage, Mailer } from '@drumbeat/core';

/** What a SesMailer needs: its client, the verified sender, optionally a configuration set. */
export interface SesMailerOptions {
  /**
   * The client, or a function making it on the first send: the SES client is
   * loaded then (a dynamic import), so a cold start that sends no mail skips it.
   */
  client: SESv2Client | (() => Promise<SESv2Client>);
  /** A verified SES identity, e.g. `Drumbeat <alerts@example.com>`. */
  from: string;
  /** Configuration set for event publishing (bounces, complaints). */
  configurationSet?: string;
}

const PRINTABLE_ASCII = /^[ -~]*$/;

/** A header value SES accepts (printable ASCII): other text is sent as an RFC 2047 UTF-8 encoded word. */
export function sesHeaderValue(value: string): string {
  if (PRINTABLE_ASCII.test(value)) return value;
  return `=?UTF-8?B?${Buffer.from(value, 'utf8').toString('base64')}?=`;
}

/**
 * The Mailer port on SES v2: `SendEmail` with simple content (subject, text
 * and HTML parts, custom headers). Resolves with SES's MessageId; an SES
 * error (unverified sender, throttling, ...) rejects. SES replaces any
 * Message-ID and Date header with its own.
 */
export class SesMailer implements Mailer {
  private client: Promise<SESv2Client> | undefined;

  constructor(private readonly opts: SesMailerOptions) {}

  /** Sends one message through SES and returns the id SES gave it. */
  async send(message: MailMessage): Promise<{ messageId: string }> {
    const headers = Object.entries(message.headers ?? {}).map(([Name, value]) => ({
      Name,
      Value: sesHeaderValue(value),
    }));
    const { SendEmailCommand } = await import('@aws-sdk/client-sesv2');
    const given = this.opts.client;
    const client = await (this.client ??= typeof given === 'function' ? given() : Promise.resolve(given));
    const out = await client.send(
      new SendEmailCommand({
        FromEmailAddress: this.opts.from,
        Destination: { ToAddresses: message.to },
        Content: {
          Simple: {
            Subject: { Data: message.subject, Charset: 'UTF-8' },
            Body: {
              Text: { Data: message.text, Charset: 'UTF-8' },
              Html: { Data: message.html, Charset: 'UTF-8' },
            },
            ...(headers.length > 0 ? { Headers: headers } : {}),
          },
        },
        ...(this.opts.configurationSet ? { ConfigurationSetName: this.opts.configurationSet } : {}),
      }),
    );
    if (!out.MessageId) throw new Error('SES accepted the message but returned no MessageId');
    return { messageId: out.MessageId };
  }
}
