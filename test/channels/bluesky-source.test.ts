/**
 * BlueskySource against the PDS stand-in with its AppView notifications
 * (test/support/bluesky-stand-in.ts, bluesky-appview-stand-in.ts: the
 * lexicon's wire format; the real AppView needs Postgres).
 */
import { ChannelError, type InboundItem, type PollResult } from '@drumbeat/core';
import { describe, expect, it } from 'vitest';
import { BlueskySource } from '@drumbeat/channels';
import { blueskyConfig as config, blueskyStandIn, DID, HANDLE } from '../support/bluesky-stand-in.js';
import { rejection } from '../support/rejection.js';
import { closedAfterEach } from '../support/closed-after-each.js';

const keep = closedAfterEach();

async function pds(opts: Parameters<typeof blueskyStandIn>[0] = {}) {
  return keep(await blueskyStandIn(opts));
}
type Pds = Awaited<ReturnType<typeof pds>>;

function keptSession() {
  let value: string | undefined;
  return { load: async () => value, save: async (v: string) => void (value = v) };
}

const deps = { timeoutMs: 2000, allowPrivate: true };
const carol = { did: 'did:plc:carolcarolcarolcarolcaro', handle: 'carol.bsky.social', displayName: 'Carol <C>' };
const session = keptSession();
const poll = (p: Pds, cursor?: string, pageSize?: number) =>
  new BlueskySource(config(p.url), deps, { ...(pageSize ? { pageSize } : {}) }).poll({
    channel: config(p.url),
    handle: HANDLE,
    session,
    ...(cursor ? { cursor } : {}),
  });
const texts = (r: PollResult) => r.items.map((i) => i.text);

const failure = (p: Promise<unknown>) => rejection(p, ChannelError);

describe('bluesky source', () => {
  it('takes mentions, replies and quotes (not likes or follows) with their thread refs; the first poll only the newest page', async () => {
    const p = await pds();
    for (let i = 1; i <= 4; i++) p.appview.notify(carol, 'mention', `old ${i}`);
    const root = { uri: `at://${DID}/app.bsky.feed.post/3kaaaaaaaaa22`, cid: 'bafyroot' };
    const parent = { uri: 'at://did:plc:carolcarolcarolcarolcaro/app.bsky.feed.post/3kaaaaaaaab22', cid: 'bafyparent' };
    p.appview.notify(carol, 'like', '');
    const reply = p.appview.notify(carol, 'reply', 'Is it vegan?', { reply: { root, parent }, langs: ['en-GB'] });
    const quote = p.appview.notify(carol, 'quote', 'Look at this', { subject: root.uri });
    const r = await poll(p, undefined, 3);
    expect(texts(r)).toEqual(['Look at this', 'Is it vegan?']); // the newest page of 3 held the like too
    const item = r.items[1]!;
    expect(item).toEqual({
      externalId: reply.uri,
      cid: reply.cid,
      url: `https://bsky.app/profile/${carol.handle}/post/${reply.uri.split('/').pop()}`,
      kind: 'reply',
      author: { handle: carol.handle, displayName: 'Carol <C>' },
      text: 'Is it vegan?',
      receivedAt: reply.indexedAt,
      inReplyTo: { externalId: parent.uri, cid: parent.cid },
      root: { externalId: root.uri, cid: root.cid },
      language: 'en-GB',
    } satisfies InboundItem);
    expect(r.items[0]).toMatchObject({ kind: 'quote', externalId: quote.uri });
  });

  it('hands every item over once across duplicate polls and a restart, paging back to the last one taken', async () => {
    const p = await pds();
    const seen: InboundItem[] = [];
    p.appview.notify(carol, 'mention', 'one');
    let r = await poll(p, undefined, 2);
    seen.push(...r.items);
    r = await poll(p, r.cursor, 2);
    expect(r.items).toEqual([]);
    // Several in the same millisecond: the cursor keeps which of that instant it took.
    const at = new Date().toISOString();
    for (const t of ['two', 'three', 'four', 'five', 'six']) p.appview.notify(carol, 'mention', t, { indexedAt: at });
    const a = await poll(p, r.cursor, 2);
    expect((await poll(p, r.cursor, 2)).items.map((i) => i.externalId).sort()).toEqual(
      a.items.map((i) => i.externalId).sort(),
    );
    seen.push(...a.items);
    p.appview.notify(carol, 'mention', 'seven');
    const b = await new BlueskySource(config(p.url), deps, { pageSize: 2 }).poll({
      channel: config(p.url),
      handle: HANDLE,
      session: keptSession(),
      cursor: a.cursor!,
    });
    seen.push(...b.items);
    expect(seen.map((i) => i.text).sort()).toEqual(['five', 'four', 'one', 'seven', 'six', 'three', 'two']);
    expect(new Set(seen.map((i) => i.externalId)).size).toBe(7);
  });

  it('leaves aside notifications of any other reason, even ones named like object properties', async () => {
    const p = await pds();
    for (const reason of ['__proto__', 'constructor', 'toString', 'like', 'follow', 'repost'])
      p.appview.notify(carol, reason as 'like', reason);
    p.appview.notify(carol, 'mention', 'the only one');
    expect(texts(await poll(p))).toEqual(['the only one']);
  });

  it('logs in once and keeps the session across polls', async () => {
    const p = await pds();
    const kept = keptSession();
    const s = new BlueskySource(config(p.url), deps);
    let cursor: string | undefined;
    for (let i = 0; i < 3; i++)
      cursor = (await s.poll({ channel: config(p.url), handle: HANDLE, session: kept, ...(cursor ? { cursor } : {}) }))
        .cursor;
    expect(p.calls('com.atproto.server.createSession')).toBe(1);
  });

  it('reports our own replies made on the network (outside drumbeat) as outside replies', async () => {
    const p = await pds();
    const q = p.appview.notify(carol, 'mention', 'do you ship to Lyon?');
    const first = await poll(p);
    const mine = p.ownPost('We do!', { root: { uri: q.uri, cid: q.cid }, parent: { uri: q.uri, cid: q.cid } });
    p.ownPost('A plain post, no thread');
    const r = await poll(p, first.cursor);
    expect(r.outsideReplies).toEqual([
      {
        inReplyToExternalId: q.uri,
        externalId: mine.uri,
        at: expect.any(String),
        url: expect.stringContaining(mine.uri.split('/').pop()!),
      },
    ]);
    expect((await poll(p, r.cursor)).outsideReplies).toEqual([]);
  });

  it('reads our own posts only when asked, keeping their cursor so a look skipped misses nothing', async () => {
    const p = await pds();
    const q = p.appview.notify(carol, 'mention', 'do you ship to Lyon?');
    const ask = (cursor: string | undefined, ownPosts: boolean) =>
      new BlueskySource(config(p.url), deps).poll({
        channel: config(p.url),
        handle: HANDLE,
        session,
        ownPosts,
        ...(cursor ? { cursor } : {}),
      });
    const first = await ask(undefined, true);
    expect(first.ownPostsRead).toBe(true);
    const mine = p.ownPost('We do!', { root: { uri: q.uri, cid: q.cid }, parent: { uri: q.uri, cid: q.cid } });
    const skipped = await ask(first.cursor, false);
    expect(p.calls('com.atproto.repo.listRecords')).toBe(1);
    expect(skipped.outsideReplies).toEqual([]);
    expect(skipped.ownPostsRead).toBeUndefined();
    const looked = await ask(skipped.cursor, true);
    expect(looked.outsideReplies.map((r) => r.externalId)).toEqual([mine.uri]);
    expect((await ask(looked.cursor, true)).outsideReplies).toEqual([]);
  });

  it('pages our own posts down to the kept one when more than a page came since the last look', async () => {
    const p = await pds();
    const q = p.appview.notify(carol, 'mention', 'do you ship to Lyon?');
    const first = await poll(p);
    const mine = p.ownPost('We do!', { root: { uri: q.uri, cid: q.cid }, parent: { uri: q.uri, cid: q.cid } });
    for (let i = 0; i < 60; i++) p.ownPost(`news ${i}`);
    const r = await poll(p, first.cursor);
    expect(r.outsideReplies.map((x) => x.externalId)).toEqual([mine.uri]);
    expect((await poll(p, r.cursor)).outsideReplies).toEqual([]);
  });

  it('stops when the rate budget is spent, asks to wait until the reset, and resumes without losing or repeating', async () => {
    const p = await pds();
    p.appview.notify(carol, 'mention', 'old');
    const first = await poll(p, undefined, 2);
    for (let i = 1; i <= 5; i++) p.appview.notify(carol, 'mention', `new ${i}`);
    p.appview.budget(2);
    const cut = await poll(p, first.cursor, 2);
    expect(texts(cut)).toEqual(['new 5', 'new 4']);
    expect(cut.retryAfterMs).toBeGreaterThan(250_000);
    p.appview.budget(300);
    const rest = await poll(p, cut.cursor, 2);
    expect(texts(rest)).toEqual(['new 3', 'new 2', 'new 1']);
    p.appview.notify(carol, 'mention', 'later');
    expect(texts(await poll(p, rest.cursor, 2))).toEqual(['later']);
  });

  it('a 429 is retryable after ratelimit-reset; a 5xx retryable', async () => {
    const p = await pds();
    p.appview.budget(0);
    const err = await failure(poll(p));
    expect(err).toMatchObject({ retryable: true });
    expect(err.retryAfterMs).toBeGreaterThan(250_000);
    p.appview.budget(300);
    p.appview.fail(502);
    expect(await failure(poll(p))).toMatchObject({ retryable: true });
  });

  it('a refused app password (401) is final', async () => {
    const p = await pds();
    const err = await failure(
      new BlueskySource(config(p.url, 'revoked'), deps).poll({ channel: config(p.url, 'revoked'), handle: HANDLE }),
    );
    expect(err).toMatchObject({ retryable: false });
    expect(err.message).toMatch(/401/);
  });
});
