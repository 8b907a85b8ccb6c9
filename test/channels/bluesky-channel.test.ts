import { ChannelError, newId } from '@drumbeat/core';
import { describe, expect, it } from 'vitest';
import { channelFor, tidForPost } from '@drumbeat/channels';
import { rejection } from '../support/rejection.js';
import { closedAfterEach } from '../support/closed-after-each.js';
import { blueskyConfig as config, blueskyStandIn, DID } from '../support/bluesky-stand-in.js';
import { publishRequest } from './publish-request.js';

async function pds(opts: Parameters<typeof blueskyStandIn>[0] = {}) {
  return keep(await blueskyStandIn(opts));
}

/** A kept session in memory, as the services layer's ChannelSession gives it. */
function keptSession() {
  const kept = {
    value: undefined as string | undefined,
    saves: 0,
    load: async () => kept.value,
    save: async (v: string) => {
      kept.value = v;
      kept.saves++;
    },
  };
  return kept;
}

const keep = closedAfterEach();

const deps = { timeoutMs: 2000, allowPrivate: true };

const channelError = (p: Promise<unknown>) => rejection(p, ChannelError);

describe('bluesky channel', () => {
  it('logs in, creates the post with link and tag facets at UTF-8 byte offsets, and links to it', async () => {
    const p = await pds();
    const text = 'Été 🎉 «déjà» : https://acme.example/printemps?x=1 #Printemps';
    const req = publishRequest(config(p.url), { text });
    const rkey = tidForPost(req.postId);
    const result = await channelFor(config(p.url), deps).publish(req);
    expect(result).toEqual({
      externalId: `at://${DID}/app.bsky.feed.post/${rkey}`,
      url: `https://bsky.app/profile/${DID}/post/${rkey}`,
    });
    const record = p.records.get(rkey)!;
    expect(record.text).toBe(text);
    const linkStart = new TextEncoder().encode('Été 🎉 «déjà» : ').length;
    expect(record.facets).toEqual([
      {
        index: { byteStart: linkStart, byteEnd: linkStart + 'https://acme.example/printemps?x=1'.length },
        features: [{ $type: 'app.bsky.richtext.facet#link', uri: 'https://acme.example/printemps?x=1' }],
      },
      {
        index: { byteStart: expect.any(Number), byteEnd: new TextEncoder().encode(text).length },
        features: [{ $type: 'app.bsky.richtext.facet#tag', tag: 'Printemps' }],
      },
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
    p.records.set(rkey, {
      $type: 'app.bsky.feed.post',
      text: 'the text an earlier attempt sent',
      createdAt: new Date().toISOString(),
    });
    const result = await channelFor(config(p.url), deps).publish(req);
    expect(result).toEqual({
      externalId: `at://${DID}/app.bsky.feed.post/${rkey}`,
      url: `https://bsky.app/profile/${DID}/post/${rkey}`,
      liveText: 'the text an earlier attempt sent',
    });
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
    const err = await channelError(
      channelFor(config(p.url), deps).publish(publishRequest(config(p.url), { text: 'é'.repeat(301) })),
    );
    expect(err).toMatchObject({ retryable: false, outcomeUnknown: false });
    expect(err.message).toMatch(/createRecord: HTTP 400.*longer than 300 graphemes/);
    expect(p.records.size).toBe(0);
  });

  it('keeps its session across publishes: one login for many posts', async () => {
    const p = await pds();
    const kept = keptSession();
    const channel = channelFor(config(p.url), deps);
    for (let i = 0; i < 5; i++) await channel.publish(publishRequest(config(p.url), { session: kept }));
    expect(p.records.size).toBe(5);
    expect(p.calls('com.atproto.server.createSession')).toBe(1);
    expect(p.calls('com.atproto.server.refreshSession')).toBe(0);
    expect(kept.saves).toBe(1);
  });

  it('refreshes an access token about to expire (refreshSession, not a new login), and keeps the rotated tokens', async () => {
    const p = await pds({ accessTtlMs: 30_000 }); // within the minute of margin: refreshed before use
    const kept = keptSession();
    const channel = channelFor(config(p.url), deps);
    await channel.publish(publishRequest(config(p.url), { session: kept }));
    const first = JSON.parse(kept.value!) as { refreshJwt: string };
    await channel.publish(publishRequest(config(p.url), { session: kept }));
    await channel.publish(publishRequest(config(p.url), { session: kept }));
    expect(p.calls('com.atproto.server.createSession')).toBe(1);
    expect(p.calls('com.atproto.server.refreshSession')).toBe(2);
    expect((JSON.parse(kept.value!) as { refreshJwt: string }).refreshJwt).not.toBe(first.refreshJwt);
    expect(p.records.size).toBe(3);
  });

  it('renews a session the PDS refuses (ExpiredToken on createRecord), and logs in again only when the refresh is refused too', async () => {
    const p = await pds();
    const kept = keptSession();
    const channel = channelFor(config(p.url), deps);
    await channel.publish(publishRequest(config(p.url), { session: kept }));
    p.revoke(); // every token forgotten: createRecord refuses the access token, refreshSession the refresh token
    await channel.publish(publishRequest(config(p.url), { session: kept }));
    expect(p.calls('com.atproto.server.refreshSession')).toBe(1);
    expect(p.calls('com.atproto.server.createSession')).toBe(2);
    expect(p.records.size).toBe(2);
  });

  it('logs in anew when the account changes its credentials, instead of using the old session', async () => {
    const p = await pds({ password: 'new-app-password' });
    const kept = keptSession();
    await channelError(channelFor(config(p.url), deps).publish(publishRequest(config(p.url), { session: kept })));
    kept.value = JSON.stringify({ v: 1, key: 'of-other-credentials', did: DID, accessJwt: 'x.e30.y', refreshJwt: 'r' });
    await channelFor(config(p.url, 'new-app-password'), deps).publish(publishRequest(config(p.url), { session: kept }));
    expect(p.calls('com.atproto.server.createSession')).toBe(2);
    expect(p.calls('com.atproto.repo.createRecord')).toBe(1);
  });

  it('turns @handles that resolve into mention facets (resolveHandle), leaves the others as text, and sets langs', async () => {
    const BOB = 'did:plc:bobbobbobbobbobbobbobbob';
    const p = await pds({ handles: { 'bob.example.com': BOB } });
    const text = 'Merci @bob.example.com et @nobody.example ! (@Bob.Example.Com) anna@bob.example.com';
    const req = publishRequest(config(p.url), { text, language: 'fr' });
    await channelFor(config(p.url), deps).publish(req);
    const record = p.records.get(tidForPost(req.postId))!;
    expect(record.langs).toEqual(['fr']);
    const mentions = (record.facets ?? []).filter((f) => f.features[0]!.$type === 'app.bsky.richtext.facet#mention');
    expect(mentions.map((f) => f.features[0]!.did)).toEqual([BOB, BOB]);
    const covered = (f: { index: { byteStart: number; byteEnd: number } }) =>
      new TextDecoder().decode(new TextEncoder().encode(text).slice(f.index.byteStart, f.index.byteEnd));
    expect(mentions.map(covered)).toEqual(['@bob.example.com', '@Bob.Example.Com']);
    expect(p.calls('com.atproto.identity.resolveHandle')).toBe(2); // bob once (case folded), nobody once
  });

  it('refuses posts with media without logging in', async () => {
    const p = await pds();
    const err = await channelError(
      channelFor(config(p.url), deps).publish(
        publishRequest(config(p.url), { media: [{ url: 'https://cdn.example/a.png' }] }),
      ),
    );
    expect(err).toMatchObject({ retryable: false });
    expect(p.connections()).toBe(0);
  });

  it('an answer carries reply.root and reply.parent as strong refs (issue 18)', async () => {
    const p = await pds();
    const root = { uri: 'at://did:plc:carolcarolcarolcarolcaro/app.bsky.feed.post/3kabc2aaaaa22', cid: 'bafyroot' };
    const parent = { uri: 'at://did:plc:carolcarolcarolcarolcaro/app.bsky.feed.post/3kabc3aaaaa22', cid: 'bafyparent' };
    const req = publishRequest(config(p.url), {
      text: 'Thanks!',
      replyTo: { root: { externalId: root.uri, cid: root.cid }, parent: { externalId: parent.uri, cid: parent.cid } },
    });
    await channelFor(config(p.url), deps).publish(req);
    expect(p.records.get(tidForPost(req.postId))!.reply).toEqual({ root, parent });
  });

  it('an answer whose thread cannot be named is refused for good, and nothing is posted', async () => {
    const p = await pds();
    const notAnUri = publishRequest(config(p.url), {
      replyTo: { root: { externalId: '110000000000000001' }, parent: { externalId: '110000000000000001' } },
    });
    expect(await channelError(channelFor(config(p.url), deps).publish(notAnUri))).toMatchObject({ retryable: false });
    const gone = `at://${DID}/app.bsky.feed.post/3kzzzzzzzzz22`; // no CID given, and no such record to read it from
    const missing = publishRequest(config(p.url), {
      replyTo: { root: { externalId: gone }, parent: { externalId: gone } },
    });
    const err = await channelError(channelFor(config(p.url), deps).publish(missing));
    expect(err).toMatchObject({ retryable: false });
    expect(err.message).toMatch(/reading the post answered/);
    expect(p.calls('com.atproto.repo.createRecord')).toBe(0);
  });
});
