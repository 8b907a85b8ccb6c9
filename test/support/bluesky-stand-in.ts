/**
 * A Bluesky PDS stand-in on loopback speaking the real XRPC wire format
 * (createSession, createRecord, getRecord), for channel and publisher tests.
 * The real PDS runs in test/channels/bluesky-real-pds.test.ts.
 */
import { TID_PATTERN } from '@drumbeat/channels';
import { json, startRecorder } from './http-recorder.js';

export const DID = 'did:plc:ewvi7nxzyoun6zhxrhs64oiz';
export const HANDLE = 'acme.bsky.social';
export const APP_PASSWORD = 'abcd-efgh-ijkl-mnop';

export interface Facet {
  index: { byteStart: number; byteEnd: number };
  features: { $type: string; uri?: string; tag?: string }[];
}
export interface PostRecord {
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
export async function blueskyStandIn(opts: { duplicate?: 500 | 409; hangCreate?: number; sessionStatus?: number } = {}) {
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
  const calls = (name: string) => s.requests.filter((r) => r.path.startsWith(`/xrpc/${name}`)).length;
  return Object.assign(s, { records, calls });
}

