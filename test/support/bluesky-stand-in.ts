/**
 * A Bluesky PDS stand-in on loopback speaking the real XRPC wire format
 * (createSession, createRecord, getRecord), for channel and publisher tests.
 * The real PDS runs in test/channels/bluesky-real-pds.test.ts.
 */
import { TID_PATTERN } from '@drumbeat/channels';
import { json, startRecorder } from './http-recorder.js';
import { appviewNotifications } from './bluesky-appview-stand-in.js';

export const DID = 'did:plc:ewvi7nxzyoun6zhxrhs64oiz';
export const HANDLE = 'acme.bsky.social';
export const APP_PASSWORD = 'abcd-efgh-ijkl-mnop';

export interface Facet {
  index: { byteStart: number; byteEnd: number };
  features: { $type: string; uri?: string; tag?: string; did?: string }[];
}
export interface PostRecord {
  $type: string;
  text: string;
  createdAt: string;
  facets?: Facet[];
  langs?: string[];
  reply?: { root: { uri: string; cid: string }; parent: { uri: string; cid: string } };
}

/** A JWT of the PDS's shape (the stand-in only reads its own tokens, so the signature is a placeholder). */
function jwt(payload: Record<string, unknown>): string {
  const part = (o: unknown) => Buffer.from(JSON.stringify(o)).toString('base64url');
  return `${part({ typ: 'at+jwt', alg: 'ES256K' })}.${part(payload)}.c2lnbmF0dXJl`;
}

/**
 * A PDS speaking createSession, refreshSession, resolveHandle, createRecord and
 * getRecord. Sessions are real-looking JWTs: the access token expires after
 * `accessTtlMs` (ExpiredToken, as the PDS answers), refreshing rotates the
 * refresh token (an old one is refused), `revoke()` forgets every session.
 * createRecord checks the token, repo, collection, TID rkey, record fields and
 * that every facet's UTF-8 byte range holds exactly its link, #tag or @handle;
 * a taken rkey is refused the way the reference PDS does (500) or with
 * `duplicate: 409`. `hangCreate` stores the record, then never answers.
 */
export async function blueskyStandIn(
  opts: {
    duplicate?: 500 | 409;
    hangCreate?: number;
    sessionStatus?: number;
    accessTtlMs?: number;
    handles?: Record<string, string>;
    password?: string;
    rateLimit?: number;
  } = {},
) {
  const appview = appviewNotifications({ rateLimit: opts.rateLimit });
  const records = new Map<string, PostRecord>();
  const access = new Set<string>();
  const refresh = new Set<string>();
  const handles = new Map(Object.entries({ [HANDLE]: DID, ...(opts.handles ?? {}) }));
  let hangs = opts.hangCreate ?? 0;
  let serial = 0;
  const bytes = (s: string) => new TextEncoder().encode(s);
  const newSession = () => {
    const n = ++serial;
    const accessJwt = jwt({
      scope: 'com.atproto.appPass',
      sub: DID,
      iat: Math.floor(Date.now() / 1000),
      exp: Math.floor((Date.now() + (opts.accessTtlMs ?? 7_200_000)) / 1000),
      n,
    });
    const refreshJwt = jwt({
      scope: 'com.atproto.refresh',
      sub: DID,
      jti: `refresh-${n}`,
      exp: Math.floor(Date.now() / 1000) + 90 * 86_400,
    });
    access.add(accessJwt);
    refresh.add(refreshJwt);
    return { accessJwt, refreshJwt, did: DID, handle: HANDLE, active: true };
  };
  const bearer = (h: string | undefined) => (h?.startsWith('Bearer ') ? h.slice(7) : '');
  const expired = (token: string) =>
    (JSON.parse(Buffer.from(token.split('.')[1]!, 'base64url').toString()) as { exp: number }).exp * 1000 <= Date.now();
  const s = await startRecorder((req, res) => {
    const path = req.path.split('?')[0];
    const q = new URL(req.path, 'http://x').searchParams;
    if (path === '/xrpc/com.atproto.server.createSession' && req.method === 'POST') {
      if (opts.sessionStatus === 429)
        return json(
          res,
          429,
          { error: 'RateLimitExceeded', message: 'Rate Limit Exceeded' },
          { 'ratelimit-reset': String(Math.floor(Date.now() / 1000) + 120) },
        );
      const { identifier, password } = JSON.parse(req.body) as { identifier: string; password: string };
      if (identifier !== HANDLE || password !== (opts.password ?? APP_PASSWORD))
        return json(res, 401, { error: 'AuthenticationRequired', message: 'Invalid identifier or password' });
      return json(res, 200, newSession());
    }
    if (path === '/xrpc/com.atproto.server.refreshSession' && req.method === 'POST') {
      const token = bearer(req.headers.authorization);
      if (!refresh.has(token)) return json(res, 400, { error: 'ExpiredToken', message: 'Token has been revoked' });
      refresh.delete(token);
      return json(res, 200, newSession());
    }
    if (path === '/xrpc/com.atproto.identity.resolveHandle' && req.method === 'GET') {
      const did = handles.get(q.get('handle') ?? '');
      return did
        ? json(res, 200, { did })
        : json(res, 400, { error: 'InvalidRequest', message: 'Unable to resolve handle' });
    }
    if (path === '/xrpc/com.atproto.repo.createRecord' && req.method === 'POST') {
      const token = bearer(req.headers.authorization);
      if (!access.has(token))
        return json(res, 401, { error: 'AuthenticationRequired', message: 'Token could not be verified' });
      if (expired(token)) return json(res, 400, { error: 'ExpiredToken', message: 'Token has expired' });
      const { repo, collection, rkey, record } = JSON.parse(req.body) as {
        repo: string;
        collection: string;
        rkey: string;
        record: PostRecord;
      };
      if (repo !== DID || collection !== 'app.bsky.feed.post')
        return json(res, 400, { error: 'InvalidRequest', message: 'bad repo or collection' });
      if (!TID_PATTERN.test(rkey)) return json(res, 400, { error: 'InvalidRequest', message: 'rkey must be a TID' });
      if (
        record.$type !== 'app.bsky.feed.post' ||
        typeof record.text !== 'string' ||
        Number.isNaN(Date.parse(record.createdAt))
      ) {
        return json(res, 400, { error: 'InvalidRequest', message: 'Invalid app.bsky.feed.post record' });
      }
      if ([...new Intl.Segmenter().segment(record.text)].length > 300) {
        return json(res, 400, {
          error: 'InvalidRequest',
          message: 'Invalid app.bsky.feed.post record: Record/text must not be longer than 300 graphemes',
        });
      }
      for (const f of record.facets ?? []) {
        const covered = new TextDecoder().decode(bytes(record.text).slice(f.index.byteStart, f.index.byteEnd));
        const feature = f.features[0]!;
        const mentioned = [...handles].find(([, did]) => did === feature.did)?.[0];
        const expected =
          feature.$type === 'app.bsky.richtext.facet#link'
            ? feature.uri
            : feature.$type === 'app.bsky.richtext.facet#mention'
              ? `@${mentioned}`
              : `#${feature.tag}`;
        // handles are case-insensitive
        const same =
          feature.$type === 'app.bsky.richtext.facet#mention'
            ? covered.toLowerCase() === expected
            : covered === expected;
        if (!same)
          return json(res, 400, { error: 'InvalidRequest', message: `facet covers "${covered}", not "${expected}"` });
      }
      if (records.has(rkey)) {
        return opts.duplicate === 409
          ? json(res, 409, { error: 'RecordAlreadyExists', message: 'Record already exists' })
          : json(res, 500, { error: 'InternalServerError', message: 'Internal Server Error' });
      }
      records.set(rkey, record);
      if (hangs > 0) return void hangs--;
      return json(res, 200, {
        uri: `at://${DID}/app.bsky.feed.post/${rkey}`,
        cid: 'bafyreib2rxk3rh6kzwq',
        validationStatus: 'valid',
      });
    }
    if (path === '/xrpc/com.atproto.repo.getRecord' && req.method === 'GET') {
      const record =
        q.get('repo') === DID && q.get('collection') === 'app.bsky.feed.post'
          ? records.get(q.get('rkey') ?? '')
          : undefined;
      if (!record) return json(res, 400, { error: 'RecordNotFound', message: 'Could not locate record' });
      return json(res, 200, { uri: `at://${DID}/app.bsky.feed.post/${q.get('rkey')}`, cid: 'bafy', value: record });
    }
    if (path === '/xrpc/com.atproto.repo.listRecords' && req.method === 'GET') {
      if (q.get('repo') !== DID || q.get('collection') !== 'app.bsky.feed.post') return json(res, 200, { records: [] });
      const limit = Math.min(Number(q.get('limit') ?? 50), 100);
      const rows = [...records]
        .sort(([a], [b]) => (a < b ? 1 : -1))
        .filter(([k]) => !q.get('cursor') || k < q.get('cursor')!)
        .slice(0, limit);
      return json(res, 200, {
        records: rows.map(([k, value]) => ({ uri: `at://${DID}/app.bsky.feed.post/${k}`, cid: `bafyrei${k}`, value })),
        ...(rows.length ? { cursor: rows.at(-1)![0] } : {}),
      });
    }
    if (path === '/xrpc/app.bsky.notification.listNotifications' && req.method === 'GET') {
      // The PDS hands app.bsky.* to the AppView on the user's behalf: the token is the PDS's to check.
      const token = bearer(req.headers.authorization);
      if (!access.has(token))
        return json(res, 401, { error: 'AuthenticationRequired', message: 'Token could not be verified' });
      if (expired(token)) return json(res, 400, { error: 'ExpiredToken', message: 'Token has expired' });
      return appview.listNotifications(q, res);
    }
    json(res, 404, { error: 'MethodNotImplemented' });
  });
  const calls = (name: string) => s.requests.filter((r) => r.path.startsWith(`/xrpc/${name}`)).length;
  /** Forgets every session (a revoked app password): refresh tokens are refused. */
  const revoke = () => {
    access.clear();
    refresh.clear();
  };
  /** Our own account posts outside drumbeat (from the Bluesky app): a reply when `reply` is given. */
  const ownPost = (text: string, reply?: PostRecord['reply']) => {
    const rkey = appview.tid();
    records.set(rkey, {
      $type: 'app.bsky.feed.post',
      text,
      createdAt: new Date().toISOString(),
      ...(reply ? { reply } : {}),
    });
    return { uri: `at://${DID}/app.bsky.feed.post/${rkey}`, cid: `bafyrei${rkey}` };
  };
  return Object.assign(s, { records, calls, revoke, appview, ownPost });
}

/** The channel config of the account HANDLE on the PDS at `service` (the stand-in's, or another). */
export const blueskyConfig = (service: string, appPassword = APP_PASSWORD) => ({
  type: 'bluesky' as const,
  service,
  identifier: HANDLE,
  appPassword,
});
