import { SmtpMailer } from '../../packages/local/src/mail/index.js';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { closedPort, startSilentServer, startSmtpSink, type SmtpSink } from '../support/smtp-sink.js';
import { alertMail, FROM } from '../support/alert-mail.js';

const message = alertMail();

describe('SmtpMailer through a real SMTP server', () => {
  let sink: SmtpSink;
  let mailer: SmtpMailer;

  beforeEach(async () => {
    sink = await startSmtpSink();
    mailer = new SmtpMailer({ url: sink.url, from: FROM });
  });

  afterEach(async () => {
    mailer.close();
    await sink.close();
  });

  it('delivers the subject, recipients, sender, both parts and the custom headers', async () => {
    const { messageId } = await mailer.send(message);

    expect(sink.received).toHaveLength(1);
    const { parsed, envelope } = sink.received[0]!;
    expect(envelope).toEqual({ from: 'alerts@drumbeat.example', to: message.to });
    expect(parsed.subject).toBe(message.subject);
    expect(parsed.from?.value).toEqual([{ name: 'Drumbeat', address: 'alerts@drumbeat.example' }]);
    const to = Array.isArray(parsed.to) ? parsed.to : [parsed.to!];
    expect(to.flatMap((a) => a.value.map((v) => v.address))).toEqual(message.to);
    expect(parsed.text?.trim()).toBe(message.text);
    expect(parsed.html).toContain('<b>@brand</b>');
    expect(parsed.headers.get('x-drumbeat-alert')).toBe('alr_123');
    expect(parsed.messageId).toBe(messageId);
    expect(messageId).toMatch(/^<[^@>]+@drumbeat\.example>$/);
  });

  it('keeps a Message-ID given in the headers', async () => {
    const { messageId } = await mailer.send({
      ...message,
      headers: { 'Message-ID': '<alert-alr_123@drumbeat.example>' },
    });

    expect(messageId).toBe('<alert-alr_123@drumbeat.example>');
    expect(sink.received[0]!.parsed.messageId).toBe('<alert-alr_123@drumbeat.example>');
  });
});

describe('SmtpMailer when the server is not there', () => {
  it('rejects when the connection is refused', async () => {
    const mailer = new SmtpMailer({ url: `smtp://127.0.0.1:${await closedPort()}`, from: FROM });

    await expect(mailer.send(message)).rejects.toThrow(/ECONNREFUSED/);
    mailer.close();
  });

  it('rejects instead of hanging when the server never greets', async () => {
    const silent = await startSilentServer();
    const mailer = new SmtpMailer({ url: silent.url, from: FROM, timeouts: { greetingMs: 300 } });
    const started = Date.now();
    try {
      await expect(mailer.send(message)).rejects.toMatchObject({ code: 'ETIMEDOUT' });
      expect(Date.now() - started).toBeLessThan(5_000);
    } finally {
      mailer.close();
      await silent.close();
    }
  });
});
