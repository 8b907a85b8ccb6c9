/**
 * MastodonSource against the Mastodon stand-in (test/support/mastodon-stand-in.ts:
 * the real REST wire format, Link-header paging, since_id, rate-limit headers).
 */
import { ChannelError, type InboundItem, type PollResult } from '@drumbeat/core';
import { type AddressInfo, createServer, type Socket } from 'node:net';
import { describe, expect, it } from 'vitest';
import { MastodonSource } from '@drumbeat/channels';
import { MASTODON_TOKEN, mastodonStandIn, type MastodonStandIn } from '../support/mastodon-stand-in.js';
import { rejection } from '../support/rejection.js';
import { closedAfterEach } from '../support/closed-after-each.js';

const keep = closedAfterEach();

async function instance(opts: Parameters<typeof mastodonStandIn>[0] = {}) {
  return keep(await mastodonStandIn(opts));
}

const deps = { timeoutMs: 2000, allowPrivate: true };
const config = (instanceUrl: string, accessToken = MASTODON_TOKEN) => ({
  type: 'mastodon' as const,
  instanceUrl,
  accessToken,
});
const source = (m: MastodonStandIn, pageSize = 40, token?: string) =>
  new MastodonSource(config(m.url, token), deps, { pageSize });
const poll = (m: MastodonStandIn, cursor?: string, pageSize?: number) =>
  source(m, pageSize).poll({ channel: config(m.url), handle: 'acme', ...(cursor ? { cursor } : {}) });

const failure = (p: Promise<unknown>) => rejection(p, ChannelError);

const texts = (r: PollResult) => r.items.map((i) => i.text);

describe('mastodon source', () => {
  it('the first poll takes only the newest page of mentions, leaving other notifications aside', async () => {
    const m = await instance();
    for (let i = 1; i <= 5; i++) m.mention('carol', `@acme question ${i}`);
    m.notify('favourite', 'dave');
    const r = await poll(m, undefined, 2);
    expect(texts(r)).toEqual(['@acme question 5', '@acme question 4']);
    expect(m.calls('/api/v1/notifications')).toBe(1);
    const asked = new URL(m.requests.find((q) => q.path.startsWith('/api/v1/notifications'))!.path, m.url);
    expect(asked.searchParams.getAll('types[]')).toEqual(['mention']);
    expect(asked.searchParams.get('limit')).toBe('2');
    expect(r.retryAfterMs).toBeUndefined();
  });

  it('hands every mention over once across duplicate polls and a restart (the cursor is all it keeps)', async () => {
    const m = await instance();
    const seen: InboundItem[] = [];
    m.mention('carol', 'first');
    let r = await poll(m);
    seen.push(...r.items);
    r = await poll(m, r.cursor); // nothing new
    expect(r.items).toEqual([]);
    seen.push(...r.items);
    m.mention('dave', 'second');
    m.mention('erin', 'third');
    const before = r.cursor;
    const a = await poll(m, before);
    const again = await poll(m, before); // the same poll repeated (a crash before its cursor was saved)
    expect(again.items).toEqual(a.items);
    seen.push(...a.items);
    // A restart: a new source with the kept cursor.
    m.mention('frank', 'fourth');
    const b = await new MastodonSource(config(m.url), deps).poll({
      channel: config(m.url),
      handle: 'acme',
      cursor: a.cursor!,
    });
    seen.push(...b.items);
    expect(seen.map((i) => i.text).sort()).toEqual(['first', 'fourth', 'second', 'third']);
    expect(m.calls('/api/v1/accounts/verify_credentials')).toBe(1); // our account id is kept in the cursor
  });

  it("follows the Link header's next pages down to since_id", async () => {
    const m = await instance();
    m.mention('carol', 'old');
    const first = await poll(m, undefined, 2);
    for (let i = 1; i <= 5; i++) m.mention('carol', `new ${i}`);
    const r = await poll(m, first.cursor, 2);
    expect(texts(r)).toEqual(['new 5', 'new 4', 'new 3', 'new 2', 'new 1']);
    const pages = m.requests
      .filter((q) => q.path.startsWith('/api/v1/notifications'))
      .slice(1)
      .map((q) => new URL(q.path, m.url).searchParams);
    expect(pages).toHaveLength(3);
    expect(pages[0]!.get('since_id')).toBeTruthy();
    expect(pages[1]!.get('max_id')).toBeTruthy();
    expect(pages[1]!.getAll('types[]')).toEqual(['mention']);
    expect((await poll(m, r.cursor, 2)).items).toEqual([]);
  });

  it('reads the status as the inbox needs it: plain text from the HTML, author, url, thread and language', async () => {
    const m = await instance();
    const ours = m.post(m.me, 'Our spring menu is out');
    const n = m.mention(
      'carol',
      '',
      ours.id,
      '<p>Hi <span class="h-card"><a href="https://mastodon.example/@acme" class="u-url mention">@<span>acme</span></a></span> &amp; &lt;script&gt;alert(1)&lt;/script&gt; caf&#233; &#x1F600;</p><p>line two<br />line three</p>',
    );
    const [item] = (await poll(m)).items;
    expect(item).toEqual({
      externalId: n.status!.id,
      url: n.status!.url,
      kind: 'reply',
      author: { handle: 'carol@elsewhere.example', displayName: 'carol' },
      text: 'Hi @acme & <script>alert(1)</script> café 😀\n\nline two\nline three',
      receivedAt: n.status!.created_at,
      inReplyTo: { externalId: ours.id },
      language: 'en',
    });
  });

  it('reports a reply our account made on the network (outside drumbeat) as an outside reply', async () => {
    const m = await instance();
    const q = m.mention('carol', '@acme do you deliver?');
    const first = await poll(m);
    const answer = m.post(m.me, '@carol yes, everywhere', q.status!.id);
    const r = await poll(m, first.cursor);
    expect(r.outsideReplies).toEqual([
      { inReplyToExternalId: q.status!.id, externalId: answer.id, url: answer.url, at: answer.created_at },
    ]);
    expect((await poll(m, r.cursor)).outsideReplies).toEqual([]);
  });

  it('reads our own statuses only when asked, keeping their cursor so a look skipped misses nothing', async () => {
    const m = await instance();
    const q = m.mention('carol', '@acme do you deliver?');
    const ask = (cursor: string | undefined, ownPosts: boolean) =>
      source(m).poll({ channel: config(m.url), handle: 'acme', ownPosts, ...(cursor ? { cursor } : {}) });
    const first = await ask(undefined, true);
    expect(first.ownPostsRead).toBe(true);
    const answer = m.post(m.me, '@carol yes', q.status!.id);
    const own = () => m.calls(`/api/v1/accounts/${m.me.id}/statuses`);
    const skipped = await ask(first.cursor, false);
    expect(own()).toBe(1);
    expect(skipped.outsideReplies).toEqual([]);
    expect(skipped.ownPostsRead).toBeUndefined();
    const looked = await ask(skipped.cursor, true);
    expect(looked.outsideReplies.map((r) => r.externalId)).toEqual([answer.id]);
  });

  it('pages our own statuses down to the kept one when more than a page came since the last look', async () => {
    const m = await instance();
    const q = m.mention('carol', '@acme do you deliver?');
    const first = await poll(m);
    const answer = m.post(m.me, '@carol yes', q.status!.id); // the oldest of 61 statuses since the last look
    for (let i = 0; i < 60; i++) m.post(m.me, `news ${i}`);
    const r = await poll(m, first.cursor);
    expect(r.outsideReplies.map((x) => x.externalId)).toEqual([answer.id]);
    expect(m.calls(`/api/v1/accounts/${m.me.id}/statuses`)).toBe(3); // the first look's page, then two pages of 40
    expect((await poll(m, r.cursor)).outsideReplies).toEqual([]);
  });

  it('stops when the rate budget is spent, asks to wait until the reset, and resumes where it stopped without losing or repeating', async () => {
    const m = await instance();
    m.mention('carol', 'old');
    const first = await poll(m, undefined, 2);
    for (let i = 1; i <= 5; i++) m.mention('carol', `new ${i}`);
    m.budget(2); // one page, then X-RateLimit-Remaining: 1
    const cut = await poll(m, first.cursor, 2);
    expect(texts(cut)).toEqual(['new 5', 'new 4']);
    expect(cut.retryAfterMs).toBeGreaterThan(250_000);
    expect(cut.retryAfterMs).toBeLessThanOrEqual(300_000);
    m.budget(300);
    const rest = await poll(m, cut.cursor, 2);
    expect(texts(rest)).toEqual(['new 3', 'new 2', 'new 1']);
    expect(rest.retryAfterMs).toBeUndefined();
    m.mention('carol', 'later');
    expect(texts(await poll(m, rest.cursor, 2))).toEqual(['later']);
  });

  it('a 429 is retryable after its Retry-After', async () => {
    const m = await instance({ retryAfterS: 90 });
    m.budget(0);
    const err = await failure(poll(m));
    expect(err).toMatchObject({ retryable: true, retryAfterMs: 90_000 });
  });

  it('a rejected token (401) is final', async () => {
    const m = await instance();
    const err = await failure(source(m, 40, 'expired').poll({ channel: config(m.url, 'expired'), handle: 'acme' }));
    expect(err).toMatchObject({ retryable: false });
    expect(err.message).toMatch(/401/);
  });

  it('an outage (5xx) and a timeout are retryable', async () => {
    const m = await instance({ failWith: 503 });
    expect(await failure(poll(m))).toMatchObject({ retryable: true });
    m.fail(undefined);
    // A server that accepts and never answers: the timeout is the only way out, whatever the load
    // (a 1 ms timeout against a live server raced its answer on a busy CI machine).
    const sockets = new Set<Socket>();
    const silent = createServer((s) => void sockets.add(s));
    await new Promise<void>((done) => silent.listen(0, '127.0.0.1', done));
    const url = `http://127.0.0.1:${(silent.address() as AddressInfo).port}`;
    try {
      const hang = new MastodonSource(config(url), { ...deps, timeoutMs: 100 });
      expect(await failure(hang.poll({ channel: config(url), handle: 'acme' }))).toMatchObject({ retryable: true });
    } finally {
      for (const s of sockets) s.destroy();
      await new Promise((done) => silent.close(done));
    }
  });
});
