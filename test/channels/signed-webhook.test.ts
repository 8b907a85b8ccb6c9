import { Webhook } from 'standardwebhooks';
import { describe, expect, it } from 'vitest';
import { newWebhookSecret, sendSignedWebhook } from '@drumbeat/channels';
import { json, startRecorder, type Handler } from '../support/http-recorder.js';
import { closedAfterEach } from '../support/closed-after-each.js';

const keep = closedAfterEach();
const serve = async (h: Handler) => {
  return keep(await startRecorder(h));
};

const secret = newWebhookSecret();
const event = {
  type: 'alert.opened',
  timestamp: '2026-03-02T14:30:00.000Z',
  data: { alert: { id: 'alr_1', kind: 'cadence_lapsed' } },
};

describe('sendSignedWebhook', () => {
  it('delivers a Standard Webhooks message the receiver verifies, with a fresh timestamp', async () => {
    const s = await serve((req, res) => {
      const payload = new Webhook(secret).verify(req.body, req.headers);
      json(res, 200, { received: payload });
    });
    const before = Math.floor(Date.now() / 1000);
    const r = await sendSignedWebhook({
      url: `${s.url}/in`,
      secret,
      msgId: 'msg_abc',
      event,
      timeoutMs: 2000,
      allowPrivate: true,
    });
    expect(r).toMatchObject({ ok: true, status: 200, retryable: false, outcomeUnknown: false });
    expect(JSON.parse(r.body!)).toEqual({ received: event });
    expect(r.durationMs).toBeGreaterThanOrEqual(0);
    const h = s.requests[0]!.headers;
    expect(h['webhook-id']).toBe('msg_abc');
    expect(Number(h['webhook-timestamp'])).toBeGreaterThanOrEqual(before);
    expect(h['webhook-signature']).toMatch(/^v1,[A-Za-z0-9+/]+=*$/);
    expect(s.requests[0]!.body).toBe(JSON.stringify(event));
  });

  it('reports a 503 with Retry-After as a retryable failure with its delay', async () => {
    const s = await serve((_req, res) => json(res, 503, { error: 'maintenance' }, { 'retry-after': '30' }));
    const r = await sendSignedWebhook({ url: s.url, secret, msgId: 'm', event, timeoutMs: 2000, allowPrivate: true });
    expect(r).toMatchObject({ ok: false, status: 503, retryable: true, outcomeUnknown: false, retryAfterMs: 30_000 });
    expect(r.error).toContain('maintenance');
  });

  it('reports a timeout after sending as outcome unknown, within the timeout', async () => {
    const s = await serve(() => undefined);
    const r = await sendSignedWebhook({ url: s.url, secret, msgId: 'm', event, timeoutMs: 150, allowPrivate: true });
    expect(r).toMatchObject({ ok: false, retryable: true, outcomeUnknown: true });
    expect(r.durationMs).toBeLessThan(2000);
  });

  it('enforces the egress rule by default: no private addresses, no plain http', async () => {
    const s = await serve((_req, res) => json(res, 200, {}));
    const r = await sendSignedWebhook({ url: s.url, secret, msgId: 'm', event, timeoutMs: 2000 });
    expect(r).toMatchObject({ ok: false, retryable: false, outcomeUnknown: false });
    expect(r.error).toMatch(/must use https/);
    expect(s.connections()).toBe(0);
  });

  it('reports a bad secret as a final failure without calling anyone', async () => {
    const s = await serve((_req, res) => json(res, 200, {}));
    const r = await sendSignedWebhook({
      url: s.url,
      secret: 'whsec_',
      msgId: 'm',
      event,
      timeoutMs: 2000,
      allowPrivate: true,
    });
    expect(r).toMatchObject({
      ok: false,
      retryable: false,
      outcomeUnknown: false,
      error: 'cannot sign: the signing secret is empty',
    });
    const garbled = await sendSignedWebhook({
      url: s.url,
      secret: 'whsec_not base64!',
      msgId: 'm',
      event,
      timeoutMs: 2000,
      allowPrivate: true,
    });
    expect(garbled).toMatchObject({
      ok: false,
      retryable: false,
      outcomeUnknown: false,
      error: expect.stringMatching(/^cannot sign: the signing secret is not whsec_ followed by padded base64/),
    });
    expect(s.connections()).toBe(0);
  });
});
