/** One email with a plain-text and an HTML part. */
export interface MailMessage {
  to: string[];
  subject: string;
  text: string;
  html: string;
  /** Extra headers, e.g. a stable Message-ID or X-Drumbeat-Alert. */
  headers?: Record<string, string>;
}

/** Sends mail: SMTP, the local outbox, or SES. Resolves once the message is accepted. */
export interface Mailer {
  send(message: MailMessage): Promise<{ messageId: string }>;
}
