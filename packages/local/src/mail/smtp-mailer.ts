import type { MailMessage, Mailer } from '@drumbeat/core';
import { createTransport, type Transporter } from 'nodemailer';
import type { SMTPSentMessageInfo } from 'nodemailer/lib/smtp-transport';
import { toMailOptions } from './mail-options.js';

/** How long an SMTP exchange may stall before `send` rejects, in milliseconds. */
export interface SmtpTimeouts {
  /** To open the TCP connection (default 10 s). */
  connectionMs?: number;
  /** For the server's greeting once connected (default 10 s). */
  greetingMs?: number;
  /** Of inactivity during the exchange (default 30 s). */
  socketMs?: number;
}

/** What an SmtpMailer needs: the server URL, the sender, optionally its timeouts. */
export interface SmtpMailerOptions {
  /** e.g. `smtp://127.0.0.1:2525`, `smtps://user:pass@mail.example.com`. */
  url: string;
  from: string;
  timeouts?: SmtpTimeouts;
}

/**
 * The Mailer port over SMTP (nodemailer). `send` resolves once the server
 * accepted the message and rejects, within the timeouts, when the server is
 * unreachable, silent or refuses it.
 */
export class SmtpMailer implements Mailer {
  private readonly transport: Transporter<SMTPSentMessageInfo>;

  constructor(private readonly opts: SmtpMailerOptions) {
    const t = opts.timeouts ?? {};
    this.transport = createTransport({
      url: opts.url,
      connectionTimeout: t.connectionMs ?? 10_000,
      greetingTimeout: t.greetingMs ?? 10_000,
      socketTimeout: t.socketMs ?? 30_000,
    });
  }

  /** Hands one message to the SMTP server; resolves with its Message-ID. */
  async send(message: MailMessage): Promise<{ messageId: string }> {
    const options = toMailOptions(message, this.opts.from);
    const info = await this.transport.sendMail(options);
    return { messageId: info.messageId || options.messageId };
  }

  /** Closes the transport's connections. */
  close(): void {
    this.transport.close();
  }
}
