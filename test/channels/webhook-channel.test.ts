import { ChannelError } from '@drumbeat/core';
import { Webhook } from 'standardwebhooks';
import { describe, expect, it } from 'vitest';
import { channelFor, createSafeFetch, newWebhookSecret, type Resolver } from '@drumbeat/channels';
import { closedPort, json, startRecorder, type Handler } from '../support/http-recorder.js';
import { rejection } from '../support/rejection.js';
import { closedAfterEach } from '../support/closed-after-each.js';
import { publishRequest } from './publish-request.js';
import { TLS } from './tls-fixture.js';

const keep = closedAfterEach();

const secret = newWebhookSecret();

/** An agency receiver: verifies every delivery with standardwebhooks, drops duplicate webhook-ids, then runs `then`. */
async function receiver(then: Handler = (_req, res) => json(res, 200, {})) {
  const seen = new Set<string>();
  const verified: unknown[] = [];
  const s = await startRecorder((req, res, raw) => {
    let payload: unknown;
    try {
      payload = new Webhook(secret).verify(req.body, req.headers);
    } catch (err) {
      return json(res, 401, { error: String(err) });
    }
    if (seen.has(req.headers['webhook-id']!)) return json(res, 200, { duplicate: true });
    seen.add(req.headers['webhook-id']!);
    verified.push(payload);
    return then(req, res, raw);
  });
  keep(s);
  return Object.assign(s, { verified });
}

const deps = { timeoutMs: 2000, allowPrivate: true };
const webhook = (url: string, over: Partial<typeof deps> = {}) =>
  channelFor({ type: 'webhook', url, secret }, { ...deps, ...over });

/** Publishes a fresh post to `url` with the default deps, changed by `over`. */
const publishTo = (url: string, over: Partial<typeof deps> = {}) =>
  webhook(url, over).publish(publishRequest({ type: 'webhook', url, secret }));

const channelError = (p: Promise<unknown>) => rejection(p, ChannelError);

describe('webhook channel: delivery', () => {
  it('POSTs the post.publish event once, signed so that the receiver verifies it, and returns its url and externalId', async () => {
    const r = await receiver((_req, res) =>
      json(res, 201, { url: 'https://tools.agency.example/p/42', externalId: 'agency-42', other: true }),
    );
    const req = publishRequest({ type: 'webhook', url: `${r.url}/hooks/drumbeat`, secret });
    const result = await webhook(`${r.url}/hooks/drumbeat`).publish(req);
    expect(result).toEqual({ url: 'https://tools.agency.example/p/42', externalId: 'agency-42' });
    expect(r.requests).toHaveLength(1);
    expect(r.requests[0]).toMatchObject({
      method: 'POST',
      path: '/hooks/drumbeat',
      headers: { 'content-type': 'application/json' },
    });
    expect(r.verified).toEqual([req.event]);
  });

  it('sends the same webhook-id when the same post is published twice, so the receiver drops the duplicate', async () => {
    const r = await receiver();
    const channel = webhook(r.url);
    const req = publishRequest({ type: 'webhook', url: r.url, secret });
    await channel.publish(req);
    await channel.publish(req);
    await channel.publish(publishRequest({ type: 'webhook', url: r.url, secret }));
    const ids = r.requests.map((q) => q.headers['webhook-id']);
    expect(ids[0]).toBe(ids[1]);
    expect(ids[2]).not.toBe(ids[0]);
    expect(r.verified).toHaveLength(2);
  });

  it('returns an empty result for a 2xx without JSON', async () => {
    const r = await receiver((_req, res) => res.writeHead(204).end());
    await expect(webhook(r.url).publish(publishRequest({ type: 'webhook', url: r.url, secret }))).resolves.toEqual({});
  });
});

describe('webhook channel: failures', () => {
  it('a 500 is retryable, the outcome known', async () => {
    const r = await receiver((_req, res) => json(res, 500, { error: 'db down' }));
    const err = await channelError(publishTo(r.url));
    expect(err).toMatchObject({ retryable: true, outcomeUnknown: false, retryAfterMs: undefined });
    expect(err.message).toMatch(/500/);
  });

  it('a 429 is retryable after the Retry-After delay', async () => {
    const r = await receiver((_req, res) => json(res, 429, {}, { 'retry-after': '7' }));
    expect(await channelError(publishTo(r.url))).toMatchObject({
      retryable: true,
      outcomeUnknown: false,
      retryAfterMs: 7000,
    });
  });

  it('another 4xx is final, its message giving the status and an excerpt of the body', async () => {
    const r = await receiver((_req, res) =>
      json(res, 422, { error: 'unknown account acme', detail: 'x'.repeat(1000) }),
    );
    const err = await channelError(publishTo(r.url));
    expect(err).toMatchObject({ retryable: false, outcomeUnknown: false });
    expect(err.message).toMatch(/422/);
    expect(err.message).toContain('unknown account acme');
    expect(err.message.length).toBeLessThan(400);
  });

  it('a receiver that cannot verify the signature (wrong secret) is final', async () => {
    const r = await receiver();
    const channel = channelFor({ type: 'webhook', url: r.url, secret: newWebhookSecret() }, deps);
    const err = await channelError(channel.publish(publishRequest({ type: 'webhook', url: r.url, secret })));
    expect(err).toMatchObject({ retryable: false });
    expect(err.message).toMatch(/401/);
  });

  it('a connection reset after the request was sent is retryable with the outcome unknown', async () => {
    const r = await receiver((_req, _res, raw) => void raw.socket.destroy());
    expect(await channelError(publishTo(r.url))).toMatchObject({ retryable: true, outcomeUnknown: true });
    expect(r.requests).toHaveLength(1);
  });

  it('a connection refused (nothing sent) is retryable with the outcome known', async () => {
    const url = `http://127.0.0.1:${await closedPort()}/hook`;
    expect(await channelError(publishTo(url))).toMatchObject({ retryable: true, outcomeUnknown: false });
  });

  it('a receiver hanging past the timeout is retryable with the outcome unknown, within the timeout', async () => {
    const r = await receiver(() => undefined);
    const started = Date.now();
    const err = await channelError(publishTo(r.url, { timeoutMs: 200 }));
    expect(err).toMatchObject({ retryable: true, outcomeUnknown: true });
    expect(err.message).toMatch(/timed out after sending/);
    expect(Date.now() - started).toBeLessThan(2000);
    expect(r.verified).toHaveLength(1);
  });
});

describe('webhook channel: egress', () => {
  it('refuses a loopback URL when private addresses are not allowed, calling nobody', async () => {
    const r = await receiver();
    const err = await channelError(publishTo(r.url, { allowPrivate: false }));
    expect(err).toMatchObject({ retryable: false, outcomeUnknown: false });
    expect(err.message).toMatch(/egress/);
    expect(r.connections()).toBe(0);
  });

  it('refuses a redirect from a public-looking allowed server to loopback: never followed, final', async () => {
    const internal = await receiver();
    const front = await startRecorder((_req, res) => {
      res.writeHead(307, { location: `${internal.url}/admin` });
      res.end();
    }, TLS);
    keep(front);
    const resolve: Resolver = async () => [{ address: '127.0.0.1', family: 4 }];
    const url = `https://hooks.agency.test:${front.port}/hook`;
    const channel = channelFor(
      { type: 'webhook', url, secret },
      { timeoutMs: 2000, allowPrivate: true, fetch: createSafeFetch({ allowPrivate: true, resolve, ca: TLS.cert }) },
    );
    const err = await channelError(channel.publish(publishRequest({ type: 'webhook', url, secret })));
    expect(err).toMatchObject({ retryable: false, outcomeUnknown: false });
    expect(err.message).toMatch(/307 redirect .* not followed/);
    expect(front.requests).toHaveLength(1);
    expect(internal.connections()).toBe(0);
  });
});
