import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { allowAllUrls, ManualClock, type Channel, type Clock, type Mailer, type UrlPolicy } from '@drumbeat/core';
import { channelFor, signedWebhookSender, sourceFor } from '@drumbeat/channels';
import { randomBytes } from 'node:crypto';
import { aesGcmSealer, createServices, type PublisherOptions, type Services } from '@drumbeat/services';
import type { SecretSealer } from '@drumbeat/core';
import { createApp, type App } from '@drumbeat/api';
import { ALL_SERVICES, type ServiceName } from '@drumbeat/services/lazy';
import { startTestStore } from './store.js';
import { singleWriterCache, type Store } from '@drumbeat/store';
import { LocalScheduler } from '../../packages/local/src/scheduler/index.js';
import { OutboxMailer } from '../../packages/local/src/mail/index.js';

export const ADMIN = 'test-admin-token';

/** The API in-process (app.request) over a real embedded store, with a manual clock. */
export interface TestApi {
  app: App;
  services: Services;
  scheduler: LocalScheduler;
  store: Store;
  clock: ManualClock;
  /** Seals secrets in the table (a fresh key per test API, as the runtime keeps one outside the table). */
  sealer: SecretSealer;
  /** Where the default (outbox) mailer writes .eml files. */
  outboxDir: string;
  close(): Promise<void>;
  /** Calls the app with a JSON body (when given) and returns status, headers and parsed body. */
  call(
    method: string,
    path: string,
    opts?: { key?: string; body?: unknown; headers?: Record<string, string> },
  ): Promise<{ status: number; headers: Headers; body: any }>;
  /** Creates a workspace through the admin route; returns it with its owner key. */
  workspace(name?: string): Promise<{ id: string; slug: string; key: string }>;
}

/**
 * Starts the API over a fresh embedded store. Channels and webhooks are the
 * real implementations, allowed to reach loopback receivers; mail goes to an
 * outbox directory unless a mailer is given.
 */
export async function startTestApi(
  opts: {
    now?: string;
    urlPolicy?: UrlPolicy;
    mailer?: Mailer;
    publisher?: Partial<PublisherOptions>;
    timeoutMs?: number;
    rateLimit?: { perMinute: number; burst: number };
    webhooks?: { disableAfter?: number };
  } = {},
): Promise<TestApi> {
  const { store, close } = await startTestStore();
  const clock = new ManualClock(opts.now ?? '2026-11-23T10:00:00Z');
  const scheduler = new LocalScheduler({ db: store.db, clock });
  const outboxDir = mkdtempSync(join(tmpdir(), 'drumbeat-outbox-'));
  const timeoutMs = opts.timeoutMs ?? 2_000;
  const sealer = aesGcmSealer(randomBytes(32));
  const services = createServices(
    {
      // As the embedded runtime: the only writer, with its records in memory (`store` stays the table itself).
      store: singleWriterCache(store),
      clock,
      scheduler,
      urlPolicy: opts.urlPolicy ?? allowAllUrls,
      webhookSender: signedWebhookSender({ allowPrivate: true, timeoutMs }),
      channelFor: (c) => channelFor(c, { allowPrivate: true, timeoutMs }),
      sourceFor: (c) => sourceFor(c, { allowPrivate: true, timeoutMs }),
      mailer: opts.mailer ?? new OutboxMailer({ dir: outboxDir, from: 'drumbeat@test.example', log: () => {} }),
      publicUrl: 'http://drumbeat.test',
      singleWriter: true,
      sealer,
    },
    {
      publisher: { retryDelaysMs: [10_000, 60_000, 300_000], ...opts.publisher },
      ...(opts.webhooks ? { webhooks: opts.webhooks } : {}),
    },
  );
  // Each route group sees only the use-cases it lists, as on Lambda (where the others' code is not loaded).
  const app = createApp(async (names) => asOnLambda(services, names), {
    adminToken: ADMIN,
    maxBodyBytes: 64 * 1024,
    ...(opts.rateLimit ? { rateLimit: opts.rateLimit } : {}),
  });
  const call: TestApi['call'] = async (method, path, o = {}) => {
    const headers: Record<string, string> = { ...(o.headers ?? {}) };
    if (o.key) headers.Authorization = `Bearer ${o.key}`;
    let body: string | undefined;
    if (o.body !== undefined) {
      body = typeof o.body === 'string' ? o.body : JSON.stringify(o.body);
      headers['Content-Type'] ??= 'application/json';
    }
    const res = await app.request(path, { method, headers, ...(body !== undefined ? { body } : {}) });
    const text = await res.text();
    let parsed: unknown = text;
    try {
      parsed = text ? JSON.parse(text) : undefined;
    } catch {
      /* not JSON: keep the text */
    }
    return { status: res.status, headers: res.headers, body: parsed };
  };
  return {
    app,
    services,
    scheduler,
    store,
    clock,
    sealer,
    outboxDir,
    close,
    call,
    async workspace(name = 'Acme') {
      const r = await call('POST', '/v1/workspaces', { key: ADMIN, body: { name } });
      if (r.status !== 201) throw new Error(`workspace creation failed: ${JSON.stringify(r.body)}`);
      return { id: r.body.workspace.id, slug: r.body.workspace.slug, key: r.body.apiKey.key };
    },
  };
}

/**
 * startTestApi (on Monday 23 Nov 2026, 10:00 UTC, unless `opts.now`) with a workspace (`opts.workspace`,
 * else Acme) and one voice in it, created from `voice`: the API, the owner key, the workspace and the voice.
 */
export async function startWithVoice(
  voice: Record<string, unknown>,
  opts: Parameters<typeof startTestApi>[0] & { workspace?: string } = {},
): Promise<{ api: TestApi; key: string; ws: string; slug: string; voiceId: string }> {
  const { workspace, ...apiOpts } = opts;
  const api = await startTestApi(apiOpts);
  const { key, id: ws, slug } = await api.workspace(workspace);
  const r = await api.call('POST', '/v1/voices', { key, body: voice });
  if (r.status !== 201) throw new Error(`voice creation failed: ${JSON.stringify(r.body)}`);
  return { api, key, ws, slug, voiceId: r.body.id };
}

/** The account body the tests share (moved to bodies.ts, which needs no API to import). */
export { accountBody } from './bodies.js';

/**
 * Services of another process over the test API's table (as after a restart,
 * or a second instance): its own caches and scheduler (not started), the
 * given channel for every account, webhooks and mail that go nowhere.
 */
export function servicesOver(api: TestApi, clock: Clock, opts: { channel: Channel; singleWriter?: boolean }): Services {
  return createServices({
    // Its own caches when it is the only writer.
    store: opts.singleWriter ? singleWriterCache(api.store) : api.store,
    clock,
    scheduler: new LocalScheduler({ db: api.store.db, clock }),
    urlPolicy: allowAllUrls,
    webhookSender: { send: async () => ({ ok: true, retryable: false, durationMs: 0 }) },
    channelFor: () => opts.channel,
    mailer: new OutboxMailer({ dir: api.outboxDir, from: 'x@test.example', log: () => {} }),
    publicUrl: 'http://drumbeat.test',
    sealer: api.sealer,
    ...(opts.singleWriter ? { singleWriter: true } : {}),
  });
}

/**
 * The use-cases as a request sees them on Lambda (functions/api.ts): those
 * asked for (a route group's list, route-table.ts; the API keys for /v1's
 * authentication) and `deps`; reading any other is an error, so a group that
 * forgets one fails its tests here rather than its first request on AWS.
 */
function asOnLambda(services: Services, names: readonly ServiceName[] | 'all'): Services {
  if (names === 'all') return services;
  const seen = new Set<string>(names);
  return new Proxy(services, {
    get(target, prop) {
      if (typeof prop === 'string' && (ALL_SERVICES as string[]).includes(prop) && !seen.has(prop))
        throw new Error(`this route group reads services.${prop}, which its entry in route-table.ts does not list`);
      return Reflect.get(target, prop, target);
    },
  });
}
