/**
 * Answers on a real atproto PDS (`@atproto/dev-env` under Node 22, see
 * test/support/real-pds.ts): the reply record's `reply.root` and
 * `reply.parent` are strong refs to the right posts (URI and CID as the PDS
 * has them), a missing CID is read from the PDS, and a repeated publish of
 * the same answer leaves one record (its rkey is the post's own TID).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { channelFor, tidForPost } from '@drumbeat/channels';
import { startRealPds, type RealPds } from '../support/real-pds.js';
import { publishRequest } from './publish-request.js';

let pds: RealPds;
let bob: { did: string; accessJwt: string };

beforeAll(async () => {
  pds = await startRealPds(); // installs test/support/pds with Node 22's npm on first use: minutes, once
  // bob's login password is set by test/support/pds/run-pds.mjs
  const r = await fetch(`${pds.url}/xrpc/com.atproto.server.createSession`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ identifier: pds.bobHandle, password: 'bob-password' }),
  });
  bob = (await r.json()) as typeof bob;
}, 20 * 60_000);

afterAll(async () => {
  await pds?.stop();
});

/** bob posts (a reply when `reply` is given); answers the strong ref. */
async function bobPosts(text: string, reply?: { root: StrongRef; parent: StrongRef }): Promise<StrongRef> {
  const record = {
    $type: 'app.bsky.feed.post',
    text,
    createdAt: new Date().toISOString(),
    ...(reply ? { reply } : {}),
  };
  const r = await fetch(`${pds.url}/xrpc/com.atproto.repo.createRecord`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${bob.accessJwt}` },
    body: JSON.stringify({ repo: bob.did, collection: 'app.bsky.feed.post', record }),
  });
  expect(r.status).toBe(200);
  const { uri, cid } = (await r.json()) as StrongRef;
  return { uri, cid };
}
interface StrongRef {
  uri: string;
  cid: string;
}

async function ourRecords(): Promise<
  { uri: string; value: { text: string; reply?: { root: StrongRef; parent: StrongRef } } }[]
> {
  const q = new URLSearchParams({ repo: pds.did, collection: 'app.bsky.feed.post', limit: '100' });
  return ((await (await fetch(`${pds.url}/xrpc/com.atproto.repo.listRecords?${q}`)).json()) as { records: never[] })
    .records;
}

const deps = { timeoutMs: 5_000, allowPrivate: true };

describe('bluesky answers on a real PDS', () => {
  it('publishes the answer with reply.root and reply.parent naming the thread, once across a repeated publish', async () => {
    const root = await bobPosts(`@${pds.handle} which beans do you use?`);
    const parent = await bobPosts('and are they fair trade?', { root, parent: root });
    const cfg = { type: 'bluesky' as const, service: pds.url, identifier: pds.handle, appPassword: pds.appPassword };
    const req = publishRequest(cfg, {
      text: 'Yes, all of them: https://acme.example/beans',
      replyTo: { parent: { externalId: parent.uri, cid: parent.cid }, root: { externalId: root.uri, cid: root.cid } },
    });
    const channel = channelFor(cfg, deps);
    const first = await channel.publish(req);
    expect(first.externalId).toBe(`at://${pds.did}/app.bsky.feed.post/${tidForPost(req.postId)}`);
    expect(await channel.publish(req)).toEqual(first);
    const mine = (await ourRecords()).filter((r) => r.uri === first.externalId);
    expect(mine).toHaveLength(1);
    expect(mine[0]!.value.reply).toEqual({ root, parent });
  });

  it('reads the CIDs it was not given from the PDS, and a reply to the thread start has root = parent', async () => {
    const start = await bobPosts(`@${pds.handle} do you ship to Lyon?`);
    const cfg = { type: 'bluesky' as const, service: pds.url, identifier: pds.handle, appPassword: pds.appPassword };
    const req = publishRequest(cfg, {
      text: 'We do, in two days.',
      replyTo: { parent: { externalId: start.uri }, root: { externalId: start.uri } },
    });
    const r = await channelFor(cfg, deps).publish(req);
    const record = (await ourRecords()).find((x) => x.uri === r.externalId)!;
    expect(record.value.reply).toEqual({ root: start, parent: start });
  });
});
