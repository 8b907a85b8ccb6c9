import { allowAllUrls, ManualClock, type UrlPolicy } from '@drumbeat/core';
import { createServices, type Services } from '@drumbeat/services';
import { createApp, type App } from '@drumbeat/api';
import { startTestStore } from './store.js';
import type { Store } from '@drumbeat/store';
import { LocalScheduler } from '../../packages/local/src/scheduler/index.js';

export const ADMIN = 'test-admin-token';

/** The API in-process (app.request) over a real embedded store, with a manual clock. */
export interface TestApi {
  app: App;
  services: Services;
  scheduler: LocalScheduler;
  store: Store;
  clock: ManualClock;
  close(): Promise<void>;
  /** Calls the app with a JSON body (when given) and returns status, headers and parsed body. */
  call(method: string, path: string, opts?: { key?: string; body?: unknown; headers?: Record<string, string> }): Promise<{ status: number; headers: Headers; body: any }>;
  /** Creates a workspace through the admin route; returns it with its owner key. */
  workspace(name?: string): Promise<{ id: string; slug: string; key: string }>;
}

export async function startTestApi(opts: { now?: string; urlPolicy?: UrlPolicy } = {}): Promise<TestApi> {
  const { store, close } = await startTestStore();
  const clock = new ManualClock(opts.now ?? '2026-11-23T10:00:00Z');
  const scheduler = new LocalScheduler({ db: store.db, clock });
  const services = createServices({ store, clock, urlPolicy: opts.urlPolicy ?? allowAllUrls, scheduler });
  const app = createApp(services, { adminToken: ADMIN, maxBodyBytes: 64 * 1024 });
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
    close,
    call,
    async workspace(name = 'Acme') {
      const r = await call('POST', '/v1/workspaces', { key: ADMIN, body: { name } });
      if (r.status !== 201) throw new Error(`workspace creation failed: ${JSON.stringify(r.body)}`);
      return { id: r.body.workspace.id, slug: r.body.workspace.slug, key: r.body.apiKey.key };
    },
  };
}

/** A valid account body with a webhook channel. */
export function accountBody(overrides: Record<string, unknown> = {}) {
  return {
    name: 'Acme on Mastodon',
    network: 'mastodon',
    handle: '@acme',
    timezone: 'Europe/Paris',
    channel: { type: 'webhook', url: 'https://hooks.agency.example/drumbeat' },
    cadence: { slots: ['FREQ=WEEKLY;BYDAY=MO,WE,FR;BYHOUR=9;BYMINUTE=30'], maxGap: 'PT48H' },
    ...overrides,
  };
}
