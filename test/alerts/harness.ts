/**
 * The alerts test bench: the API in-process over a real embedded store with a
 * manual clock, the local scheduler driven by `runDue()`, alert mail through
 * a real SMTP server on loopback (parsed with mailparser), a webhook
 * subscriber to alert events, and a way to restart the services over the
 * same store (a new process would: new services, the scheduler's timers
 * re-read from the table).
 */
import { expect } from 'vitest';
import { Webhook } from 'standardwebhooks';
import { allowAllUrls, type Mailer, type MailMessage, type TimerPayload } from '@drumbeat/core';
import { channelFor, signedWebhookSender } from '@drumbeat/channels';
import { createServices, type Services } from '@drumbeat/services';
import { createLogger } from '@drumbeat/local';
import { dispatchTimers } from '../../packages/local/src/timer-dispatch.js';
import { LocalScheduler } from '../../packages/local/src/scheduler/index.js';
import { SmtpMailer } from '../../packages/local/src/mail/index.js';
import { createApp, type App } from '@drumbeat/api';
import { ADMIN, startTestApi, type TestApi } from '../support/api.js';
import { json, startRecorder, type HttpRecorder } from '../support/http-recorder.js';
import { startSmtpSink, type SmtpSink } from '../support/smtp-sink.js';

export const FROM = 'Drumbeat <alerts@drumbeat.test>';
export const RECIPIENT = 'brand@acme.example';

/** A mailer that refuses every message (SMTP down), counting the attempts. */
export class DownMailer implements Mailer {
  attempts = 0;
  async send(_m: MailMessage): Promise<{ messageId: string }> {
    this.attempts++;
    throw new Error('connect ECONNREFUSED 127.0.0.1:25');
  }
}

export interface AlertBench {
  api: TestApi;
  key: string;
  ws: string;
  sink: SmtpSink;
  subscriber: HttpRecorder;
  channel: HttpRecorder;
  /** Watchdog timer firings seen by the dispatcher (per account id). */
  watchdogRuns: Map<string, number>;
  /** The services currently serving (replaced by `restart`). */
  services(): Services;
  /** Calls the API of the current services with the workspace's owner key (or `key`). */
  call(
    method: string,
    path: string,
    opts?: { key?: string; body?: unknown },
  ): Promise<{ status: number; headers: Headers; body: any }>;
  /** Moves the clock and fires every timer due. */
  at(iso: string): Promise<void>;
  /** Alert events the subscriber received, signature verified, in order. */
  events(): { type: string; data: { alert: { id: string; kind: string; status: string; accountId: string } } }[];
  /** Stops the scheduler and builds new services and a new scheduler over the same store (timers re-read), mailing through `mailer`. */
  restart(mailer?: Mailer): Promise<void>;
  /** Another services instance over the same store, as a second process would have (its own scheduler, not started). */
  spawn(mailer?: Mailer): Services;
  /** A voice id. */
  voice(name?: string): Promise<string>;
  close(): Promise<void>;
}

/**
 * Starts the bench at `now`, with alert mail going to a real SMTP sink (or
 * through `mailer`); `digestWindowMs` overrides the alert emails' gathering
 * window (default DIGEST_WINDOW_MS) through the services options.
 */
export async function startAlertBench(
  now: string,
  opts: { mailer?: (sink: SmtpSink) => Mailer; channelStatus?: () => number; digestWindowMs?: number } = {},
): Promise<AlertBench> {
  const sink = await startSmtpSink();
  const smtp = () => new SmtpMailer({ url: sink.url, from: FROM });
  const api = await startTestApi({
    now,
    mailer: opts.mailer ? opts.mailer(sink) : smtp(),
    publisher: { retryDelaysMs: [] },
  });
  const w = await api.workspace();
  const subscriber = await startRecorder((_r, res) => json(res, 200, {}));
  const channel = await startRecorder((_r, res) => {
    const status = opts.channelStatus?.() ?? 200;
    json(res, status, status < 300 ? { url: 'https://social.example/1' } : { error: 'refused' });
  });
  const sub = await api.call('POST', '/v1/webhooks', {
    key: w.key,
    body: { url: `${subscriber.url}/events`, events: ['alert.opened', 'alert.resolved', 'conversation.overdue'] },
  });
  if (sub.status !== 201) throw new Error(`subscription failed: ${JSON.stringify(sub.body)}`);
  const secret = sub.body.secret as string;
  const watchdogRuns = new Map<string, number>();
  const build = (sched: LocalScheduler, mailer: Mailer) =>
    createServices(
      {
        store: api.store,
        clock: api.clock,
        scheduler: sched,
        urlPolicy: allowAllUrls,
        webhookSender: signedWebhookSender({ allowPrivate: true, timeoutMs: 2_000 }),
        channelFor: (c) => channelFor(c, { allowPrivate: true, timeoutMs: 2_000 }),
        mailer,
        publicUrl: 'http://drumbeat.test',
        // The same sealing key as before the restart: a real restart reads it from the data dir.
        sealer: api.sealer,
      },
      {
        publisher: { retryDelaysMs: [] },
        ...(opts.digestWindowMs !== undefined ? { alerts: { digestWindowMs: opts.digestWindowMs } } : {}),
      },
    );
  let scheduler = api.scheduler;
  // A window of its own needs services of its own (the test API's have the default).
  let services =
    opts.digestWindowMs !== undefined ? build(scheduler, opts.mailer ? opts.mailer(sink) : smtp()) : api.services;
  let app: App =
    opts.digestWindowMs !== undefined ? createApp(services, { adminToken: ADMIN, maxBodyBytes: 64 * 1024 }) : api.app;
  const start = () => {
    const dispatch = dispatchTimers(services, createLogger('silent'));
    scheduler.start(
      async (payload: TimerPayload, meta) => {
        if (payload.kind === 'watchdog')
          watchdogRuns.set(payload.accountId, (watchdogRuns.get(payload.accountId) ?? 0) + 1);
        await dispatch(payload, meta);
      },
      { loop: false },
    );
  };
  start();
  const runAll = async () => {
    // Fired handlers can arm timers due now (deliveries, re-armed watchdogs): run until quiet.
    for (let i = 0; i < 10 && (await scheduler.runDue()) > 0; i++);
  };
  return {
    api,
    key: w.key,
    ws: w.id,
    sink,
    subscriber,
    channel,
    watchdogRuns,
    services: () => services,
    async call(method, path, o = {}) {
      const headers: Record<string, string> = { Authorization: `Bearer ${o.key ?? w.key}` };
      if (o.body !== undefined) headers['Content-Type'] = 'application/json';
      const res = await app.request(path, {
        method,
        headers,
        ...(o.body !== undefined ? { body: JSON.stringify(o.body) } : {}),
      });
      const text = await res.text();
      return { status: res.status, headers: res.headers, body: text ? JSON.parse(text) : undefined };
    },
    async at(iso) {
      api.clock.set(iso);
      await runAll();
    },
    events() {
      return subscriber.requests.map(
        (r) => new Webhook(secret).verify(r.body, r.headers) as ReturnType<AlertBench['events']>[number],
      );
    },
    async restart(mailer) {
      await scheduler.stop();
      scheduler = new LocalScheduler({ db: api.store.db, clock: api.clock });
      services = build(scheduler, mailer ?? smtp());
      app = createApp(services, { adminToken: ADMIN, maxBodyBytes: 64 * 1024 });
      start();
    },
    spawn(mailer) {
      return build(new LocalScheduler({ db: api.store.db, clock: api.clock }), mailer ?? smtp());
    },
    async voice(name = 'Anna') {
      const r = await api.call('POST', '/v1/voices', { key: w.key, body: { name, affiliation: 'agency' } });
      return r.body.id as string;
    },
    async close() {
      await scheduler.stop();
      await subscriber.close();
      await channel.close();
      await sink.close();
      await api.close();
    },
  };
}

/** An account body: a webhook channel to `channelUrl`, no slots unless given, alert mail to RECIPIENT. */
export function alertAccount(channelUrl: string, over: Record<string, unknown> = {}) {
  return {
    name: 'Acme on Mastodon',
    network: 'mastodon',
    handle: '@acme',
    timezone: 'Europe/Paris',
    channel: { type: 'webhook', url: channelUrl },
    alerts: { emails: [RECIPIENT] },
    ...over,
  };
}

/**
 * An alert account with `cadence` (through alertAccount) whose one post, 'Autumn blend is back', was published on
 * Monday 23 Nov 2026 at 11:00 UTC (the bench's clock moved there): the account's id and the voice of the post.
 */
export async function publishedOnce(b: AlertBench, cadence: Record<string, unknown>) {
  const voiceId = await b.voice();
  const acc = await b.call('POST', '/v1/accounts', { body: alertAccount(b.channel.url, { cadence }) });
  expect(acc.status).toBe(201);
  const post = await b.call('POST', `/v1/accounts/${acc.body.id}/posts`, {
    body: { text: 'Autumn blend is back', voiceId, at: '2026-11-23T11:00:00Z' },
  });
  expect(post.status).toBe(201);
  await b.at('2026-11-23T11:00:00Z');
  expect((await b.call('GET', `/v1/posts/${post.body.id}`)).body.status).toBe('published');
  return { acc: acc.body.id as string, voiceId };
}
