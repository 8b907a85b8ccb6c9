import type { Mailer } from '@drumbeat/core';
import type { MailLog } from './mail-log.js';
import { OutboxMailer } from './outbox-mailer.js';
import { SmtpMailer } from './smtp-mailer.js';

/** The embedded runtime's mail settings, as the composition root read them. */
export interface MailConfig {
  /** When set, mail goes to this SMTP server (e.g. `smtp://127.0.0.1:2525`). */
  smtpUrl?: string;
  /** Otherwise each message is written here as a `.eml` file. */
  outboxDir: string;
  from: string;
  logger: MailLog;
}

/** SMTP when a URL is given, else the outbox directory. */
export function mailerFromConfig({ smtpUrl, outboxDir, from, logger }: MailConfig): Mailer {
  if (smtpUrl) return new SmtpMailer({ url: smtpUrl, from });
  return new OutboxMailer({ dir: outboxDir, from, log: logger });
}
