import { Webhook } from 'standardwebhooks';
import { describe, expect, it } from 'vitest';
import { newWebhookSecret, WEBHOOK_RETRY_SCHEDULE_MS, webhookHeaders } from './signed-webhook.js';
import { publishWebhookId } from './webhook-channel.js';

describe('newWebhookSecret', () => {
  it('is whsec_ and base64 of 24 random bytes', () => {
    const secret = newWebhookSecret();
    expect(secret).toMatch(/^whsec_[A-Za-z0-9+/]{32}$/);
    expect(Buffer.from(secret.slice(6), 'base64')).toHaveLength(24);
    expect(newWebhookSecret()).not.toBe(secret);
  });
});

describe('WEBHOOK_RETRY_SCHEDULE_MS', () => {
  it('is the Standard Webhooks schedule: now, 5 s, 5 min, 30 min, 2 h, 5 h, 10 h, 10 h', () => {
    expect(WEBHOOK_RETRY_SCHEDULE_MS).toEqual([0, 5e3, 3e5, 1.8e6, 7.2e6, 1.8e7, 3.6e7, 3.6e7]);
  });
});

describe('webhookHeaders', () => {
  it('signs so that the standardwebhooks verifier accepts the body, and rejects a changed one', () => {
    const secret = newWebhookSecret();
    const body = JSON.stringify({ type: 'post.publish', timestamp: new Date().toISOString(), data: { n: 1 } });
    const headers = webhookHeaders(secret, 'msg_1', new Date(), body);
    expect(new Webhook(secret).verify(body, headers)).toEqual(JSON.parse(body));
    expect(() => new Webhook(secret).verify(body.replace('1', '2'), headers)).toThrow();
    expect(() => new Webhook(newWebhookSecret()).verify(body, headers)).toThrow();
  });
});

describe('publishWebhookId', () => {
  it('is stable per idempotency key and distinct across keys', () => {
    expect(publishWebhookId('pst_a')).toBe(publishWebhookId('pst_a'));
    expect(publishWebhookId('pst_a')).not.toBe(publishWebhookId('pst_b'));
    expect(publishWebhookId('pst_a')).toMatch(/^msg_[0-9a-f]{32}$/);
  });
});
