import { randomUUID } from 'node:crypto';
import type { MailMessage } from '@drumbeat/core';
import type { SendMailOptions } from 'nodemailer';

/** The domain of a sender such as `Drumbeat <alerts@example.com>`, for Message-IDs. */
function senderDomain(from: string): string {
  const address = /<([^>]+)>\s*$/.exec(from)?.[1] ?? from;
  return /@([A-Za-z0-9.-]+)/.exec(address)?.[1] ?? 'drumbeat.local';
}

/** A fresh RFC 5322 Message-ID on the sender's domain. */
export function newMessageId(from: string): string {
  return `<${randomUUID()}@${senderDomain(from)}>`;
}

/**
 * The nodemailer options for one message: sender, recipients, subject, the
 * text and HTML parts, the custom headers, and a Message-ID (the one in the
 * message's headers, else a new one) so every message carries one.
 */
export function toMailOptions(
  message: MailMessage,
  from: string,
  date?: Date,
): SendMailOptions & { messageId: string } {
  const headers: Record<string, string> = {};
  let messageId: string | undefined;
  for (const [name, value] of Object.entries(message.headers ?? {})) {
    if (name.toLowerCase() === 'message-id') messageId = value;
    else headers[name] = value;
  }
  return {
    from,
    to: message.to,
    subject: message.subject,
    text: message.text,
    html: message.html,
    headers,
    messageId: messageId ?? newMessageId(from),
    ...(date ? { date } : {}),
  };
}
