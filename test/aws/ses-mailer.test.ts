import { SESv2Client } from '@aws-sdk/client-sesv2';
import { SesMailer } from '@drumbeat/aws';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SesStandin } from '../support/ses-standin.js';
import { alertMail, FROM } from '../support/alert-mail.js';

const message = alertMail({ 'X-Drumbeat-Account': 'Café Olé' });

let standin: SesStandin;
let client: SESv2Client;

beforeEach(async () => {
  standin = await SesStandin.start({ verified: ['drumbeat.example'] });
  client = new SESv2Client({
    endpoint: standin.endpoint,
    region: 'us-east-1',
    credentials: { accessKeyId: 'AKIDSTANDIN', secretAccessKey: 'standin-secret' },
    maxAttempts: 1,
  });
});

afterEach(async () => {
  client.destroy();
  await standin.close();
});

describe('SesMailer.send', () => {
  it('sends the sender, recipients, subject and both parts, and returns the SES MessageId', async () => {
    const mailer = new SesMailer({ client, from: FROM });
    const { messageId } = await mailer.send(message);

    expect(standin.accepted).toHaveLength(1);
    const [sent] = standin.accepted;
    expect(messageId).toBe(sent!.messageId);
    expect(sent!.path).toBe('/v2/email/outbound-emails');
    expect(sent!.headers.authorization).toMatch(/Credential=AKIDSTANDIN\/\d{8}\/us-east-1\/ses\/aws4_request/);
    expect(sent!.body).toMatchObject({
      FromEmailAddress: FROM,
      Destination: { ToAddresses: message.to },
      Content: {
        Simple: {
          Subject: { Data: message.subject, Charset: 'UTF-8' },
          Body: { Text: { Data: message.text, Charset: 'UTF-8' }, Html: { Data: message.html, Charset: 'UTF-8' } },
        },
      },
    });
    expect(sent!.body.ConfigurationSetName).toBeUndefined();
  });

  it('adds the custom headers, non-ASCII values as RFC 2047 encoded words', async () => {
    await new SesMailer({ client, from: FROM }).send(message);

    const headers = standin.accepted[0]!.body.Content!.Simple!.Headers!;
    expect(headers).toContainEqual({ Name: 'X-Drumbeat-Alert', Value: 'alr_123' });
    const account = headers.find((h) => h.Name === 'X-Drumbeat-Account')!.Value!;
    const encoded = /^=\?UTF-8\?B\?(.+)\?=$/.exec(account);
    expect(encoded).not.toBeNull();
    expect(Buffer.from(encoded![1]!, 'base64').toString('utf8')).toBe('Café Olé');
  });

  it('names the configuration set when one is given', async () => {
    await new SesMailer({ client, from: FROM, configurationSet: 'drumbeat-events' }).send({ ...message, headers: {} });

    const body = standin.accepted[0]!.body;
    expect(body.ConfigurationSetName).toBe('drumbeat-events');
    expect(body.Content!.Simple!.Headers).toBeUndefined();
  });

  it('rejects with the SES error when SES refuses the message', async () => {
    const mailer = new SesMailer({ client, from: 'someone@unverified.example' });

    await expect(mailer.send(message)).rejects.toMatchObject({
      name: 'MessageRejected',
      message: expect.stringContaining('not verified'),
      $metadata: { httpStatusCode: 400 },
    });
    expect(standin.accepted).toHaveLength(0);
  });
});
