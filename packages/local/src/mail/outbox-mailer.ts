import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { systemClock, type Clock, type MailMessage, type Mailer } from '@drumbeat/core';
import MailComposer from 'nodemailer/lib/mail-composer';
import { writeLine, type MailLog } from './mail-log.js';
import { toMailOptions } from './mail-options.js';

/** What an OutboxMailer needs: the directory, the sender, where to log, optionally a clock. */
export interface OutboxMailerOptions {
  /** Created on first send when missing. */
  dir: string;
  from: string;
  log: MailLog;
  clock?: Clock;
}

/** `20300101T120000123Z-<id>.eml`: sorts by the time written, then by message id. */
export function outboxFileName(at: Date, messageId: string): string {
  const stamp = at.toISOString().replace(/[-:.]/g, '');
  const id = messageId.replace(/^<|>$/g, '').replace(/[^A-Za-z0-9._@-]/g, '_');
  return `${stamp}-${id}.eml`;
}

/**
 * The Mailer port for a machine without SMTP: each message becomes an RFC 5322
 * `.eml` file in `dir` (open it with any mail client), and a log line says
 * where. Never overwrites a file.
 */
export class OutboxMailer implements Mailer {
  private readonly clock: Clock;

  constructor(private readonly opts: OutboxMailerOptions) {
    this.clock = opts.clock ?? systemClock;
  }

  /** Writes the message to the outbox; resolves with its Message-ID once the file is written. */
  async send(message: MailMessage): Promise<{ messageId: string }> {
    const now = this.clock.now();
    const options = toMailOptions(message, this.opts.from, now);
    const eml = await new MailComposer(options).compile().build();
    await mkdir(this.opts.dir, { recursive: true });
    const path = join(this.opts.dir, outboxFileName(now, options.messageId));
    await writeFile(path, eml, { flag: 'wx' });
    writeLine(this.opts.log, `mail written to ${path}: ${message.subject}`);
    return { messageId: options.messageId };
  }
}
