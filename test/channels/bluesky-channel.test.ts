import { ChannelError, newId } from '@drumbeat/core';
import { afterEach, describe, expect, it } from 'vitest';
import { channelFor, TID_PATTERN, tidForPost } from '@drumbeat/channels';
import { json, startRecorder, type HttpRecorder } from '../support/http-recorder.js';
import { publishRequest } from './publish-request.js';

const DID = 'did:plc:ewvi7nxzyoun6zhxrhs64oiz';
const HANDLE = 'acme.bsky.social';
const APP_PASSWORD = 'abcd-efgh-ijkl-mnop';

interface Facet {
  index: { byteStart: number; byteEnd: number };
  features: { $type: string; uri?: string; tag?: string }[];
}
interface PostRecord {
  $type: string;
  text: string;
  createdAt: string;
  facets?: Facet[];
}

/**
 * A PDS speaking createSession, createRecord and getRecord. createRecord checks
 * the token, repo, collection, TID rkey, record fields and that every facet's
 * UTF-8 byte range holds exactly its link (or #tag); a taken rkey is refused the
 * way the reference PDS does (500) or with `duplicate: 409`. `hangCreate`
 * stores the record, then never answers.
 */
async function pds(opts: { duplicate?: 500 | 409; hangCreate?: number; sessionStatus?: number } = {}) {
  const records = new Map<string, PostRecord>();
  let hangs = opts.hangCreate ?? 0;
  const bytes = (s: string) => new TextEncoder().encode(s);
  const s = await startRecorder((req, res) => {
    const path = req.path.split('?')[0];
    if (path === '/xrpc/com.atproto.server.createSession' && req.method === 'POST') {
      if (opts.sessionStatus === 429) return json(res, 429, { error: 'RateLimitExceeded', message: 'Rate Limit Exceeded' }, { 'ratelimit-reset': String(Math.floor(Date.now() / 1000) + 120) });
      const { identifier, password } = JSON.parse(req.body) as { identifier: string; password: string };
      if (identifier !== HANDLE || password !== APP_PASSWORD) return json(res, 401, { error: 'AuthenticationRequired', message: 'Invalid identifier or password' });
      return json(res, 200, { accessJwt: 'access-jwt', refreshJwt: 'refresh-jwt', did: DID, handle: HANDLE, active: true });
    }
    if (path === '/xrpc/com.atproto.repo.createRecord' && req.method === 'POST') {
      if (req.headers.authorization !== 'Bearer access-jwt') return json(res, 401, { error: 'AuthenticationRequired' });
      const { repo, collection, rkey, record } = JSON.parse(req.body) as { repo: string; collection: string; rkey: string; record: PostRecord };
      if (repo !== DID || collection !== 'app.bsky.feed.post') return json(res, 400, { error: 'InvalidRequest', message: 'bad repo or collection' });
      if (!TID_PATTERN.test(rkey)) return json(res, 400, { error: 'InvalidRequest', message: 'rkey must be a TID' });
      if (record.$type !== 'app.bsky.feed.post' || typeof record.text !== 'string' || Number.isNaN(Date.parse(record.createdAt))) {
        return json(res, 400, { error: 'InvalidRequest', message: 'Invalid app.bsky.feed.post record' });
      }
      if ([...new Intl.Segmenter().segment(record.text)].length > 300) {
        return json(res, 400, { error: 'InvalidRequest', message: 'Invalid app.bsky.feed.post record: Record/text must not be longer than 300 graphemes' });
      }
      for (const f of record.facets ?? []) {
        const covered = new TextDecoder().decode(bytes(record.text).slice(f.index.byteStart, f.index.byteEnd));
        const feature = f.features[0]!;
        const expected = feature.$type === 'app.bsky.richtext.facet#link' ? feature.uri : `#${feature.tag}`;
        if (covered !== expected) return json(res, 400, { error: 'InvalidRequest', message: `facet covers "${covered}", not "${expected}"` });
      }
      if (records.has(rkey)) {
        return opts.duplicate === 409
          ? json(res, 409, { error: 'RecordAlreadyExists', message: 'Record already exists' })
          : json(res, 500, { error: 'InternalServerError', message: 'Internal Server Error' });
      }
      records.set(rkey, record);
      if (hangs > 0) return void hangs--;
      return json(res, 200, { uri: `at://${DID}/app.bsky.feed.post/${rkey}`, cid: 'bafyreib2rxk3rh6kzwq', validationStatus: 'valid' });
    }
    if (path === '/xrpc/com.atproto.repo.getRecord' && req.method === 'GET') {
      const q = new URL(req.path, 'http://x').searchParams;
      const record = q.get('repo') === DID && q.get('collection') === 'app.bsky.feed.post' ? records.get(q.get('rkey') ?? '') : undefined;
      if (!record) return json(res, 400, { error: 'RecordNotFound', message: 'Could not locate record' });
      return json(res, 200, { uri: `at://${DID}/app.bsky.feed.post/${q.get('rkey')}`, cid: 'bafy', value: record });
    }
    json(res, 404, { error: 'MethodNotImplemented' });
  });
  servers.push(s);
  const calls = (name: string) => s.requests.filter((r) => r.path.startsWith(`/xrpc/${name}`)).length;
  return Object.assign(s, { records, calls });
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

  it('refuses, as final, an rkey that already holds another post', async () => {
    const p = await pds();
    const req = publishRequest(config(p.url), { postId: newId('post') });
    p.records.set(tidForPost(req.postId), { $type: 'app.bsky.feed.post', text: 'someone else', createdAt: new Date().toISOString() });
    const err = await channelError(channelFor(config(p.url), deps).publish(req));
    expect(err).toMatchObject({ retryable: false });
    expect(err.message).toMatch(/already holds another post/);
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
