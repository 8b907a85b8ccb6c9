/**
 * BlueskySource with a real atproto PDS (`@atproto/dev-env` under Node 22,
 * see test/support/real-pds.ts) for everything but the notifications: the
 * login, the kept session and our own posts (`com.atproto.repo.listRecords`)
 * are the PDS's; `app.bsky.notification.*` goes to the AppView stand-in
 * (test/support/bluesky-appview-stand-in.ts; the real AppView needs
 * Postgres), routed the way a PDS proxies `app.bsky.*` to its AppView.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BlueskySource, channelFor } from '@drumbeat/channels';
import { appviewNotifications } from '../support/bluesky-appview-stand-in.js';
import { startRealPds, type RealPds } from '../support/real-pds.js';
import { publishRequest } from './publish-request.js';

let pds: RealPds;
let router: Server;
let url: string;
const appview = appviewNotifications();

beforeAll(async () => {
  pds = await startRealPds(); // installs test/support/pds with Node 22's npm on first use: minutes, once
  router = createServer(async (req, res) => {
    const path = req.url ?? '/';
    if (path.startsWith('/xrpc/app.bsky.notification.listNotifications')) {
      // The PDS checks the session before it proxies; here the check is that a bearer token came.
      if (!req.headers.authorization?.startsWith('Bearer ')) return void res.writeHead(401).end();
      return appview.listNotifications(new URL(path, 'http://x').searchParams, res);
    }
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const headers: Record<string, string> = {};
    for (const h of ['authorization', 'content-type', 'accept'])
      if (req.headers[h]) headers[h] = String(req.headers[h]);
    const r = await fetch(`${pds.url}${path}`, {
      method: req.method!,
      headers,
      ...(chunks.length ? { body: Buffer.concat(chunks) } : {}),
    });
    res.writeHead(r.status, { 'content-type': r.headers.get('content-type') ?? 'application/json' });
    res.end(Buffer.from(await r.arrayBuffer()));
  });
  await new Promise<void>((r) => router.listen(0, '127.0.0.1', r));
  url = `http://127.0.0.1:${(router.address() as AddressInfo).port}`;
}, 20 * 60_000);

afterAll(async () => {
  router?.closeAllConnections();
  await new Promise((r) => (router ? router.close(r) : r(undefined)));
  await pds?.stop();
});

async function login(identifier: string, password: string): Promise<{ did: string; accessJwt: string }> {
  const r = await fetch(`${pds.url}/xrpc/com.atproto.server.createSession`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ identifier, password }),
  });
  return (await r.json()) as { did: string; accessJwt: string };
}

async function post(
  who: { did: string; accessJwt: string },
  text: string,
  reply?: { root: Ref; parent: Ref },
): Promise<Ref> {
  const record = {
    $type: 'app.bsky.feed.post',
    text,
    createdAt: new Date().toISOString(),
    ...(reply ? { reply } : {}),
  };
  const r = await fetch(`${pds.url}/xrpc/com.atproto.repo.createRecord`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${who.accessJwt}` },
    body: JSON.stringify({ repo: who.did, collection: 'app.bsky.feed.post', record }),
  });
  expect(r.status).toBe(200);
  const { uri, cid } = (await r.json()) as Ref;
  return { uri, cid };
}
interface Ref {
  uri: string;
  cid: string;
}

describe('bluesky source with a real PDS', () => {
  it('polls under one kept login, hands a mention over once, and sees the reply our account made outside drumbeat', async () => {
    const bob = await login(pds.bobHandle, 'bob-password');
    const cfg = { type: 'bluesky' as const, service: url, identifier: pds.handle, appPassword: pds.appPassword };
    let kept: string | undefined;
    const session = { load: async () => kept, save: async (v: string) => void (kept = v) };
    const source = new BlueskySource(cfg, { timeoutMs: 5_000, allowPrivate: true });

    await post(await login(pds.handle, pds.appPassword), 'An older post of ours');
    const first = await source.poll({ channel: cfg, handle: pds.handle, session });
    expect(first.items).toEqual([]);

    const question = await post(bob, `@${pds.handle} do you roast on site?`);
    appview.notify({ did: bob.did, handle: pds.bobHandle }, 'mention', `@${pds.handle} do you roast on site?`, {
      record: question,
    });
    const second = await source.poll({ channel: cfg, handle: pds.handle, session, cursor: first.cursor! });
    expect(second.items).toEqual([
      expect.objectContaining({
        externalId: question.uri,
        cid: question.cid,
        kind: 'mention',
        author: { handle: pds.bobHandle },
      }),
    ]);
    expect(second.outsideReplies).toEqual([]);

    // Answered in the Bluesky app (outside drumbeat), and a drumbeat answer to another thread.
    const me = await login(pds.handle, pds.appPassword);
    const answer = await post(me, 'Yes, every Tuesday!', { root: question, parent: question });
    const other = await post(bob, 'another question');
    await channelFor(cfg, { timeoutMs: 5_000, allowPrivate: true }).publish(
      publishRequest(cfg, {
        text: 'Through drumbeat',
        replyTo: { root: { externalId: other.uri, cid: other.cid }, parent: { externalId: other.uri, cid: other.cid } },
      }),
    );
    const third = await source.poll({ channel: cfg, handle: pds.handle, session, cursor: second.cursor! });
    expect(third.items).toEqual([]);
    expect(third.outsideReplies).toEqual(
      expect.arrayContaining([expect.objectContaining({ inReplyToExternalId: question.uri, externalId: answer.uri })]),
    );
    // Nothing twice.
    const fourth = await source.poll({ channel: cfg, handle: pds.handle, session, cursor: third.cursor! });
    expect(fourth).toMatchObject({ items: [], outsideReplies: [] });
    expect(JSON.parse(kept!).did).toBe(pds.did); // the session was kept, not a login per poll
  });
});
