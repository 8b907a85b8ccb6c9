import { describe, expect, it } from 'vitest';
import { mailProblem } from '@drumbeat/aws';

/** SES event-publishing records, as SES sends them to SNS (trimmed to the fields read). */
const bounce = (bounceType: string, addresses: string[]) =>
  JSON.stringify({ eventType: 'Bounce', bounce: { bounceType, bounceSubType: 'General', bouncedRecipients: addresses.map((emailAddress) => ({ emailAddress })) }, mail: { messageId: 'm1' } });

describe('reading SES bounces and complaints', () => {
  it('names the addresses of a permanent bounce, lower-cased and once each', () => {
    expect(mailProblem(bounce('Permanent', ['Ops@Acme.example', 'ops@acme.example', 'b@x.example']))).toEqual({ kind: 'bounce', addresses: ['ops@acme.example', 'b@x.example'], detail: 'Permanent/General' });
  });

  it('suppresses nobody for a transient bounce', () => {
    expect(mailProblem(bounce('Transient', ['a@x.example']))?.addresses).toEqual([]);
  });

  it('names the complainants of a complaint', () => {
    const complaint = JSON.stringify({ eventType: 'Complaint', complaint: { complaintFeedbackType: 'abuse', complainedRecipients: [{ emailAddress: 'c@x.example' }] } });
    expect(mailProblem(complaint)).toEqual({ kind: 'complaint', addresses: ['c@x.example'], detail: 'abuse' });
  });

  it('ignores other events and malformed messages', () => {
    expect(mailProblem(JSON.stringify({ eventType: 'Delivery', delivery: {} }))).toBeUndefined();
    expect(mailProblem('not json')).toBeUndefined();
  });
});
