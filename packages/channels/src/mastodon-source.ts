import {
  ChannelError,
  type ChannelConfig,
  type ConversationSource,
  type InboundItem,
  type OutsideReply,
  type PollRequest,
  type PollResult,
} from '@drumbeat/core';
import { channelFetch, deadline, type ChannelDeps } from './channel-deps.js';
import { cleanText, htmlToText } from './html-text.js';
import { isoInstant, nextLink, readCursor, sourceGet, str, type SourceReply } from './source-http.js';
import { PollState, readPages, type SourceOptions } from './source-poll.js';

type MastodonConfig = Extract<ChannelConfig, { type: 'mastodon' }>;

/**
 * What the cursor keeps: `n` the newest mention notification taken (since_id),
 * `s` the newest own status looked at, `me` our account id, and `gap` when a
 * poll stopped paging before reaching `n` (rate budget, page cap): the next
 * poll resumes below `gap.maxId` and only then moves `n` to `gap.top`.
 */
interface Cursor {
  v: 1;
  n?: string;
  s?: string;
  me?: string;
  gap?: { maxId: string; top: string };
}

/** Pages of our own statuses one look reads at most (40 each). */
const OWN_PAGES = 3;

/** Snowflake ids compare as numbers. */
const newer = (a: string, b: string) => (a.length !== b.length ? a.length > b.length : a > b);

/**
 * Mastodon mentions of the account (`GET /api/v1/notifications?types[]=mention`,
 * with its access token, which needs `read:notifications` and
 * `read:statuses`). From `since_id`, following the Link header's `next`
 * pages until it meets the cursor; the first poll takes only the newest page.
 * Honours the rate limit: a spent `X-RateLimit-Remaining` ends the poll with
 * `retryAfterMs` until `X-RateLimit-Reset`, a 429 with its Retry-After. When
 * the poll asks (`ownPosts`, which the listening service does only while items
 * wait for an answer, and at most every third poll), our own account's
 * statuses since the last look (`/api/v1/accounts/:id/statuses`) that reply
 * in a thread come back as OutsideReply. Content HTML becomes plain
 * text. Failures are ChannelError: 401/403 final, 5xx, 429 and timeouts retryable.
 */
export class MastodonSource implements ConversationSource {
  constructor(
    private readonly config: MastodonConfig,
    private readonly deps: ChannelDeps,
    private readonly opts: SourceOptions = {},
  ) {}

  /** One poll; see the class comment. */
  async poll(req: PollRequest): Promise<PollResult> {
    const base = this.config.instanceUrl.replace(/\/+$/, '');
    const time = deadline(this.deps.timeoutMs);
    const fetch = channelFetch(this.deps);
    const get = (url: string, what: string): Promise<SourceReply> =>
      sourceGet(fetch, url, { ...time.init(), token: this.config.accessToken }, `mastodon ${what}`);
    const was = readCursor<Cursor>(req.cursor);
    const cursor: Cursor = {
      v: 1,
      ...(was.n ? { n: was.n } : {}),
      ...(was.s ? { s: was.s } : {}),
      ...(was.me ? { me: was.me } : {}),
      ...(was.gap ? { gap: was.gap } : {}),
    };
    const state = new PollState(this.opts.now ?? Date.now);
    const spent = (r: SourceReply) => state.spent(r.headers);

    if (!cursor.me) {
      const r = await get(`${base}/api/v1/accounts/verify_credentials`, 'verify_credentials');
      const id = str(r.body, 'id', 64);
      if (!id) throw new ChannelError('mastodon verify_credentials: no account id in the answer', false);
      cursor.me = id;
      if (spent(r)) return state.result(cursor);
    }
    const me = cursor.me;

    // Mentions, newest first, page by page down to the cursor.
    const size = Math.min(Math.max(this.opts.pageSize ?? 40, 1), 80);
    const q = new URLSearchParams({ 'types[]': 'mention', limit: String(size) });
    if (cursor.n) q.set('since_id', cursor.n);
    if (cursor.gap) q.set('max_id', cursor.gap.maxId);
    let url = `${base}/api/v1/notifications?${q}`;
    let top = cursor.gap?.top;
    let oldest: string | undefined;
    let reached = !cursor.n; // a first poll takes the newest page only
    // A later page refused: keep what was read, and resume from there after the wait.
    const refused = await readPages(
      this.opts.maxPages ?? 10,
      false,
      () => get(url, 'notifications'),
      (r) => {
        const rows = Array.isArray(r.body) ? r.body : [];
        for (const n of rows) {
          const id = str(n, 'id', 64);
          if (!id) continue;
          if (cursor.n && !newer(id, cursor.n)) {
            reached = true;
            continue;
          }
          if (!top || newer(id, top)) top = id;
          if (!oldest || newer(oldest, id)) oldest = id;
          const item = str(n, 'type') === 'mention' ? toItem((n as { status?: unknown }).status, me) : undefined;
          state.take(item);
        }
        // Mastodon never returns what since_id excludes: a short page is the last one.
        if (rows.length < size || !cursor.n) reached = true;
        const out = spent(r);
        if (reached || out) return true;
        const next = nextLink(r.headers.get('link'), base);
        if (!next) return (reached = true);
        url = next;
        return false;
      },
    );
    if (refused !== undefined) state.wait = refused;
    if (reached) {
      delete cursor.gap;
      if (top) cursor.n = top;
    } else if (oldest && top) cursor.gap = { maxId: oldest, top };

    // Our own statuses since the last look (when asked): a reply in a thread answers it outside drumbeat.
    await state.lookAtOwnPosts(req, (out, keepOnFailure) =>
      this.ownStatuses(get, base, me, cursor, out, keepOnFailure, spent),
    );
    return state.result(cursor);
  }

  /**
   * Our own statuses newer than `cursor.s`, newest first, following `next`
   * pages down to it while pages come back full (at most OWN_PAGES: an
   * account that posted more than that between two looks has its oldest
   * ones skipped); the first look takes the newest page. Answers the wait of a
   * refusal absorbed to keep the mentions read, undefined once the look completed.
   */
  private async ownStatuses(
    get: (url: string, what: string) => Promise<SourceReply>,
    base: string,
    me: string,
    cursor: Cursor,
    out: OutsideReply[],
    keepOnFailure: boolean,
    spent: (r: SourceReply) => boolean,
  ): Promise<number | undefined> {
    const size = 40;
    const sq = new URLSearchParams({ limit: String(size), exclude_reblogs: 'true' });
    const since = cursor.s;
    if (since) sq.set('since_id', since);
    let url = `${base}/api/v1/accounts/${encodeURIComponent(me)}/statuses?${sq}`;
    let top = since;
    // Mentions already read are not lost for a refusal: the own statuses wait for the next look.
    const refused = await readPages(
      OWN_PAGES,
      keepOnFailure,
      () => get(url, 'account statuses'),
      (r) => {
        const rows = Array.isArray(r.body) ? r.body : [];
        let reached = !since || rows.length < size;
        for (const st of rows) {
          const id = str(st, 'id', 64);
          if (!id) continue;
          if (since && !newer(id, since)) {
            reached = true;
            continue;
          }
          if (!top || newer(id, top)) top = id;
          const parent = str(st, 'in_reply_to_id', 64);
          const at = isoInstant(str(st, 'created_at'));
          if (parent && at) out.push({ inReplyToExternalId: parent, externalId: id, at, ...optionalUrl(st) });
        }
        if (spent(r) || reached) return true;
        const next = nextLink(r.headers.get('link'), base);
        if (!next) return true;
        url = next;
        return false;
      },
    );
    // A first look that found none of our posts: every one from now on is new ('0' sorts below every id).
    if (refused === undefined) cursor.s = top ?? '0';
    return refused;
  }
}

function optionalUrl(st: unknown): { url?: string } {
  const url = str(st, 'url') ?? str(st, 'uri');
  return url && /^https?:\/\//i.test(url) ? { url } : {};
}

/** The inbound item of a mention's status; undefined when the status is missing, malformed or our own. */
function toItem(status: unknown, me: string): InboundItem | undefined {
  const id = str(status, 'id', 64);
  const account = status && typeof status === 'object' ? (status as { account?: unknown }).account : undefined;
  const handle = str(account, 'acct', 300);
  const receivedAt = isoInstant(str(status, 'created_at'));
  if (!id || !handle || !receivedAt || str(account, 'id', 64) === me) return undefined;
  const displayName = str(account, 'display_name', 300);
  const parent = str(status, 'in_reply_to_id', 64);
  const language = str(status, 'language', 35);
  return {
    externalId: id,
    ...optionalUrl(status),
    kind: parent && str(status, 'in_reply_to_account_id', 64) === me ? 'reply' : 'mention',
    // display_name is plain text (not HTML): kept as typed, control characters removed.
    author: { handle, ...(displayName ? { displayName: cleanText(displayName) } : {}) },
    text: htmlToText(str(status, 'content', 200_000) ?? ''),
    receivedAt,
    ...(parent ? { inReplyTo: { externalId: parent } } : {}),
    ...(language ? { language } : {}),
  };
}
