import {
  ChannelError,
  type ChannelConfig,
  type ConversationSource,
  type InboundItem,
  type OutsideReply,
  type PollRequest,
  type PollResult,
  type ThreadRef,
} from '@drumbeat/core';
import { BlueskySessions, isAuthFailure, type Session } from './bluesky-session.js';
import { parseJson, xrpc, type Reply, type XrpcContext, type XrpcFailure } from './bluesky-xrpc.js';
import { channelFetch, deadline, type ChannelDeps } from './channel-deps.js';
import { cleanText } from './html-text.js';
import { channelError } from './http-outcome.js';
import { isoInstant, readCursor, str } from './source-http.js';
import { PollState, readPages, type SourceOptions } from './source-poll.js';

type BlueskyConfig = Extract<ChannelConfig, { type: 'bluesky' }>;

/** Pages of our own posts one look reads at most (50 each). */
const OWN_PAGES = 3;

/** The reasons that may need an answer. */
const KINDS = new Map([
  ['mention', 'mention'],
  ['reply', 'reply'],
  ['quote', 'quote'],
] as const);

/**
 * What the cursor keeps: `at` the newest notification taken (its indexedAt)
 * and `uris` the ones taken at that very instant; `own` the newest rkey of
 * our own posts looked at; `gap` when a poll stopped paging before reaching
 * `at`: the API cursor to resume from, and the mark to move to once it does.
 */
interface Cursor {
  v: 1;
  at?: string;
  uris?: string[];
  own?: string;
  gap?: { cursor: string; at: string; uris: string[] };
}

/**
 * Bluesky mentions, replies and quotes of the account
 * (`app.bsky.notification.listNotifications`, asked of the account's PDS,
 * which hands it to the AppView), under the kept channel session (the app
 * password logs in only when there is none). The lexicon pages backwards
 * only (newest first, `cursor` to older), so a poll reads pages until it
 * meets the notification it took last; the first poll takes only the newest
 * page. When the poll asks (`ownPosts`: only while items wait for an
 * answer, at most every third poll), our own posts since the last look
 * (`com.atproto.repo.listRecords` on our repo) that reply in a thread come
 * back as OutsideReply. Failures are
 * ChannelError: a refused login final, 5xx, 429 and timeouts retryable.
 */
export class BlueskySource implements ConversationSource {
  constructor(
    private readonly config: BlueskyConfig,
    private readonly deps: ChannelDeps,
    private readonly opts: SourceOptions = {},
  ) {}

  /** One poll; see the class comment. */
  async poll(req: PollRequest): Promise<PollResult> {
    const now = this.opts.now ?? Date.now;
    const time = deadline(this.deps.timeoutMs);
    const cx: XrpcContext = {
      fetch: channelFetch(this.deps),
      base: `${this.config.service.replace(/\/+$/, '')}/xrpc`,
      init: () => time.init(),
    };
    const sessions = new BlueskySessions(this.config, cx, req.session, now);
    let session = await sessions.current();
    const call = async (nsid: string, query: Record<string, string>): Promise<Reply> => {
      try {
        try {
          return await xrpc(cx, nsid, { query, token: session.accessJwt });
        } catch (thrown) {
          if (!isAuthFailure(thrown as XrpcFailure)) throw thrown;
          session = await sessions.renew(session);
          return await xrpc(cx, nsid, { query, token: session.accessJwt });
        }
      } catch (thrown) {
        if (thrown instanceof ChannelError) throw thrown;
        throw channelError(`bluesky ${nsid}`, { ...(thrown as XrpcFailure), outcomeUnknown: false });
      }
    };

    const was = readCursor<Cursor>(req.cursor);
    const cursor: Cursor = {
      v: 1,
      ...(typeof was.at === 'string'
        ? { at: was.at, uris: Array.isArray(was.uris) ? was.uris.filter((u) => typeof u === 'string') : [] }
        : {}),
      ...(typeof was.own === 'string' ? { own: was.own } : {}),
      ...(was.gap ? { gap: was.gap } : {}),
    };
    const seen = new Set(cursor.uris ?? []);
    const state = new PollState(now);
    const spent = (r: Reply) => state.spent(r.headers);

    let top = cursor.gap ? { at: cursor.gap.at, uris: cursor.gap.uris } : undefined;
    let apiCursor = cursor.gap?.cursor;
    let reached = false;
    const size = Math.min(Math.max(this.opts.pageSize ?? 50, 1), 100);
    const listNotifications = () =>
      call('app.bsky.notification.listNotifications', {
        limit: String(size),
        ...(apiCursor ? { cursor: apiCursor } : {}),
      });
    // A later page refused: keep what was read, resume from there after the wait.
    const refused = await readPages(this.opts.maxPages ?? 10, false, listNotifications, (r) => {
      const body = parseJson(r.text);
      const rows = Array.isArray(body.notifications) ? body.notifications : [];
      for (const n of rows) {
        const uri = str(n, 'uri');
        const at = isoInstant(str(n, 'indexedAt'));
        if (!uri || !at) continue;
        if (cursor.at && (at < cursor.at || (at === cursor.at && seen.has(uri)))) {
          reached = true;
          continue;
        }
        if (!top || at > top.at) top = { at, uris: [uri] };
        else if (at === top.at && !top.uris.includes(uri)) top.uris.push(uri);
        const item = toItem(n, at, session.did);
        state.take(item);
      }
      apiCursor = str(body, 'cursor');
      // A first poll takes the newest page only; a short page is the last one.
      if (!cursor.at || rows.length < size || !apiCursor) reached = true;
      const out = spent(r);
      return reached || out;
    });
    if (refused !== undefined) state.wait = refused;
    if (reached) {
      delete cursor.gap;
      if (top) Object.assign(cursor, top);
    } else if (apiCursor && top) cursor.gap = { cursor: apiCursor, at: top.at, uris: top.uris };

    await state.lookAtOwnPosts(req, (out, keepOnFailure) =>
      this.ownReplies(call, session.did, cursor, out, keepOnFailure, spent),
    );
    return state.result(cursor);
  }

  /**
   * Our own posts newer than `cursor.own` that reply in a thread: newest
   * first (TIDs sort by time), following `cursor` pages down to it while
   * pages come back full (at most OWN_PAGES: an account that posted more
   * between two looks has its oldest ones skipped); the first look takes the
   * newest page. Answers the wait of a refusal absorbed to keep the items read,
   * undefined once the look completed.
   */
  private async ownReplies(
    call: (nsid: string, q: Record<string, string>) => Promise<Reply>,
    did: string,
    cursor: Cursor,
    out: OutsideReply[],
    keepOnFailure: boolean,
    spent: (r: Reply) => boolean,
  ): Promise<number | undefined> {
    const size = 50;
    const since = cursor.own;
    let top = since;
    let page: string | undefined;
    const listRecords = () =>
      call('com.atproto.repo.listRecords', {
        repo: did,
        collection: 'app.bsky.feed.post',
        limit: String(size),
        ...(page ? { cursor: page } : {}),
      });
    // The items already read are not lost for a refusal: our own posts wait for the next look.
    const refused = await readPages(OWN_PAGES, keepOnFailure, listRecords, (r) => {
      const body = parseJson(r.text);
      const records = Array.isArray(body.records) ? body.records : [];
      let reached = !since || records.length < size;
      for (const rec of records) {
        const uri = str(rec, 'uri');
        const rkey = uri?.split('/').pop();
        if (!uri || !rkey) continue;
        if (since && rkey <= since) {
          reached = true;
          continue;
        }
        if (!top || rkey > top) top = rkey;
        const value = (rec as { value?: unknown }).value;
        const parent = ref((value as { reply?: { parent?: unknown } } | undefined)?.reply?.parent);
        const at = isoInstant(str(value, 'createdAt'));
        if (parent && at)
          out.push({
            inReplyToExternalId: parent.externalId,
            externalId: uri,
            at,
            url: `https://bsky.app/profile/${did}/post/${rkey}`,
          });
      }
      page = str(body, 'cursor');
      return spent(r) || reached || !page;
    });
    // A first look that found none of our posts: every one from now on is new ('0' sorts below every id).
    if (refused === undefined) cursor.own = top ?? '0';
    return refused;
  }
}

/** A strong ref of a record as a ThreadRef, or undefined. */
function ref(o: unknown): ThreadRef | undefined {
  const uri = str(o, 'uri');
  const cid = str(o, 'cid', 200);
  return uri?.startsWith('at://') ? { externalId: uri, ...(cid ? { cid } : {}) } : undefined;
}

/** The inbound item of a notification; undefined for other reasons, our own posts and malformed ones. */
function toItem(n: unknown, receivedAt: string, me: Session['did']): InboundItem | undefined {
  const kind = KINDS.get(str(n, 'reason', 20) as 'mention');
  const uri = str(n, 'uri');
  const author = (n as { author?: unknown }).author;
  const handle = str(author, 'handle', 300);
  const record = (n as { record?: unknown }).record;
  const text = str(record, 'text', 100_000);
  if (!kind || !uri?.startsWith('at://') || !handle || text === undefined || str(author, 'did') === me)
    return undefined;
  const cid = str(n, 'cid', 200);
  const displayName = str(author, 'displayName', 640);
  const reply = (record as { reply?: { root?: unknown; parent?: unknown } }).reply;
  const parent = ref(reply?.parent);
  const root = ref(reply?.root);
  const langs = (record as { langs?: unknown }).langs;
  const language = Array.isArray(langs) && typeof langs[0] === 'string' && langs[0].length <= 35 ? langs[0] : undefined;
  return {
    externalId: uri,
    ...(cid ? { cid } : {}),
    url: `https://bsky.app/profile/${handle}/post/${uri.split('/').pop()}`,
    kind,
    author: { handle, ...(displayName ? { displayName: cleanText(displayName) } : {}) },
    text: cleanText(text),
    receivedAt,
    ...(parent ? { inReplyTo: parent } : {}),
    ...(root ? { root } : {}),
    ...(language ? { language } : {}),
  };
}
