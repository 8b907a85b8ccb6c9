import { Webhook } from 'standardwebhooks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WEBHOOK_RETRY_SCHEDULE_MS } from '@drumbeat/core';
import type { TestApi } from '../support/api.js';
import { accountBody } from '../support/api.js';
import { deliveriesOf, json, receivers, sampleEvent, startWebhookApi, subscribe } from './harness.js';

// A subscription whose receiver is down for good, beside one that listens for webhook.exhausted.
let api: TestApi;
let ws: string;
let key: string;
let acc: string;
const servers = receivers();
beforeAll(async () => {
  api = await startWebhookApi('2026-11-23T10:00:00Z', { disableAfter: 2 });
  ({ id: ws, key } = await api.workspace());
  acc = (
    await api.call('POST', '/v1/accounts', { key, body: accountBody({ alerts: { emails: ['ops@acme.example'] } }) })
  ).body.id;
});
afterAll(async () => {
  await servers.closeAll();
  await api.close();
});

/** Emits one event about the account and runs its delivery through the whole retry schedule. */
async function deliverThroughSchedule(type: 'post.created' | 'post.published') {
  await api.services.webhooks.emit(
    ws,
    sampleEvent(api, type, { post: { id: 'pst_x', accountId: acc }, account: { id: acc } }),
  );
  await api.scheduler.runDue();
  for (const delay of WEBHOOK_RETRY_SCHEDULE_MS.slice(1)) {
    api.clock.advance(delay);
    await api.scheduler.runDue();
  }
  await api.scheduler.runDue(); // what the exhaustion queued (webhook.exhausted, the watchdog)
}

const openAlerts = async () =>
  (await api.call('GET', `/v1/alerts?accountId=${acc}&status=open`, { key })).body.items as {
    kind: string;
    details: Record<string, unknown>;
  }[];

describe('a subscription whose deliveries are exhausted', () => {
  it('tells the other subscriptions, opens an alert on the account, and is disabled after the configured number in a row', async () => {
    const down = await servers.start((_req, res) => json(res, 500, { error: 'down' }));
    const watcher = await servers.start();
    const failing = await subscribe(api, key, down.url, ['post.created', 'post.published']);
    const listener = await subscribe(api, key, watcher.url, ['webhook.exhausted']);

    await deliverThroughSchedule('post.created');
    const heard = () =>
      watcher.requests.map(
        (r) => new Webhook(listener.secret).verify(r.body, r.headers) as { type: string; data: Record<string, any> },
      );
    expect(heard()).toMatchObject([
      {
        type: 'webhook.exhausted',
        data: {
          webhook: { id: failing.id, failedDeliveries: 1 },
          delivery: { status: 'failed', eventType: 'post.created' },
          failedDeliveries: 1,
          disabled: false,
        },
      },
    ]);
    const failingAlerts = async () => (await openAlerts()).filter((a) => a.kind === 'webhook_failing');
    expect(await failingAlerts()).toMatchObject([{ details: { webhookId: failing.id, failedDeliveries: 1 } }]);
    const sub = (await api.call('GET', '/v1/webhooks', { key })).body.items.find(
      (w: { id: string }) => w.id === failing.id,
    );
    expect(sub.disabledAt).toBeUndefined();
    expect(sub.failedDeliveries).toBe(1);

    await deliverThroughSchedule('post.published');
    expect(heard()).toHaveLength(2);
    expect(heard()[1]).toMatchObject({ data: { failedDeliveries: 2, disabled: true } });
    const disabled = (await api.call('GET', '/v1/webhooks', { key })).body.items.find(
      (w: { id: string }) => w.id === failing.id,
    );
    expect(disabled).toMatchObject({
      disabledAt: expect.any(String),
      disabledReason: '2 deliveries in a row failed every retry',
      failedDeliveries: 2,
    });
    expect(await failingAlerts()).toMatchObject([
      { details: { failedDeliveries: 2, disabledAt: disabled.disabledAt } },
    ]);

    // nothing more goes to it
    const before = down.requests.length;
    await api.services.webhooks.emit(ws, sampleEvent(api, 'post.created', { account: { id: acc } }));
    await api.scheduler.runDue();
    expect(down.requests).toHaveLength(before);
    expect(await deliveriesOf(api, key, failing.id)).toHaveLength(2);
    await api.call('DELETE', `/v1/webhooks/${failing.id}`, { key });
    await api.call('DELETE', `/v1/webhooks/${listener.id}`, { key });
  });

  it('resolves the alert once the subscription delivers again', async () => {
    let up = false;
    const flaky = await servers.start((_req, res) => json(res, up ? 200 : 503, {}));
    const sub = await subscribe(api, key, flaky.url, ['post.created']);
    await deliverThroughSchedule('post.created');
    expect(
      (await openAlerts()).filter((a) => a.kind === 'webhook_failing' && a.details.webhookId === sub.id),
    ).toHaveLength(1);
    up = true;
    await api.services.webhooks.emit(ws, sampleEvent(api, 'post.created', { account: { id: acc } }));
    await api.scheduler.runDue();
    expect((await deliveriesOf(api, key, sub.id))[0]).toMatchObject({ status: 'delivered' });
    expect(
      (await api.call('GET', '/v1/webhooks', { key })).body.items.find((w: { id: string }) => w.id === sub.id)
        .failedDeliveries,
    ).toBeUndefined();
    expect((await openAlerts()).filter((a) => a.kind === 'webhook_failing')).toEqual([]);
  });
});
