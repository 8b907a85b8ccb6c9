import { ChannelError } from '@drumbeat/core';
import { describe, expect, it } from 'vitest';
import { channelFor } from '@drumbeat/channels';
import { json, startRecorder } from '../support/http-recorder.js';
import { rejection } from '../support/rejection.js';
import { closedAfterEach } from '../support/closed-after-each.js';
import { publishRequest } from './publish-request.js';
import { MASTODON_TOKEN, mastodonStandIn } from '../support/mastodon-stand-in.js';

const TOKEN = 'mastodon-token-123';

/**
 * A Mastodon instance's statuses endpoint: checks the path, bearer token,
 * Idempotency-Key and body; like Mastodon, answers a repeated key with the
 * status it already created. `mode` makes it fail.
 */
async function mastodon(mode: 'ok' | 'ratelimited' | 'down' | 'hang' = 'ok') {
  const byKey = new Map<string, { id: string; url: string }>();
  let next = 109_000_000_000_000_000n;
  const s = await startRecorder((req, res) => {
    if (req.method !== 'POST' || req.path !== '/api/v1/statuses') return json(res, 404, { error: 'Not Found' });
    if (req.headers.authorization !== `Bearer ${TOKEN}`)
      return json(res, 401, { error: 'The access token is invalid' });
    if (mode === 'hang') return;
    if (mode === 'ratelimited')
      return json(
        res,
        429,
        { error: 'Too many requests' },
        { 'x-ratelimit-reset': new Date(Date.now() + 60_000).toISOString() },
      );
    if (mode === 'down') return json(res, 503, { error: 'Service Unavailable' });
    const key = req.headers['idempotency-key'];
    if (!key) return json(res, 422, { error: 'test server: Idempotency-Key required' });
    const body = JSON.parse(req.body) as { status?: string; visibility?: string };
    if (!body.status || body.visibility !== 'public')
      return json(res, 422, { error: "Validation failed: Text can't be blank" });
    let status = byKey.get(key);
    if (!status) {
      const id = String(next++);
      status = { id, url: `https://mastodon.example/@acme/${id}` };
      byKey.set(key, status);
    }
    json(res, 200, {
      ...status,
      uri: `https://mastodon.example/users/acme/statuses/${status.id}`,
      content: `<p>${body.status}</p>`,
      visibility: 'public',
    });
  });
  keep(s);
  return Object.assign(s, { created: () => byKey.size });
}

const keep = closedAfterEach();

const deps = { timeoutMs: 2000, allowPrivate: true };
const config = (instanceUrl: string, accessToken = TOKEN) => ({ type: 'mastodon' as const, instanceUrl, accessToken });

const channelError = (p: Promise<unknown>) => rejection(p, ChannelError);

describe('mastodon channel', () => {
  it('posts a public status with the bearer token and the idempotency key, and returns its id and url', async () => {
    const m = await mastodon();
    const req = publishRequest(config(m.url), { text: 'Bonjour 👋 https://acme.example' });
    const result = await channelFor(config(`${m.url}/`), deps).publish(req);
    expect(result).toEqual({
      externalId: '109000000000000000',
      url: 'https://mastodon.example/@acme/109000000000000000',
    });
    expect(m.requests).toHaveLength(1);
    expect(m.requests[0]!.headers).toMatchObject({
      authorization: `Bearer ${TOKEN}`,
      'idempotency-key': req.idempotencyKey,
      'content-type': 'application/json',
    });
    expect(JSON.parse(m.requests[0]!.body)).toEqual({
      status: 'Bonjour 👋 https://acme.example',
      visibility: 'public',
    });
  });

  it('publishing the same post again gives the same status, not a second one', async () => {
    const m = await mastodon();
    const channel = channelFor(config(m.url), deps);
    const req = publishRequest(config(m.url));
    const first = await channel.publish(req);
    expect(await channel.publish(req)).toEqual(first);
    expect(m.created()).toBe(1);
  });

  it('a rejected token is final', async () => {
    const m = await mastodon();
    const err = await channelError(channelFor(config(m.url, 'wrong'), deps).publish(publishRequest(config(m.url))));
    expect(err).toMatchObject({ retryable: false, outcomeUnknown: false });
    expect(err.message).toMatch(/401.*access token is invalid/);
  });

  it("a 429 is retryable after the instance's rate-limit reset", async () => {
    const m = await mastodon('ratelimited');
    const err = await channelError(channelFor(config(m.url), deps).publish(publishRequest(config(m.url))));
    expect(err).toMatchObject({ retryable: true, outcomeUnknown: false });
    expect(err.retryAfterMs).toBeGreaterThan(50_000);
    expect(err.retryAfterMs).toBeLessThanOrEqual(60_000);
  });

  it('a 503 is retryable', async () => {
    const m = await mastodon('down');
    expect(await channelError(channelFor(config(m.url), deps).publish(publishRequest(config(m.url))))).toMatchObject({
      retryable: true,
      outcomeUnknown: false,
    });
  });

  it('a timeout after sending leaves the outcome unknown (the idempotency key makes the retry safe)', async () => {
    const m = await mastodon('hang');
    const err = await channelError(
      channelFor(config(m.url), { ...deps, timeoutMs: 150 }).publish(publishRequest(config(m.url))),
    );
    expect(err).toMatchObject({ retryable: true, outcomeUnknown: true });
  });

  it('refuses posts with media (upload is out of scope) without calling the instance', async () => {
    const m = await mastodon();
    const req = publishRequest(config(m.url), { media: [{ url: 'https://cdn.acme.example/a.jpg', alt: 'a' }] });
    const err = await channelError(channelFor(config(m.url), deps).publish(req));
    expect(err).toMatchObject({ retryable: false });
    expect(err.message).toMatch(/media/);
    expect(m.connections()).toBe(0);
  });

  it('obeys the egress rule: a loopback instance is refused when private addresses are not allowed', async () => {
    const m = await mastodon();
    const err = await channelError(
      channelFor(config(m.url), { ...deps, allowPrivate: false }).publish(publishRequest(config(m.url))),
    );
    expect(err).toMatchObject({ retryable: false });
    expect(m.connections()).toBe(0);
  });
});

describe('mastodon channel: answers (issue 18)', () => {
  it('posts an answer in its thread with in_reply_to_id, once across a retried request', async () => {
    const m = await mastodonStandIn();
    keep(m);
    const question = m.mention('carol', '@acme are you hiring?');
    const cfg = { type: 'mastodon' as const, instanceUrl: m.url, accessToken: MASTODON_TOKEN };
    const req = publishRequest(cfg, {
      text: '@carol@elsewhere.example yes: https://acme.example/jobs',
      replyTo: { parent: { externalId: question.status!.id }, root: { externalId: question.status!.id } },
    });
    const channel = channelFor(cfg, deps);
    const first = await channel.publish(req);
    expect(await channel.publish(req)).toEqual(first);
    const answer = m.statuses.get(first.externalId!)!;
    expect(answer).toMatchObject({
      in_reply_to_id: question.status!.id,
      in_reply_to_account_id: question.account.id,
      account: { acct: 'acme' },
    });
    expect([...m.statuses.values()].filter((s) => s.account.acct === 'acme')).toHaveLength(1);
    expect(JSON.parse(m.requests.find((r) => r.method === 'POST')!.body)).toMatchObject({
      in_reply_to_id: question.status!.id,
    });
  });

  it('a plain post carries no in_reply_to_id', async () => {
    const m = await mastodonStandIn();
    keep(m);
    const cfg = { type: 'mastodon' as const, instanceUrl: m.url, accessToken: MASTODON_TOKEN };
    const r = await channelFor(cfg, deps).publish(publishRequest(cfg));
    expect(m.statuses.get(r.externalId!)!.in_reply_to_id).toBeNull();
    expect(JSON.parse(m.requests[0]!.body)).not.toHaveProperty('in_reply_to_id');
  });
});
