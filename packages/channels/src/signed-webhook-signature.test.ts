import fc from 'fast-check';
import { Webhook } from 'standardwebhooks';
import { describe, expect, it } from 'vitest';
import { newWebhookSecret, webhookHeaders, webhookSignature } from './signed-webhook.js';

/** What the standardwebhooks library signs for the same inputs, or the error it refuses the secret with. */
const librarySign = (secret: string, msgId: string, at: Date, body: string): string | Error => {
  try {
    return new Webhook(secret).sign(msgId, at, body);
  } catch (err) {
    return err as Error;
  }
};
const ourSign = (secret: string, msgId: string, at: Date, body: string): string | Error => {
  try {
    return webhookHeaders(secret, msgId, at, body)['webhook-signature']!;
  } catch (err) {
    return err as Error;
  }
};

const secretOf = (key: Uint8Array) => `whsec_${Buffer.from(key).toString('base64')}`;
const instant = fc.date({
  min: new Date('1970-01-01T00:00:00Z'),
  max: new Date('2100-01-01T00:00:00Z'),
  noInvalidDate: true,
});

describe('webhook signatures made with node:crypto, standardwebhooks as the oracle', () => {
  it('equal what Webhook.sign gives for any key, id, time and body', () => {
    fc.assert(
      fc.property(
        fc.uint8Array({ minLength: 1, maxLength: 64 }),
        fc.string({ minLength: 1, maxLength: 40 }),
        instant,
        fc.string({ unit: 'binary', maxLength: 200 }),
        (key, msgId, at, body) => {
          const secret = secretOf(key);
          const headers = webhookHeaders(secret, msgId, at, body);
          expect(headers['webhook-signature']).toBe(new Webhook(secret).sign(msgId, at, body));
          expect(headers['webhook-timestamp']).toBe(String(Math.floor(at.getTime() / 1000)));
          expect(headers['webhook-id']).toBe(msgId);
        },
      ),
      { numRuns: 500 },
    );
  });

  it('verify with Webhook.verify for any key, id and body signed within its tolerance of now', () => {
    fc.assert(
      fc.property(
        fc.uint8Array({ minLength: 1, maxLength: 64 }),
        fc.string({ minLength: 1, maxLength: 40 }),
        fc.integer({ min: -240, max: 240 }),
        fc.string({ unit: 'binary', maxLength: 200 }),
        (key, msgId, offsetSeconds, body) => {
          const secret = secretOf(key);
          const headers = webhookHeaders(secret, msgId, new Date(Date.now() + offsetSeconds * 1000), body);
          expect(() => new Webhook(secret).verify(body, headers, { jsonParse: false })).not.toThrow();
        },
      ),
      { numRuns: 300 },
    );
  });

  it('verifies with Webhook.verify now, and fails it for another body, id, time or secret', () => {
    const secret = newWebhookSecret();
    const body = JSON.stringify({
      type: 'post.publish',
      timestamp: '2026-12-01T08:00:00.000Z',
      data: { text: 'héllo 😀 "quoted"\n' },
    });
    const now = new Date();
    const headers = webhookHeaders(secret, 'msg_1', now, body);
    expect(new Webhook(secret).verify(body, headers)).toEqual(JSON.parse(body));
    expect(() => new Webhook(secret).verify(body.replace('héllo', 'hello'), headers)).toThrow();
    expect(() => new Webhook(secret).verify(body, { ...headers, 'webhook-id': 'msg_2' })).toThrow();
    expect(() =>
      new Webhook(secret).verify(body, {
        ...headers,
        'webhook-timestamp': String(Number(headers['webhook-timestamp']) - 1),
      }),
    ).toThrow();
    expect(() => new Webhook(newWebhookSecret()).verify(body, headers)).toThrow();
  });

  it('signs the UTF-8 of the body as the library does, lone surrogates included', () => {
    const secret = newWebhookSecret();
    const at = new Date('2026-12-01T08:00:00.999Z');
    for (const body of ['', 'plain', 'é😀', 'lone \ud800 high', 'lone \udc00 low']) {
      expect(ourSign(secret, 'msg_x', at, body)).toBe(librarySign(secret, 'msg_x', at, body));
    }
  });

  it('is v1, then the base64 HMAC-SHA256 of id.seconds.body under the decoded key', () => {
    // The Standard Webhooks specification's own example.
    const secret = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw';
    const body = '{"test": 2432232314}';
    expect(webhookSignature(secret, 'msg_p5jXN8AQM9LWM0D4loKWxJek', 1614265330, body)).toBe(
      'v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=',
    );
  });

  it('refuses a bad secret clearly, and signs no secret the library refuses', () => {
    for (const [secret, message] of [
      ['whsec_', /empty/],
      ['', /empty/],
      ['whsec_x', /not whsec_ followed by padded base64/],
      ['whsec_AAAA!AAA', /not whsec_ followed by padded base64/],
      ['whsec_AAA=AAAA', /not whsec_ followed by padded base64/],
    ] as const) {
      expect(() => webhookHeaders(secret, 'm', new Date(), '{}')).toThrow(message);
      expect(librarySign(secret, 'm', new Date(), '{}')).toBeInstanceOf(Error);
    }
    const base64ish = fc.string({
      unit: fc.constantFrom('A', 'z', '0', '+', '/', '=', '-', '_', ' ', 'é'),
      maxLength: 12,
    });
    fc.assert(
      fc.property(fc.boolean(), base64ish, (prefixed, encoded) => {
        const secret = prefixed ? `whsec_${encoded}` : encoded;
        const at = new Date('2026-12-01T08:00:00Z');
        const ours = ourSign(secret, 'msg', at, 'body');
        const theirs = librarySign(secret, 'msg', at, 'body');
        // Where we sign, the library signs the same; where the library refuses, so do we.
        if (typeof ours === 'string') expect(theirs).toBe(ours);
        if (theirs instanceof Error) expect(ours).toBeInstanceOf(Error);
      }),
      { numRuns: 3000 },
    );
  });

  it('refuses an invalid date rather than sign a NaN timestamp', () => {
    expect(() => webhookHeaders(newWebhookSecret(), 'm', new Date(Number.NaN), '{}')).toThrow(/not a valid date/);
  });
});
