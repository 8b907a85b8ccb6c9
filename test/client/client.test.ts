import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger, readConfig, startRuntime, type Runtime } from '@drumbeat/local';
import {
  collect,
  Drumbeat,
  DrumbeatError,
  OPERATIONS,
  verifyWebhook,
  webhookHandler,
  WebhookVerificationError,
  type Post,
} from '@drumbeat/client';
import { json, startRecorder, type HttpRecorder } from '../support/http-recorder.js';
import { startProxy, type LoopbackProxy } from './loopback-proxy.js';

// The client against the embedded runtime over real HTTP (in memory, real clock, real scheduler).
let rt: Runtime;
let db: Drumbeat;
let voiceId: string;
const closers: (() => Promise<void>)[] = [];

beforeAll(async () => {
  rt = await startRuntime(readConfig({ PORT: '0', DRUMBEAT_MEMORY: '1' }), { logger: createLogger('silent') });
  db = new Drumbeat({ baseUrl: rt.url, apiKey: rt.firstWorkspace!.apiKey.key });
  voiceId = (
    await db.voices.create({
      name: 'Anna Bell',
      affiliation: 'agency',
      organization: 'Northwind Agency',
      signature: 'AB',
    })
  ).id;
});
afterAll(async () => {
  for (const close of closers.reverse()) await close();
  await rt.stop();
});

const account = (name: string, extra: Record<string, unknown> = {}) =>
  db.accounts.create({
    name,
    network: 'mastodon',
    handle: `@${name.toLowerCase().replace(/\W+/g, '')}`,
    timezone: 'Europe/Paris',
    channel: { type: 'manual' },
    cadence: { slots: ['FREQ=WEEKLY;BYDAY=MO,WE,FR;BYHOUR=9;BYMINUTE=30'], maxGap: 'PT72H' },
    ...extra,
  });

describe('planning a month with the client', () => {
  it('plans a list of posts into the next free slots and reads them back on the calendar', async () => {
    const acc = await account('Acme Paris');
    const ideas = Array.from({ length: 13 }, (_, i) => `Idea ${i + 1}: our autumn blend, chapter ${i + 1}`);
    const planned: Post[] = [];
    for (const text of ideas) planned.push(await db.posts.create(acc.id, { text, voiceId, slot: 'next' }));

    // each took the next free slot: strictly later, 09:30 in Paris, on a Monday, Wednesday or Friday
    const times = planned.map((p) => Date.parse(p.scheduledAt));
    expect(times).toEqual([...times].sort((a, b) => a - b));
    expect(new Set(times).size).toBe(13);
    for (const p of planned) {
      expect(p.slot).toBe(true);
      expect(p.scheduledLocal).toMatch(/T09:30:00\+0[12]:00\[Europe\/Paris\]$/);
    }

    const cal = await db.calendar.get(acc.id, {
      from: new Date().toISOString(),
      to: new Date(Date.now() + 31 * 86_400_000).toISOString(),
    });
    expect(cal.timezone).toBe('Europe/Paris');
    const filled = cal.slots.filter((s) => s.postId !== null);
    expect(filled.map((s) => s.postId)).toEqual(planned.map((p) => p.id));
    expect(cal.slots.slice(0, 13).every((s) => s.postId !== null)).toBe(true);
    expect(cal.gaps.length).toBe(cal.slots.length - 13);

    // the pagination helper walks every page
    const all = await collect(db.posts.iterate(acc.id, { limit: 5 }));
    expect(all.map((p) => p.id)).toEqual(planned.map((p) => p.id));
    const firstPage = await db.posts.list(acc.id, { limit: 5 });
    expect(firstPage.items).toHaveLength(5);
    expect(firstPage.nextCursor).not.toBeNull();
  });

  it('reads the calendar as iCalendar and CSV through the same client', async () => {
    const acc = await account('Exports');
    const p = await db.posts.create(acc.id, { text: 'Exported', voiceId, slot: 'next' });
    expect(await db.calendar.ics(acc.id)).toContain(`UID:${p.id}`);
    expect(await db.posts.exportCsv(acc.id)).toContain('Exported');
  });
});

describe('errors', () => {
  it('surfaces problem+json as a typed DrumbeatError naming each field', async () => {
    const err = await account('Mars', { timezone: 'Mars/Base' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(DrumbeatError);
    const e = err as DrumbeatError;
    expect([e.status, e.type, e.code, e.title]).toEqual([
      400,
      'urn:drumbeat:problem:invalid',
      'invalid',
      'Bad Request',
    ]);
    expect(e.errors).toEqual([
      { path: 'timezone', message: '"Mars/Base" is not an IANA time zone (e.g. Europe/Paris)' },
    ]);

    const missing = (await db.posts.get('pst_00000000000000000000000000').catch((x: unknown) => x)) as DrumbeatError;
    expect(missing.status).toBe(404);
    const anonymous = new Drumbeat({ baseUrl: rt.url, apiKey: 'dbk.nope' });
    expect(((await anonymous.voices.list().catch((x: unknown) => x)) as DrumbeatError).status).toBe(401);
  });
});

describe('coverage of the API', () => {
  it('has a method for every operation of the OpenAPI document', async () => {
    const doc = (await db.openapi()) as { paths: Record<string, Record<string, unknown>> };
    // POST /mcp is the protocol endpoint of MCP clients (and of drumbeat-mcp), not a REST operation
    const documented = Object.entries(doc.paths)
      .flatMap(([path, ops]) => Object.keys(ops).map((m) => `${m.toUpperCase()} ${path}`))
      .filter((op) => op !== 'POST /mcp');
    const covered = Object.values(OPERATIONS).map(([m, p]) => `${m} ${p}`);
    expect(covered.sort()).toEqual(documented.sort());
  });
});

describe('retries', () => {
  let proxy: LoopbackProxy;

  it('retries a 429 after the Retry-After the server sends, then succeeds', async () => {
    const limited = await startRuntime(readConfig({ PORT: '0', DRUMBEAT_MEMORY: '1', DRUMBEAT_RATE_LIMIT: '60/2' }), {
      logger: createLogger('silent'),
    });
    closers.push(() => limited.stop());
    const statuses: number[] = [];
    const observed: typeof fetch = async (input, init) => {
      const res = await fetch(input, init);
      statuses.push(res.status);
      return res;
    };
    const key = limited.firstWorkspace!.apiKey.key;
    const patient = new Drumbeat({ baseUrl: limited.url, apiKey: key, fetch: observed });
    const started = Date.now();
    for (let i = 0; i < 4; i++) await patient.voices.list();
    expect(statuses).toContain(429);
    expect(statuses.filter((s) => s === 200)).toHaveLength(4);
    expect(Date.now() - started).toBeGreaterThanOrEqual(900);

    const hasty = new Drumbeat({ baseUrl: limited.url, apiKey: key, retry: { retries: 0 } });
    await hasty.voices.list().catch(() => undefined);
    const refused = (await hasty.voices.list().catch((x: unknown) => x)) as DrumbeatError;
    expect(refused).toBeInstanceOf(DrumbeatError);
    expect(refused.status).toBe(429);
    expect(refused.retryAfterMs).toBeGreaterThanOrEqual(1000);
  });

  it('repeats a POST whose answer was lost with the same Idempotency-Key, so it acts once', async () => {
    const acc = await account('Idempotent');
    let failed = false;
    proxy = await startProxy(rt.url, (req) => {
      if (req.method === 'POST' && !failed) {
        failed = true;
        return { status: 502, forward: true }; // the server created the post; its answer never arrives
      }
      return 'forward';
    });
    closers.push(() => proxy.close());
    const viaProxy = new Drumbeat({
      baseUrl: proxy.url,
      apiKey: rt.firstWorkspace!.apiKey.key,
      retry: { baseDelayMs: 10 },
    });
    const post = await viaProxy.posts.create(acc.id, { text: 'Only once', voiceId, slot: 'next' });
    const posts = proxy.seen.filter((s) => s.method === 'POST');
    expect(posts).toHaveLength(2);
    expect(posts[0]!.headers['idempotency-key']).toMatch(/^[0-9a-f-]{36}$/);
    expect(posts[1]!.headers['idempotency-key']).toBe(posts[0]!.headers['idempotency-key']);
    const listed = await db.posts.list(acc.id);
    expect(listed.items.map((p) => p.id)).toEqual([post.id]);
  });

  it('waits out a 409 "in progress" (the first attempt still running behind a gateway that gave up) and gets the one post', async () => {
    const acc = await account('In progress');
    // The server's post creation waits for the gate: the gateway answers 504 meanwhile.
    let open!: () => void;
    const gate = new Promise<void>((resolve) => (open = resolve));
    const posts = rt.services.posts;
    const create = posts.create.bind(posts);
    posts.create = async (...args) => {
      await gate;
      return create(...args);
    };
    let first = true;
    const gateway = await startProxy(rt.url, (req) => {
      if (req.method === 'POST' && first) {
        first = false;
        return { status: 504, forward: 'without-waiting' };
      }
      return 'forward';
    });
    closers.push(() => gateway.close());
    const waits: number[] = [];
    const client = new Drumbeat({
      baseUrl: gateway.url,
      apiKey: rt.firstWorkspace!.apiKey.key,
      retry: { baseDelayMs: 10, retries: 1 },
      sleep: async (ms) => {
        waits.push(ms);
        if (waits.length === 3) open(); // the first attempt finishes while the client waits
        await new Promise((r) => setTimeout(r, 50));
      },
    });
    try {
      const post = await client.posts.create(acc.id, { text: 'Once, eventually', voiceId, slot: 'next' });
      const seen = gateway.seen.filter((r) => r.method === 'POST');
      expect(seen.length).toBeGreaterThanOrEqual(4); // 504, two 409s waited out with Retry-After, then the replay
      expect(new Set(seen.map((r) => r.headers['idempotency-key'])).size).toBe(1);
      expect(waits.slice(1)).toEqual(waits.slice(1).map(() => 1000));
      expect((await db.posts.list(acc.id)).items.map((p) => p.id)).toEqual([post.id]);
    } finally {
      posts.create = create;
      open();
    }
  });

  it('gives each POST its own key, and gives up after its retries with the last error', async () => {
    const acc = await account('Overloaded');
    const down = await startProxy(rt.url, (req) =>
      req.method === 'POST' ? { status: 503, headers: { 'Retry-After': '0' }, forward: false } : 'forward',
    );
    closers.push(() => down.close());
    const client = new Drumbeat({ baseUrl: down.url, apiKey: rt.firstWorkspace!.apiKey.key, retry: { retries: 2 } });
    const err = (await client.posts
      .create(acc.id, { text: 'x', voiceId, slot: 'next' })
      .catch((x: unknown) => x)) as DrumbeatError;
    expect(err).toBeInstanceOf(DrumbeatError);
    expect(err.status).toBe(503);
    expect(down.seen).toHaveLength(3);
    expect(new Set(down.seen.map((s) => s.headers['idempotency-key'])).size).toBe(1);
    await client.posts.create(acc.id, { text: 'y', voiceId, slot: 'next' }).catch(() => undefined);
    expect(down.seen[3]!.headers['idempotency-key']).not.toBe(down.seen[0]!.headers['idempotency-key']);
  });
});

describe('receiving webhooks', () => {
  let receiver: HttpRecorder;
  beforeAll(async () => {
    receiver = await startRecorder((_req, res) => json(res, 200, { ok: true }));
    closers.push(() => receiver.close());
  });

  it('verifies a delivery drumbeat signed, and refuses a tampered or foreign one', async () => {
    const sub = await db.webhooks.create({ url: receiver.url, events: ['post.created'] });
    expect(sub.secret).toMatch(/^whsec_/);
    const acc = await account('Hooked');
    const post = await db.posts.create(acc.id, { text: 'Signed and delivered', voiceId, slot: 'next' });
    const until = Date.now() + 10_000;
    while (!receiver.requests.some((r) => r.body.includes(post.id)) && Date.now() < until)
      await new Promise((r) => setTimeout(r, 50));
    const delivery = receiver.requests.find((r) => r.body.includes(post.id))!;
    expect(delivery).toBeDefined();

    // the three lines a receiver writes
    const event = verifyWebhook(sub.secret, delivery.body, delivery.headers);
    expect(event.type).toBe('post.created');
    expect((event.data.post as { id: string }).id).toBe(post.id);

    expect(() =>
      verifyWebhook(sub.secret, delivery.body.replace('Signed and delivered', 'Forged'), delivery.headers),
    ).toThrow(WebhookVerificationError);
    expect(() =>
      verifyWebhook(
        `whsec_${Buffer.from('another secret of 32 bytes......').toString('base64')}`,
        delivery.body,
        delivery.headers,
      ),
    ).toThrow(WebhookVerificationError);
    expect(() => verifyWebhook(sub.secret, delivery.body, {})).toThrow(WebhookVerificationError);

    const seen: string[] = [];
    const handle = webhookHandler(sub.secret, (e, id) => void seen.push(`${e.type} ${id}`));
    const ok = await handle(
      new Request('http://receiver.test/hook', { method: 'POST', headers: delivery.headers, body: delivery.body }),
    );
    expect(ok.status).toBe(204);
    expect(seen).toEqual([`post.created ${delivery.headers['webhook-id']}`]);
    const bad = await handle(
      new Request('http://receiver.test/hook', {
        method: 'POST',
        headers: delivery.headers,
        body: `${delivery.body} `,
      }),
    );
    expect(bad.status).toBe(401);
  });
});
