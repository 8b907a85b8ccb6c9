/**
 * Shared set-up of the webhook tests: the API over a real store with the real
 * signed sender, a URL policy that lets loopback receivers in, timers fired
 * through the runtime's own dispatch when the test says so, and real HTTP
 * receivers on 127.0.0.1.
 */
import { egressUrlPolicy } from '@drumbeat/channels';
import type { DomainEvent, EventType } from '@drumbeat/core';
import { createLogger } from '../../packages/local/src/logger.js';
import { dispatchTimers } from '../../packages/local/src/timer-dispatch.js';
import { startTestApi, type TestApi } from '../support/api.js';
import { json, startRecorder, type Handler, type HttpRecorder } from '../support/http-recorder.js';

export { json };

/** The API with timers driven by `api.scheduler.runDue()` (no background loop). */
export async function startWebhookApi(
  now = '2026-11-23T10:00:00Z',
  opts: { disableAfter?: number } = {},
): Promise<TestApi> {
  const api = await startTestApi({
    now,
    urlPolicy: egressUrlPolicy({ allowPrivate: true }),
    ...(opts.disableAfter ? { webhooks: { disableAfter: opts.disableAfter } } : {}),
  });
  api.scheduler.start(dispatchTimers(api.services, createLogger('silent')), { loop: false });
  return api;
}

/** Real HTTP receivers, closed together after each test. */
export function receivers() {
  const open: HttpRecorder[] = [];
  return {
    async start(handler: Handler = (_req, res) => json(res, 200, { ok: true })): Promise<HttpRecorder> {
      const r = await startRecorder(handler);
      open.push(r);
      return r;
    },
    async closeAll(): Promise<void> {
      await Promise.all(open.splice(0).map((r) => r.close()));
    },
  };
}

/** An event as a use-case would emit it, stamped with the test clock. */
export function sampleEvent(
  api: TestApi,
  type: EventType,
  data: Record<string, unknown> = { post: { id: 'pst_1', text: 'Hello' } },
): DomainEvent {
  return { type, timestamp: api.clock.now().toISOString(), data };
}

/** Subscribes `url` through the API; returns the created body (with its secret). */
export async function subscribe(api: TestApi, key: string, url: string, events: string[] = ['*']) {
  const r = await api.call('POST', '/v1/webhooks', { key, body: { url, events } });
  if (r.status !== 201) throw new Error(`subscription failed: ${r.status} ${JSON.stringify(r.body)}`);
  return r.body as { id: string; secret: string; url: string; events: string[] };
}

/** The deliveries of a subscription, newest first, through the API. */
export async function deliveriesOf(api: TestApi, key: string, webhookId: string) {
  const r = await api.call('GET', `/v1/webhooks/${webhookId}/deliveries`, { key });
  if (r.status !== 200) throw new Error(`deliveries failed: ${r.status} ${JSON.stringify(r.body)}`);
  return r.body.items as {
    id: string;
    msgId: string;
    eventType: string;
    status: string;
    attempts: { at: string; status?: number; error?: string; durationMs: number }[];
    nextAttemptAt?: string;
    failure?: string;
  }[];
}
