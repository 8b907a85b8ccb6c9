/**
 * A Mastodon instance stand-in on loopback, speaking the real REST wire format
 * for what drumbeat uses: `POST /api/v1/statuses` (Idempotency-Key honoured,
 * `in_reply_to_id` checked), `GET /api/v1/statuses/:id`,
 * `GET /api/v1/accounts/verify_credentials`, `GET /api/v1/accounts/:id/statuses`
 * and `GET /api/v1/notifications` (`types[]`, `since_id`, `max_id`, `min_id`,
 * `limit` ≤ 80, newest first, `Link` header with rel="next"/"prev" as Mastodon
 * builds it: next by `max_id`, prev by `min_id`, other filters kept, `since_id`
 * not). Every answer carries `X-RateLimit-Limit/Remaining/Reset` (reset an ISO
 * instant); over the budget a 429 with `Retry-After`. A bad token is a 401.
 * Statuses carry `content` as HTML, `account.acct`, `url`, `in_reply_to_id`.
 */
import type { ServerResponse } from 'node:http';
import { json, startRecorder, type Received } from './http-recorder.js';

export const MASTODON_TOKEN = 'mastodon-token-123';

export interface StandInAccount {
  id: string;
  username: string;
  acct: string;
  display_name: string;
  url: string;
}

export interface StandInStatus {
  id: string;
  created_at: string;
  in_reply_to_id: string | null;
  in_reply_to_account_id: string | null;
  visibility: string;
  language: string | null;
  uri: string;
  url: string;
  content: string;
  account: StandInAccount;
}

export interface StandInNotification {
  id: string;
  type: string;
  created_at: string;
  account: StandInAccount;
  status?: StandInStatus;
}

export interface MastodonStandInOptions {
  /** Requests allowed per window before 429s (Mastodon: 300 per 5 minutes). */
  rateLimit?: number;
  /** Seconds a 429 asks to wait. */
  retryAfterS?: number;
  /** Answer every request with this status (503: an outage). */
  failWith?: number;
}

const escapeHtml = (s: string) =>
  s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');

/** Mastodon's HTML for a plain text status: paragraphs, line breaks, escaped text. */
export function mastodonHtml(text: string): string {
  return text
    .split(/\n{2,}/)
    .map((p) => `<p>${escapeHtml(p).replace(/\n/g, '<br />')}</p>`)
    .join('');
}

/** Starts the stand-in; `origin` is the host it claims in URLs (its own by default). */
export async function mastodonStandIn(opts: MastodonStandInOptions = {}) {
  let serial = 110_000_000_000_000_000n;
  const nextId = () => String(serial++);
  const statuses = new Map<string, StandInStatus>();
  const notifications: StandInNotification[] = [];
  const byKey = new Map<string, string>();
  const limit = opts.rateLimit ?? 300;
  let remaining = limit;
  let failWith = opts.failWith;
  const resetAt = () => new Date(Date.now() + 300_000).toISOString();
  let origin = '';

  const account = (username: string, display = username): StandInAccount => ({
    id: String(1000 + [...username].reduce((n, c) => n + c.charCodeAt(0), 0)),
    username,
    acct: username === 'acme' ? 'acme' : `${username}@elsewhere.example`,
    display_name: display,
    url: `https://mastodon.example/@${username}`,
  });
  const me = account('acme', 'Acme');

  const status = (by: StandInAccount, text: string, inReplyTo?: string, html?: string): StandInStatus => {
    const id = nextId();
    const parent = inReplyTo ? statuses.get(inReplyTo) : undefined;
    const s: StandInStatus = {
      id,
      created_at: new Date().toISOString(),
      in_reply_to_id: inReplyTo ?? null,
      in_reply_to_account_id: parent?.account.id ?? null,
      visibility: 'public',
      language: 'en',
      uri: `https://mastodon.example/users/${by.username}/statuses/${id}`,
      url: `https://mastodon.example/@${by.username}/${id}`,
      content: html ?? mastodonHtml(text),
      account: by,
    };
    statuses.set(id, s);
    return s;
  };

  const cmp = (a: string, b: string) => (BigInt(a) < BigInt(b) ? -1 : BigInt(a) > BigInt(b) ? 1 : 0);

  const rateHeaders = () => ({
    'x-ratelimit-limit': String(limit),
    'x-ratelimit-remaining': String(Math.max(0, remaining)),
    'x-ratelimit-reset': resetAt(),
  });

  /** A page of `list` (newest first) by Mastodon's rules, with its Link header. */
  const page = <T extends { id: string }>(req: Received, path: string, list: T[]) => {
    const q = new URL(req.path, 'http://x').searchParams;
    const n = Math.min(Math.max(Number(q.get('limit') ?? 40) || 40, 1), 80);
    const since = q.get('since_id');
    const max = q.get('max_id');
    const min = q.get('min_id');
    let rows = list.filter(
      (r) => (!since || cmp(r.id, since) > 0) && (!max || cmp(r.id, max) < 0) && (!min || cmp(r.id, min) > 0),
    );
    rows.sort((a, b) => cmp(b.id, a.id));
    // min_id gives the page right after it (the oldest ones), since_id the newest ones.
    rows = min ? rows.slice(-n) : rows.slice(0, n);
    const keep = new URLSearchParams();
    for (const [k, v] of q) if (!['since_id', 'max_id', 'min_id'].includes(k)) keep.append(k, v);
    const link = (k: string, v: string) => {
      const u = new URLSearchParams(keep);
      u.set(k, v);
      return `${origin}${path}?${u.toString().replace(/%5B%5D=/g, '[]=')}`;
    };
    const headers: Record<string, string> = {};
    if (rows.length)
      headers.link = `<${link('max_id', rows.at(-1)!.id)}>; rel="next", <${link('min_id', rows[0]!.id)}>; rel="prev"`;
    return { rows, headers };
  };

  const s = await startRecorder((req, res: ServerResponse) => {
    const url = new URL(req.path, 'http://x');
    const path = url.pathname;
    if (failWith) return json(res, failWith, { error: 'Service Unavailable' });
    if (req.headers.authorization !== `Bearer ${MASTODON_TOKEN}`)
      return json(res, 401, { error: 'The access token is invalid' });
    remaining--;
    if (remaining < 0)
      return json(
        res,
        429,
        { error: 'Too many requests' },
        { ...rateHeaders(), 'retry-after': String(opts.retryAfterS ?? 120) },
      );
    const ok = (body: unknown, extra: Record<string, string> = {}) =>
      json(res, 200, body, { ...rateHeaders(), ...extra });

    if (req.method === 'POST' && path === '/api/v1/statuses') {
      const key = req.headers['idempotency-key'];
      if (!key) return json(res, 422, { error: 'stand-in: Idempotency-Key required' });
      const body = JSON.parse(req.body) as { status?: string; visibility?: string; in_reply_to_id?: string };
      if (!body.status || body.visibility !== 'public')
        return json(res, 422, { error: "Validation failed: Text can't be blank" });
      if (body.in_reply_to_id !== undefined && !statuses.has(String(body.in_reply_to_id)))
        return json(res, 404, { error: 'Record not found' });
      const known = byKey.get(key);
      const st = known ? statuses.get(known)! : status(me, body.status, body.in_reply_to_id);
      byKey.set(key, st.id);
      return ok(st);
    }
    if (req.method === 'GET' && path === '/api/v1/accounts/verify_credentials') return ok(me);
    const own = /^\/api\/v1\/accounts\/(\d+)\/statuses$/.exec(path);
    if (req.method === 'GET' && own) {
      const { rows, headers } = page(
        req,
        path,
        [...statuses.values()].filter((st) => st.account.id === own[1]),
      );
      return ok(rows, headers);
    }
    const one = /^\/api\/v1\/statuses\/(\d+)$/.exec(path);
    if (req.method === 'GET' && one) {
      const st = statuses.get(one[1]!);
      return st ? ok(st) : json(res, 404, { error: 'Record not found' });
    }
    if (req.method === 'GET' && path === '/api/v1/notifications') {
      const types = url.searchParams.getAll('types[]');
      const { rows, headers } = page(
        req,
        path,
        notifications.filter((n) => !types.length || types.includes(n.type)),
      );
      return ok(rows, headers);
    }
    json(res, 404, { error: 'Record not found' });
  });
  origin = s.url;

  return Object.assign(s, {
    me,
    statuses,
    notifications,
    account,
    /** Someone posts a status (a reply when `inReplyTo`); `html` replaces the content Mastodon would render. */
    post(by: string | StandInAccount, text: string, inReplyTo?: string, html?: string): StandInStatus {
      return status(typeof by === 'string' ? account(by) : by, text, inReplyTo, html);
    },
    /** Someone mentions the account: a status and its `mention` notification. */
    mention(by: string, text: string, inReplyTo?: string, html?: string): StandInNotification {
      const st = status(account(by), text, inReplyTo, html);
      const n: StandInNotification = {
        id: nextId(),
        type: 'mention',
        created_at: st.created_at,
        account: st.account,
        status: st,
      };
      notifications.push(n);
      return n;
    },
    /** Another kind of notification (favourite, follow), which a mention filter leaves out. */
    notify(type: string, by: string): StandInNotification {
      const n: StandInNotification = { id: nextId(), type, created_at: new Date().toISOString(), account: account(by) };
      notifications.push(n);
      return n;
    },
    /** Resets the rate budget to `n` requests. */
    budget(n: number) {
      remaining = n;
    },
    fail(status: number | undefined) {
      failWith = status;
    },
    calls: (prefix: string) => s.requests.filter((r) => r.path.startsWith(prefix)).length,
  });
}

export type MastodonStandIn = Awaited<ReturnType<typeof mastodonStandIn>>;
