import { describe, expect, it } from 'vitest';
import { SESv2Client } from '@aws-sdk/client-sesv2';
import { SNSClient } from '@aws-sdk/client-sns';
import { handleMailEvents, mailProblem } from '@drumbeat/aws';
import { SesStandin } from '../support/ses-standin.js';
import { SnsStandin } from '../support/sns-standin.js';

/** SES event-publishing records, as SES sends them to SNS (trimmed to the fields read). */
const bounce = (bounceType: string, addresses: string[]) =>
  JSON.stringify({
    eventType: 'Bounce',
    bounce: {
      bounceType,
      bounceSubType: 'General',
      bouncedRecipients: addresses.map((emailAddress) => ({ emailAddress })),
    },
    mail: { messageId: 'm1' },
  });

describe('reading SES bounces and complaints', () => {
  it('names the addresses of a permanent bounce, lower-cased and once each', () => {
    expect(mailProblem(bounce('Permanent', ['Ops@Acme.example', 'ops@acme.example', 'b@x.example']))).toEqual({
      kind: 'bounce',
      addresses: ['ops@acme.example', 'b@x.example'],
      detail: 'Permanent/General',
    });
  });

  it('suppresses nobody again for a bounce of mail SES dropped because the address is already suppressed', () => {
    const suppressed = JSON.stringify({
      eventType: 'Bounce',
      bounce: {
        bounceType: 'Permanent',
        bounceSubType: 'OnAccountSuppressionList',
        bouncedRecipients: [{ emailAddress: 'a@x.example' }],
        timestamp: '2026-12-06T04:00:01.000Z',
      },
    });
    expect(mailProblem(suppressed)).toEqual({
      kind: 'bounce',
      addresses: [],
      detail: 'Permanent/OnAccountSuppressionList',
      at: '2026-12-06T04:00:01.000Z',
    });
  });

  it('suppresses nobody for a transient bounce', () => {
    expect(mailProblem(bounce('Transient', ['a@x.example']))?.addresses).toEqual([]);
  });

  it('names the complainants of a complaint', () => {
    const complaint = JSON.stringify({
      eventType: 'Complaint',
      complaint: { complaintFeedbackType: 'abuse', complainedRecipients: [{ emailAddress: 'c@x.example' }] },
    });
    expect(mailProblem(complaint)).toEqual({ kind: 'complaint', addresses: ['c@x.example'], detail: 'abuse' });
  });

  it('ignores other events and malformed messages', () => {
    expect(mailProblem(JSON.stringify({ eventType: 'Delivery', delivery: {} }))).toBeUndefined();
    expect(mailProblem('not json')).toBeUndefined();
  });
});

describe('the bounce and complaint handler, through the real SDK', () => {
  it('suppresses each hard-bounced address in SES and alerts the operators once per event', async () => {
    const ses = await SesStandin.start();
    const sns = await SnsStandin.start();
    const creds = {
      region: 'us-east-1',
      credentials: { accessKeyId: 'AKIDLOCAL', secretAccessKey: 'local' },
      maxAttempts: 1,
    };
    try {
      const topic = 'arn:aws:sns:us-east-1:123456789012:drumbeat-ci-Alerts';
      const out = await handleMailEvents(
        {
          Records: [
            { Sns: { Message: bounce('Permanent', ['a@x.example', 'b@x.example']) } },
            { Sns: { Message: bounce('Transient', ['c@x.example']) } },
          ],
        },
        {
          ses: new SESv2Client({ ...creds, endpoint: ses.endpoint }),
          sns: new SNSClient({ ...creds, endpoint: sns.endpoint }),
          alertTopicArn: topic,
          stage: 'ci',
        },
      );
      expect(out.suppressed).toEqual(['a@x.example', 'b@x.example']);
      expect([...ses.suppressed]).toEqual([
        ['a@x.example', 'BOUNCE'],
        ['b@x.example', 'BOUNCE'],
      ]);
      expect(sns.published).toHaveLength(1);
      expect(sns.published[0]).toMatchObject({
        TopicArn: topic,
        Subject: 'drumbeat ci: mail bounce (Permanent/General)',
      });
      expect(sns.published[0]!.Message).toContain('a@x.example, b@x.example');
    } finally {
      await Promise.all([ses.close(), sns.close()]);
    }
  });
});
