import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { MailMessage } from '@drumbeat/core';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { mailerFromConfig, OutboxMailer, SmtpMailer } from '../../packages/local/src/mail/index.js';
import { startSmtpSink, type SmtpSink } from '../support/smtp-sink.js';

const FROM = 'Drumbeat <alerts@drumbeat.example>';
const message: MailMessage = { to: ['owner@brand.example'], subject: 'Hello', text: 'Hi.', html: '<p>Hi.</p>' };

let root: string;
let sink: SmtpSink;
let lines: string[];

beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), 'drumbeat-mailcfg-'));
  sink = await startSmtpSink();
  lines = [];
});

afterEach(async () => {
  await sink.close();
  await rm(root, { recursive: true, force: true });
});

describe('mailerFromConfig', () => {
  it('sends over SMTP when a URL is given, writing nothing to the outbox', async () => {
    const mailer = mailerFromConfig({ smtpUrl: sink.url, outboxDir: root, from: FROM, logger: (l) => lines.push(l) });
    expect(mailer).toBeInstanceOf(SmtpMailer);
    await mailer.send(message);
    (mailer as SmtpMailer).close();

    expect(sink.received.map((m) => m.parsed.subject)).toEqual(['Hello']);
    expect(await readdir(root)).toEqual([]);
  });

  it('writes to the outbox and logs when no URL is given', async () => {
    const mailer = mailerFromConfig({ outboxDir: root, from: FROM, logger: { info: (l: string) => lines.push(l) } });
    expect(mailer).toBeInstanceOf(OutboxMailer);
    await mailer.send(message);

    expect(sink.received).toEqual([]);
    expect(await readdir(root)).toHaveLength(1);
    expect(lines).toEqual([expect.stringMatching(/^mail written to .+\.eml: Hello$/)]);
  });
});
