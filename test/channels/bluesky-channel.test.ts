import { ChannelError, newId } from '@drumbeat/core';
import { afterEach, describe, expect, it } from 'vitest';
import { channelFor, tidForPost } from '@drumbeat/channels';
import type { HttpRecorder } from '../support/http-recorder.js';
import { APP_PASSWORD, blueskyStandIn, DID, HANDLE } from '../support/bluesky-stand-in.js';
import { publishRequest } from './publish-request.js';

async function pds(opts: Parameters<typeof blueskyStandIn>[0] = {}) {
  const s = await blueskyStandIn(opts);
  servers.push(s);
  return s;
}

const servers: HttpRecorder[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

const deps = { timeoutMs: 2000, allowPrivate: true };
const config = (service: string, appPassword = APP_PASSWORD) => ({ type: 'bluesky' as const, service, identifier: HANDLE, appPassword });

async function channelError(p: Promise<unknown>): Promise<ChannelError> {
  const err = await p.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(ChannelError);
  return err as ChannelError;
}

describe('bluesky channel', () => {
  it('logs in, creates the post with link and tag facets at UTF-8 byte offsets, and links to it', async () => {
    const p = await pds();
    const text = 'Été 🎉 «déjà» : https://acme.example/printemps?x=1 #Printemps';
    const req = publishRequest(config(p.url), { text });
    const rkey = tidForPost(req.postId);
    const result = await channelFor(config(p.url), deps).publish(req);
    expect(result).toEqual({ externalId: `at://${DID}/app.bsky.feed.post/${rkey}`, url: `https://bsky.app/profile/${DID}/post/${rkey}` });
    const record = p.records.get(rkey)!;
    expect(record.text).toBe(text);
    const linkStart = new TextEncoder().encode('Été 🎉 «déjà» : ').length;
    expect(record.facets).toEqual([
      { index: { byteStart: linkStart, byteEnd: linkStart + 'https://acme.example/printemps?x=1'.length }, features: [{ $type: 'app.bsky.richtext.facet#link', uri: 'https://acme.example/printemps?x=1' }] },
      { index: { byteStart: expect.any(Number), byteEnd: new TextEncoder().encode(text).length }, features: [{ $type: 'app.bsky.richtext.facet#tag', tag: 'Printemps' }] },
    ]);
    expect(p.calls('com.atproto.server.createSession')).toBe(1);
  });

  it('treats a retried createRecord that meets its own record as success (the reference PDS answers 500)', async () => {
    const p = await pds();
    const channel = channelFor(config(p.url), deps);
    const req = publishRequest(config(p.url));
    const first = await channel.publish(req);
    expect(await channel.publish(req)).toEqual(first);
    expect(p.records.size).toBe(1);
    expect(p.calls('com.atproto.repo.createRecord')).toBe(2);
    expect(p.calls('com.atproto.repo.getRecord')).toBe(1);
  });

  it('does the same when the PDS answers a taken rkey with 409 RecordAlreadyExists', async () => {
    const p = await pds({ duplicate: 409 });
    const channel = channelFor(config(p.url), deps);
    const req = publishRequest(config(p.url));
    await channel.publish(req);
    await expect(channel.publish(req)).resolves.toMatchObject({ url: expect.stringContaining(tidForPost(req.postId)) });
    expect(p.records.size).toBe(1);
  });

  it('recovers from a timeout after sending: outcome unknown, then the retry finds the record', async () => {
    const p = await pds({ hangCreate: 1 });
    const req = publishRequest(config(p.url));
    const err = await channelError(channelFor(config(p.url), { ...deps, timeoutMs: 300 }).publish(req));
    expect(err).toMatchObject({ retryable: true, outcomeUnknown: true });
    const result = await channelFor(config(p.url), deps).publish(req);
    expect(result.url).toBe(`https://bsky.app/profile/${DID}/post/${tidForPost(req.postId)}`);
    expect(p.records.size).toBe(1);
  });

  it('takes a record already at its rkey with other text as the post, live, and reports the text that went out', async () => {
    const p = await pds();
    const req = publishRequest(config(p.url), { postId: newId('post'), text: 'the edited text' });
    const rkey = tidForPost(req.postId);
    p.records.set(rkey, { $type: 'app.bsky.feed.post', text: 'the text an earlier attempt sent', createdAt: new Date().toISOString() });
    const result = await channelFor(config(p.url), deps).publish(req);
    expect(result).toEqual({ externalId: `at://${DID}/app.bsky.feed.post/${rkey}`, url: `https://bsky.app/profile/${DID}/post/${rkey}`, liveText: 'the text an earlier attempt sent' });
    expect(p.records.get(rkey)!.text).toBe('the text an earlier attempt sent');
  });

  it('a wrong app password is final and creates nothing', async () => {
    const p = await pds();
    const err = await channelError(channelFor(config(p.url, 'wrong'), deps).publish(publishRequest(config(p.url))));
    expect(err).toMatchObject({ retryable: false, outcomeUnknown: false });
    expect(err.message).toMatch(/createSession: HTTP 401.*Invalid identifier or password/);
    expect(p.calls('com.atproto.repo.createRecord')).toBe(0);
  });

  it('a rate-limited login is retryable after ratelimit-reset', async () => {
    const p = await pds({ sessionStatus: 429 });
    const err = await channelError(channelFor(config(p.url), deps).publish(publishRequest(config(p.url))));
    expect(err).toMatchObject({ retryable: true, outcomeUnknown: false });
    expect(err.retryAfterMs).toBeGreaterThan(100_000);
  });

  it('a record the PDS rejects (text over 300 graphemes) is final', async () => {
    const p = await pds();
    const err = await channelError(channelFor(config(p.url), deps).publish(publishRequest(config(p.url), { text: 'é'.repeat(301) })));
    expect(err).toMatchObject({ retryable: false, outcomeUnknown: false });
    expect(err.message).toMatch(/createRecord: HTTP 400.*longer than 300 graphemes/);
    expect(p.records.size).toBe(0);
  });

  it('refuses posts with media without logging in', async () => {
    const p = await pds();
    const err = await channelError(channelFor(config(p.url), deps).publish(publishRequest(config(p.url), { media: [{ url: 'https://cdn.example/a.png' }] })));
    expect(err).toMatchObject({ retryable: false });
    expect(p.connections()).toBe(0);
  });
});
