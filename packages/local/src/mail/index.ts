/**
 * Mail for the embedded runtime: SMTP through nodemailer when a server is
 * configured, else `.eml` files in an outbox directory.
 */
export { SmtpMailer, type SmtpMailerOptions, type SmtpTimeouts } from './smtp-mailer.js';
export { OutboxMailer, outboxFileName, type OutboxMailerOptions } from './outbox-mailer.js';
export { mailerFromConfig, type MailConfig } from './mailer-from-config.js';
export type { MailLog } from './mail-log.js';
