/**
 * The notifications half of a Bluesky AppView, in memory: the real network
 * serves `app.bsky.notification.listNotifications` from the AppView
 * (`@atproto/bsky`, which `@atproto/dev-env` runs only on Postgres), so the
 * tests use this stand-in speaking the lexicon's wire format instead:
 * `limit` (1-100, default 50), `cursor`, `reasons[]`; the answer
 * `{notifications: [{uri, cid, author: {did, handle, displayName}, reason,
 * reasonSubject?, record, isRead, indexedAt, labels}], cursor, seenAt?}`,
 * newest first, the cursor `<indexedAt ms>::<cid>` of the page's last row
 * (present whenever the page is not empty, as the AppView does). Rate-limit
 * headers as atproto services send them (`ratelimit-limit/remaining/reset`,
 * reset in epoch seconds); over the budget a 429 `RateLimitExceeded`.
 * Mounted by the PDS stand-in (test/support/bluesky-stand-in.ts), as the
 * real PDS proxies `app.bsky.*` to its AppView.
 */
import type { ServerResponse } from 'node:http';
import { json } from './http-recorder.js';

export interface StandInNotification {
  uri: string;
  cid: string;
  author: { did: string; handle: string; displayName?: string; labels: unknown[]; viewer: Record<string, unknown> };
  reason: 'like' | 'repost' | 'follow' | 'mention' | 'reply' | 'quote';
  reasonSubject?: string;
  record: Record<string, unknown>;
  isRead: boolean;
  indexedAt: string;
  labels: unknown[];
}

export interface StrongRef {
  uri: string;
  cid: string;
}

const S32 = '234567abcdefghijklmnopqrstuvwxyz';

export function appviewNotifications(opts: { rateLimit?: number } = {}) {
  const notifications: StandInNotification[] = [];
  const limit = opts.rateLimit ?? 3000;
  let remaining = limit;
  let clock = 0;
  let failWith: number | undefined;

  /** A TID from the time now (µs), strictly increasing. */
  const tid = () => {
    let v = BigInt(Math.max(Date.now() * 1000, clock + 1));
    clock = Number(v);
    v = (v << 10n) | 7n;
    let out = '';
    for (let i = 0; i < 13; i++) {
      out = S32[Number(v & 31n)] + out;
      v >>= 5n;
    }
    return out;
  };
  const key = (n: StandInNotification) => `${Date.parse(n.indexedAt)}::${n.cid}`;
  const sorted = () =>
    [...notifications].sort((a, b) => Date.parse(b.indexedAt) - Date.parse(a.indexedAt) || (a.cid < b.cid ? 1 : -1));

  return {
    notifications,
    tid,
    /** Resets the rate budget to `n` requests; `fail(503)` makes every call fail until `fail(undefined)`. */
    budget(n: number) {
      remaining = n;
    },
    fail(status: number | undefined) {
      failWith = status;
    },
    /**
     * Someone writes a post that notifies the account: `reason` mention,
     * reply (with `reply` refs) or quote (with the quoted post as
     * reasonSubject); also like/follow, which a listener leaves aside.
     */
    notify(
      from: { did: string; handle: string; displayName?: string },
      reason: StandInNotification['reason'],
      text: string,
      extra: {
        reply?: { root: StrongRef; parent: StrongRef };
        subject?: string;
        langs?: string[];
        indexedAt?: string;
        record?: StrongRef;
      } = {},
    ): StandInNotification {
      const rkey = tid();
      const n: StandInNotification = {
        // `record`: the notification of a post that exists elsewhere (on a real PDS).
        uri: extra.record?.uri ?? `at://${from.did}/app.bsky.feed.post/${rkey}`,
        cid: extra.record?.cid ?? `bafyrei${rkey}`,
        author: {
          did: from.did,
          handle: from.handle,
          ...(from.displayName ? { displayName: from.displayName } : {}),
          labels: [],
          viewer: { muted: false, blockedBy: false },
        },
        reason,
        ...(extra.subject ? { reasonSubject: extra.subject } : {}),
        record: {
          $type: 'app.bsky.feed.post',
          text,
          createdAt: new Date().toISOString(),
          ...(extra.reply ? { reply: extra.reply } : {}),
          ...(extra.langs ? { langs: extra.langs } : {}),
          ...(reason === 'quote' && extra.subject
            ? { embed: { $type: 'app.bsky.embed.record', record: { uri: extra.subject, cid: 'bafyquoted' } } }
            : {}),
        },
        isRead: false,
        indexedAt: extra.indexedAt ?? new Date().toISOString(),
        labels: [],
      };
      notifications.push(n);
      return n;
    },
    /** The XRPC query, after the caller checked the session. */
    listNotifications(q: URLSearchParams, res: ServerResponse): void {
      const reset = String(Math.floor(Date.now() / 1000) + 300);
      if (failWith) {
        json(res, failWith, { error: 'InternalServerError', message: 'Internal Server Error' });
        return;
      }
      remaining--;
      const headers = {
        'ratelimit-limit': String(limit),
        'ratelimit-remaining': String(Math.max(0, remaining)),
        'ratelimit-reset': reset,
        'ratelimit-policy': `${limit};w=300`,
      };
      if (remaining < 0) {
        json(res, 429, { error: 'RateLimitExceeded', message: 'Rate Limit Exceeded' }, headers);
        return;
      }
      const n = q.has('limit') ? Number(q.get('limit')) : 50;
      if (!Number.isInteger(n) || n < 1 || n > 100) {
        json(res, 400, { error: 'InvalidRequest', message: 'Error: limit must be between 1 and 100' }, headers);
        return;
      }
      const reasons = q.getAll('reasons');
      const cursor = q.get('cursor');
      let rows = sorted().filter((x) => !reasons.length || reasons.includes(x.reason));
      if (cursor) {
        const [ms, cid] = cursor.split('::');
        rows = rows.filter(
          (x) => Date.parse(x.indexedAt) < Number(ms) || (Date.parse(x.indexedAt) === Number(ms) && x.cid < cid!),
        );
      }
      rows = rows.slice(0, n);
      json(
        res,
        200,
        { notifications: rows, ...(rows.length ? { cursor: key(rows.at(-1)!) } : {}), priority: false },
        headers,
      );
    },
  };
}
