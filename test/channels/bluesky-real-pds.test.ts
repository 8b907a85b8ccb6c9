/**
 * drumbeat against a real atproto PDS (`@atproto/dev-env`: PDS on SQLite, PLC
 * in memory, run under Node 22 as a child process; see test/support/real-pds.ts),
 * reached through a fault proxy on loopback: facets and langs as the PDS
 * stores them, one login kept and refreshed across posts, an outage, and a
 * lost answer — each post exactly one record, each publication one ledger entry.
 */
import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tidForPost } from '@drumbeat/channels';
import { createLogger } from '@drumbeat/local';
import { dispatchTimers } from '../../packages/local/src/timer-dispatch.js';
import { accountBody, startTestApi, type TestApi } from '../support/api.js';
import { startFaultProxy, type FaultProxy } from '../support/fault-proxy.js';
import { startRealPds, type RealPds } from '../support/real-pds.js';

let pds: RealPds;
let proxy: FaultProxy;
let api: TestApi;
let key: string;
let ws: string;
let voiceId: string;
let accountId: string;

beforeAll(async () => {
  pds = await startRealPds(); // installs test/support/pds with Node 22's npm on first use: minutes, once
  proxy = await startFaultProxy(pds.url);
  // The channel timeout bounds each attempt: a few seconds for a PDS on loopback.
  api = await startTestApi({ now: '2026-11-23T10:00:00Z', timeoutMs: 5_000 });
  const w = await api.workspace('Real PDS');
  key = w.key;
  ws = w.id;
  voiceId = (await api.call('POST', '/v1/voices', { key, body: { name: 'Anna Bell', affiliation: 'agency' } })).body.id;
  const acc = await api.call('POST', '/v1/accounts', {
    key,
    body: accountBody({
      network: 'bluesky',
      handle: pds.handle,
      language: 'en',
      channel: { type: 'bluesky', service: proxy.url, identifier: pds.handle, appPassword: pds.appPassword },
    }),
  });
  expect(acc.status).toBe(201);
  accountId = acc.body.id;
  api.scheduler.start(dispatchTimers(api.services, createLogger('silent')), { loop: false });
}, 20 * 60_000);

afterAll(async () => {
  await api?.scheduler.stop();
  await api?.close();
  await proxy?.close();
  await pds?.stop();
});

const sha = (s: string) => createHash('sha256').update(s).digest('hex');
const read = async (id: string) => (await api.call('GET', `/v1/posts/${id}`, { key })).body;

/** Reads a record straight from the PDS (not through the proxy). */
async function record(rkey: string): Promise<
  | {
      text: string;
      langs?: string[];
      facets?: {
        index: { byteStart: number; byteEnd: number };
        features: { $type: string; did?: string; uri?: string; tag?: string }[];
      }[];
    }
  | undefined
> {
  const q = new URLSearchParams({ repo: pds.did, collection: 'app.bsky.feed.post', rkey });
  const res = await fetch(`${pds.url}/xrpc/com.atproto.repo.getRecord?${q}`);
  return res.status === 200 ? ((await res.json()) as { value: never }).value : undefined;
}

async function recordCount(): Promise<number> {
  const q = new URLSearchParams({ repo: pds.did, collection: 'app.bsky.feed.post', limit: '100' });
  return ((await (await fetch(`${pds.url}/xrpc/com.atproto.repo.listRecords?${q}`)).json()) as { records: unknown[] })
    .records.length;
}

let minute = 0;
/** Plans a post a minute ahead and makes it due; returns its id. */
async function due(text: string): Promise<string> {
  minute++;
  const at = new Date(Date.parse('2026-11-23T11:00:00Z') + minute * 3_600_000);
  api.clock.set(new Date(at.getTime() - 60_000).toISOString());
  const r = await api.call('POST', `/v1/accounts/${accountId}/posts`, {
    key,
    body: { text, voiceId, at: at.toISOString() },
  });
  expect(r.status).toBe(201);
  api.clock.set(at.toISOString());
  return r.body.id as string;
}

async function ledgerEntry(postId: string) {
  const entries = (await api.services.ledger.list(ws, { accountId, limit: 100 })).items.filter(
    (e) => e.postId === postId,
  );
  expect(entries).toHaveLength(1);
  return entries[0]!;
}

describe('bluesky on a real PDS', () => {
  it('publishes with link, tag and mention facets and the account language, as the PDS stores them', async () => {
    const text = `Autumn blend is back, ask @${pds.bobHandle}: https://acme.example/autumn #coffee`;
    const id = await due(text);
    await api.scheduler.runDue();
    const post = await read(id);
    expect(post.status).toBe('published');
    const rkey = tidForPost(id);
    expect(post.externalUrl).toBe(`https://bsky.app/profile/${pds.did}/post/${rkey}`);
    const stored = (await record(rkey))!;
    expect(stored.text).toBe(text);
    expect(stored.langs).toEqual(['en']);
    const bytes = new TextEncoder().encode(text);
    const covered = (f: { index: { byteStart: number; byteEnd: number } }) =>
      new TextDecoder().decode(bytes.slice(f.index.byteStart, f.index.byteEnd));
    expect((stored.facets ?? []).map((f) => [f.features[0]!.$type, covered(f)])).toEqual([
      ['app.bsky.richtext.facet#mention', `@${pds.bobHandle}`],
      ['app.bsky.richtext.facet#link', 'https://acme.example/autumn'],
      ['app.bsky.richtext.facet#tag', '#coffee'],
    ]);
    expect(stored.facets![0]!.features[0]!.did).toBe(pds.bobDid);
    expect((await ledgerEntry(id)).contentHash).toBe(sha(text));
  });

  it('keeps one login across posts, refreshes a refused access token, and logs in again only when the refresh is refused', async () => {
    for (const text of ['Second post', 'Third post']) {
      const id = await due(text);
      await api.scheduler.runDue();
      expect((await read(id)).status).toBe('published');
    }
    expect(proxy.calls('com.atproto.server.createSession')).toBe(1);
    expect(proxy.calls('com.atproto.server.refreshSession')).toBe(0);

    // Spoil the kept access token (as an expired or revoked one would be): the PDS refuses it, the refresh token renews it.
    await spoilKeptSession({ access: true });
    const refreshed = await due('After a refresh');
    await api.scheduler.runDue();
    expect((await read(refreshed)).status).toBe('published');
    expect(proxy.calls('com.atproto.server.refreshSession')).toBe(1);
    expect(proxy.calls('com.atproto.server.createSession')).toBe(1);

    // Both tokens spoiled: the refresh is refused too, so it logs in with the app password.
    await spoilKeptSession({ access: true, refresh: true });
    const relogged = await due('After a new login');
    await api.scheduler.runDue();
    expect((await read(relogged)).status).toBe('published');
    expect(proxy.calls('com.atproto.server.refreshSession')).toBe(2);
    expect(proxy.calls('com.atproto.server.createSession')).toBe(2);
  });

  it('rides out an outage: refused while the PDS is down (nothing sent, still editable), published once when it is back', async () => {
    await proxy.down();
    const id = await due('Through the outage');
    await api.scheduler.runDue();
    const waiting = await read(id);
    expect(waiting).toMatchObject({ status: 'scheduled', attempts: 1 });
    expect(waiting.outcomeUnknownSince).toBeUndefined();
    expect(waiting.lastError).toMatch(/ECONNREFUSED|refused/i);
    await proxy.up();
    api.clock.advance(10_000);
    await api.scheduler.runDue();
    expect((await read(id)).status).toBe('published');
    expect((await record(tidForPost(id)))!.text).toBe('Through the outage');
    await ledgerEntry(id);
  });

  it('a record saved whose answer was lost: the post is frozen (409), and the retry finds it live and records it', async () => {
    proxy.loseAnswers('/xrpc/com.atproto.repo.createRecord');
    const text = 'Saved, answer lost';
    const id = await due(text);
    await api.scheduler.runDue();
    const unknown = await read(id);
    expect(unknown.status).toBe('scheduled');
    expect(unknown.outcomeUnknownSince).toBeDefined();
    expect((await record(tidForPost(id)))!.text).toBe(text); // live already
    const edit = await api.call('PATCH', `/v1/posts/${id}`, { key, body: { text: 'An edit after it went out' } });
    expect(edit.status).toBe(409);
    expect(edit.body.detail).toMatch(/may already be live/);
    expect((await api.call('DELETE', `/v1/posts/${id}`, { key })).status).toBe(409);
    api.clock.advance(10_000);
    await api.scheduler.runDue();
    const done = await read(id);
    expect(done.status).toBe('published');
    expect(done.outcomeUnknownSince).toBeUndefined();
    expect((await ledgerEntry(id)).contentHash).toBe(sha(text));
    expect((await record(tidForPost(id)))!.text).toBe(text);
  });

  it('holds exactly one record per published post and a ledger that verifies', async () => {
    const published = (await api.call('GET', `/v1/accounts/${accountId}/posts?status=published&limit=100`, { key }))
      .body.items as unknown[];
    expect(published).toHaveLength(7);
    expect(await recordCount()).toBe(7);
    expect((await api.services.ledger.verify(ws)).ok).toBe(true);
  });
});

/** Rewrites the account's kept session (sealed in the table) with tokens the PDS will refuse. */
async function spoilKeptSession(which: { access?: boolean; refresh?: boolean }) {
  const sealer = api.services.deps.sealer!;
  const context = `${ws}/${accountId}/channel.session`;
  const sealed = (await api.store.channelSessions.get(ws, accountId))!;
  const kept = JSON.parse(await sealer.open(sealed, context)) as { accessJwt: string; refreshJwt: string };
  const spoil = (jwt: string) => `${jwt.split('.').slice(0, 2).join('.')}.c3BvaWxlZA`; // same claims, a signature that does not verify
  if (which.access) kept.accessJwt = spoil(kept.accessJwt);
  if (which.refresh) kept.refreshJwt = spoil(kept.refreshJwt);
  await api.store.channelSessions.put(ws, accountId, await sealer.seal(JSON.stringify(kept), context), new Date());
}
