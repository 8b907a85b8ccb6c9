import { Webhook } from 'standardwebhooks';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { WEBHOOK_RETRY_SCHEDULE_MS } from '@drumbeat/core';
import type { TestApi } from '../support/api.js';
import { deliveriesOf, json, receivers, sampleEvent, startWebhookApi, subscribe } from './harness.js';

let api: TestApi;
let ws: string;
let key: string;
const servers = receivers();
beforeAll(async () => {
  api = await startWebhookApi();
  ({ id: ws, key } = await api.workspace());
});
afterEach(async () => {
  // Each test leaves its subscriptions behind; remove them so the next starts clean.
  const list = await api.call('GET', '/v1/webhooks', { key });
  for (const w of list.body.items) await api.call('DELETE', `/v1/webhooks/${w.id}`, { key });
  await api.scheduler.runDue();
  await servers.closeAll();
});
afterAll(() => api.close());

describe('an emitted event', () => {
  it('reaches the subscriber as {type, timestamp, data}, signed per Standard Webhooks', async () => {
    const rx = await servers.start();
    const sub = await subscribe(api, key, `${rx.url}/hooks/drumbeat`, ['post.published']);
    const event = sampleEvent(api, 'post.published', {
      post: { id: 'pst_1', text: 'Our autumn blend is back.' },
      account: { id: 'acc_1' },
    });

    await api.services.webhooks.emit(ws, event);
    expect(rx.requests).toHaveLength(0); // sending happens on the timer, not inside emit
    await api.scheduler.runDue();

    expect(rx.requests).toHaveLength(1);
    const req = rx.requests[0]!;
    expect(req.method).toBe('POST');
    expect(req.path).toBe('/hooks/drumbeat');
    expect(new Webhook(sub.secret).verify(req.body, req.headers)).toEqual(event);
    expect(JSON.parse(req.body)).toEqual({ type: 'post.published', timestamp: event.timestamp, data: event.data });
    const [d] = await deliveriesOf(api, key, sub.id);
    expect(d).toMatchObject({ eventType: 'post.published', status: 'delivered', msgId: req.headers['webhook-id'] });
    expect(d!.attempts).toEqual([{ at: event.timestamp, status: 200, durationMs: expect.any(Number) }]);
    expect(d!.nextAttemptAt).toBeUndefined();
  });

  it('does not verify under another secret', async () => {
    const rx = await servers.start();
    await subscribe(api, key, rx.url, ['post.created']);
    const other = await subscribe(api, key, `${rx.url}/other`, ['alert.opened']);
    await api.services.webhooks.emit(ws, sampleEvent(api, 'post.created'));
    await api.scheduler.runDue();
    expect(rx.requests).toHaveLength(1);
    expect(() => new Webhook(other.secret).verify(rx.requests[0]!.body, rx.requests[0]!.headers)).toThrow();
  });

  it('goes only to subscribers of its type, and to every * subscriber', async () => {
    const published = await servers.start();
    const everything = await servers.start();
    await subscribe(api, key, published.url, ['post.published']);
    await subscribe(api, key, everything.url, ['*']);

    await api.services.webhooks.emit(ws, sampleEvent(api, 'post.created'));
    await api.services.webhooks.emit(ws, sampleEvent(api, 'post.published'));
    await api.services.webhooks.emit(ws, sampleEvent(api, 'alert.opened'));
    await api.scheduler.runDue();

    expect(published.requests.map((r) => JSON.parse(r.body).type)).toEqual(['post.published']);
    expect(everything.requests.map((r) => JSON.parse(r.body).type).sort()).toEqual([
      'alert.opened',
      'post.created',
      'post.published',
    ]);
  });

  it("does not reach another workspace's subscribers", async () => {
    const rx = await servers.start();
    const other = await api.workspace('Other brand');
    await subscribe(api, other.key, rx.url);
    await api.services.webhooks.emit(ws, sampleEvent(api, 'post.published'));
    await api.scheduler.runDue();
    expect(rx.requests).toHaveLength(0);
  });
});

describe('retries', () => {
  it('delivers on the third attempt after two failures, waiting 5 s then 5 min, with one webhook-id', async () => {
    let calls = 0;
    const rx = await servers.start((_req, res) =>
      ++calls <= 2 ? json(res, 503, { error: 'busy' }) : json(res, 200, {}),
    );
    const sub = await subscribe(api, key, rx.url);
    const t0 = api.clock.now().getTime();
    await api.services.webhooks.emit(ws, sampleEvent(api, 'post.published'));

    await api.scheduler.runDue();
    expect(rx.requests).toHaveLength(1);
    const [pending] = await deliveriesOf(api, key, sub.id);
    expect(pending).toMatchObject({ status: 'pending', nextAttemptAt: new Date(t0 + 5_000).toISOString() });

    api.clock.advance(4_999);
    await api.scheduler.runDue();
    expect(rx.requests).toHaveLength(1);
    api.clock.advance(1);
    await api.scheduler.runDue();
    expect(rx.requests).toHaveLength(2);

    api.clock.advance(5 * 60_000 - 1);
    await api.scheduler.runDue();
    expect(rx.requests).toHaveLength(2);
    api.clock.advance(1);
    await api.scheduler.runDue();
    expect(rx.requests).toHaveLength(3);

    const [d] = await deliveriesOf(api, key, sub.id);
    expect(d!.status).toBe('delivered');
    expect(d!.nextAttemptAt).toBeUndefined();
    expect(d!.attempts.map((a) => [a.at, a.status])).toEqual([
      [new Date(t0).toISOString(), 503],
      [new Date(t0 + 5_000).toISOString(), 503],
      [new Date(t0 + 5_000 + 5 * 60_000).toISOString(), 200],
    ]);
    expect(d!.attempts[0]!.error).toContain('503');
    expect(new Set(rx.requests.map((r) => r.headers['webhook-id']))).toEqual(new Set([d!.msgId]));
    for (const r of rx.requests)
      expect(new Webhook(sub.secret).verify(r.body, r.headers)).toMatchObject({ type: 'post.published' });
  });

  it('waits for a Retry-After longer than the schedule', async () => {
    let calls = 0;
    const rx = await servers.start((_req, res) =>
      ++calls === 1 ? json(res, 429, {}, { 'retry-after': '120' }) : json(res, 200, {}),
    );
    const sub = await subscribe(api, key, rx.url);
    await api.services.webhooks.emit(ws, sampleEvent(api, 'alert.opened'));
    await api.scheduler.runDue();

    api.clock.advance(5_000);
    await api.scheduler.runDue();
    expect(rx.requests).toHaveLength(1);
    api.clock.advance(115_000);
    await api.scheduler.runDue();
    expect(rx.requests).toHaveLength(2);
    expect((await deliveriesOf(api, key, sub.id))[0]!.status).toBe('delivered');
  });

  it('retries a receiver that is not listening, without emit ever failing', async () => {
    const rx = await servers.start();
    const url = rx.url;
    await rx.close(); // nothing listens there now
    const sub = await subscribe(api, key, url);
    await expect(api.services.webhooks.emit(ws, sampleEvent(api, 'post.failed'))).resolves.toBeUndefined();
    await api.scheduler.runDue();
    const [d] = await deliveriesOf(api, key, sub.id);
    expect(d).toMatchObject({
      status: 'pending',
      attempts: [{ error: expect.stringMatching(/ECONNREFUSED|refused|connect/i) }],
    });
    expect(d!.attempts[0]!.status).toBeUndefined();
  });

  it('marks the delivery failed after the last attempt of the schedule, and stops', async () => {
    const rx = await servers.start((_req, res) => json(res, 500, { error: 'down' }));
    const sub = await subscribe(api, key, rx.url);
    await api.services.webhooks.emit(ws, sampleEvent(api, 'post.missed'));
    await api.scheduler.runDue();
    for (const delay of WEBHOOK_RETRY_SCHEDULE_MS.slice(1)) {
      api.clock.advance(delay);
      await api.scheduler.runDue();
    }
    expect(rx.requests).toHaveLength(WEBHOOK_RETRY_SCHEDULE_MS.length);
    const [d] = await deliveriesOf(api, key, sub.id);
    expect(d).toMatchObject({
      status: 'failed',
      failure: `gave up after ${WEBHOOK_RETRY_SCHEDULE_MS.length} attempts`,
    });
    expect(d!.attempts).toHaveLength(WEBHOOK_RETRY_SCHEDULE_MS.length);
    expect(d!.nextAttemptAt).toBeUndefined();

    api.clock.advance(7 * 86_400_000);
    await api.scheduler.runDue();
    expect(rx.requests).toHaveLength(WEBHOOK_RETRY_SCHEDULE_MS.length);
  });
});

describe('410 Gone', () => {
  it('disables the subscription: the delivery fails, later events are not sent', async () => {
    const rx = await servers.start((_req, res) => json(res, 410, { error: 'gone' }));
    const sub = await subscribe(api, key, rx.url);
    await api.services.webhooks.emit(ws, sampleEvent(api, 'post.published'));
    await api.scheduler.runDue();

    const listed = (await api.call('GET', '/v1/webhooks', { key })).body.items.find(
      (w: { id: string }) => w.id === sub.id,
    );
    expect(listed).toMatchObject({
      disabledAt: api.clock.now().toISOString(),
      disabledReason: 'the receiver answered 410 Gone',
    });
    const [d] = await deliveriesOf(api, key, sub.id);
    expect(d).toMatchObject({ status: 'failed', attempts: [{ status: 410 }] });
    expect(d!.failure).toMatch(/410/);

    api.clock.advance(60_000);
    await api.services.webhooks.emit(ws, sampleEvent(api, 'post.published'));
    await api.scheduler.runDue();
    api.clock.advance(86_400_000);
    await api.scheduler.runDue();
    expect(rx.requests).toHaveLength(1);
    expect(await deliveriesOf(api, key, sub.id)).toHaveLength(1);
  });
});

describe('at-least-once timers', () => {
  it('sends once when the timer fires twice at the same time, and not again after delivery', async () => {
    const rx = await servers.start((_req, res) => setTimeout(() => json(res, 200, {}), 50));
    const sub = await subscribe(api, key, rx.url);
    await api.services.webhooks.emit(ws, sampleEvent(api, 'post.approved'));
    const [d] = await deliveriesOf(api, key, sub.id);
    const payload = { workspaceId: ws, deliveryId: d!.id };

    await Promise.all([
      api.services.webhooks.deliver(payload),
      api.services.webhooks.deliver(payload),
      api.scheduler.runDue(),
    ]);
    await api.services.webhooks.deliver(payload);
    api.clock.advance(3_600_000);
    await api.scheduler.runDue();

    expect(rx.requests).toHaveLength(1);
    const [after] = await deliveriesOf(api, key, sub.id);
    expect(after).toMatchObject({ status: 'delivered' });
    expect(after!.attempts).toHaveLength(1);
  });

  it('does not send early when a stale firing arrives before the next attempt is due', async () => {
    let calls = 0;
    const rx = await servers.start((_req, res) => json(res, ++calls === 1 ? 500 : 200, {}));
    const sub = await subscribe(api, key, rx.url);
    await api.services.webhooks.emit(ws, sampleEvent(api, 'post.rejected'));
    await api.scheduler.runDue();
    const [d] = await deliveriesOf(api, key, sub.id);

    await api.services.webhooks.deliver({ workspaceId: ws, deliveryId: d!.id }); // a late duplicate of the first firing
    expect(rx.requests).toHaveLength(1);
    api.clock.advance(5_000);
    await api.scheduler.runDue();
    expect(rx.requests).toHaveLength(2);
  });

  it('fails a pending delivery of a deleted subscription without sending it', async () => {
    const rx = await servers.start();
    const sub = await subscribe(api, key, rx.url);
    await api.services.webhooks.emit(ws, sampleEvent(api, 'alert.resolved'));
    const [d] = await deliveriesOf(api, key, sub.id);
    expect((await api.call('DELETE', `/v1/webhooks/${sub.id}`, { key })).status).toBe(204);

    await api.scheduler.runDue();
    expect(rx.requests).toHaveLength(0);
    expect(await api.store.deliveries.get(ws, d!.id)).toMatchObject({
      status: 'failed',
      failure: 'the subscription was deleted',
      attempts: [],
    });
  });
});
