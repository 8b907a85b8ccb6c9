import { ChannelError, type Channel, type ChannelConfig, type PublishRequest, type PublishResult } from '@drumbeat/core';
import { detectFacets } from './bluesky-facets.js';
import { channelFetch, deadline, type ChannelDeps } from './channel-deps.js';
import { channelError, failureForResponse, failureForThrown, type CallFailure } from './http-outcome.js';
import { refuseMedia } from './media-support.js';
import type { FetchLike } from './safe-fetch.js';
import { tidForPost } from './tid.js';

type BlueskyConfig = Extract<ChannelConfig, { type: 'bluesky' }>;
const COLLECTION = 'app.bsky.feed.post';

interface Reply {
  status: number;
  headers: Headers;
  text: string;
}

/**
 * Publishes a Bluesky post: `com.atproto.server.createSession` with the app
 * password, then `com.atproto.repo.createRecord` with links and hashtags as
 * facets. The record key is a TID derived from the post id, so a retry meets
 * its own record: when createRecord fails (the reference PDS answers a taken
 * rkey with a 500, newer ones with an error), the record at that rkey is read
 * back and, if it holds the same text, that is the success. All calls of one
 * publish share the channel's timeout. Media is refused (see channelSupportsMedia).
 */
export class BlueskyChannel implements Channel {
  constructor(
    private readonly config: BlueskyConfig,
    private readonly deps: ChannelDeps,
  ) {}

  /** Logs in, creates the record (or finds it already there) and returns its at:// URI and bsky.app URL. */
  async publish(req: PublishRequest): Promise<PublishResult> {
    refuseMedia('bluesky', req.media);
    const fetch = channelFetch(this.deps);
    const time = deadline(this.deps.timeoutMs);
    const base = `${this.config.service.replace(/\/+$/, '')}/xrpc`;

    // Logging in publishes nothing: whatever goes wrong here, the outcome is known.
    const session = await call(fetch, `${base}/com.atproto.server.createSession`, time.init(), {
      identifier: this.config.identifier,
      password: this.config.appPassword,
    }).catch((f: CallFailure) => {
      throw channelError('bluesky createSession', { ...f, outcomeUnknown: false });
    });
    const { accessJwt, did } = parseJson(session.text) as { accessJwt?: unknown; did?: unknown };
    if (typeof accessJwt !== 'string' || typeof did !== 'string') throw new ChannelError('bluesky createSession: no accessJwt or did in the response', false);

    const rkey = tidForPost(req.postId);
    const facets = detectFacets(req.text);
    const record = { $type: COLLECTION, text: req.text, createdAt: new Date().toISOString(), ...(facets.length ? { facets } : {}) };
    const result = (uri: string | undefined) => ({ externalId: uri ?? `at://${did}/${COLLECTION}/${rkey}`, url: `https://bsky.app/profile/${did}/post/${rkey}` });

    let created: Reply;
    try {
      created = await call(fetch, `${base}/com.atproto.repo.createRecord`, time.init(), { repo: did, collection: COLLECTION, rkey, record }, accessJwt);
    } catch (thrown) {
      const f = thrown as CallFailure;
      const mayBeTaken = f.status === 400 || f.status === 409 || (f.status !== undefined && f.status >= 500);
      if (mayBeTaken) {
        const existing = await this.existingText(fetch, base, did, rkey, time.init()).catch(() => undefined);
        // The rkey is this post's own: whatever it holds is this post, live (an
        // earlier attempt whose answer was lost), with the text that went out.
        if (existing !== undefined) return { ...result(`at://${did}/${COLLECTION}/${rkey}`), ...(existing === req.text ? {} : { liveText: existing }) };
      }
      throw channelError('bluesky createRecord', f);
    }
    const { uri } = parseJson(created.text) as { uri?: unknown };
    return result(typeof uri === 'string' ? uri : undefined);
  }

  /** The text of the post at `rkey`, or undefined when there is none. */
  private async existingText(fetch: FetchLike, base: string, did: string, rkey: string, init: { timeoutMs: number; signal: AbortSignal }) {
    const q = new URLSearchParams({ repo: did, collection: COLLECTION, rkey });
    const res = await fetch(`${base}/com.atproto.repo.getRecord?${q}`, { ...init, headers: { accept: 'application/json' } });
    if (res.status !== 200) return undefined;
    const { value } = parseJson(await res.text()) as { value?: { text?: unknown } };
    return typeof value?.text === 'string' ? value.text : undefined;
  }
}

function parseJson(text: string): Record<string, unknown> {
  try {
    const v: unknown = JSON.parse(text);
    return v && typeof v === 'object' ? (v as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}

/** One XRPC procedure call; rejects with a CallFailure unless the answer is a 2xx. */
async function call(fetch: FetchLike, url: string, init: { timeoutMs: number; signal: AbortSignal }, body: unknown, token?: string): Promise<Reply> {
  let reply: Reply;
  try {
    const res = await fetch(url, {
      ...init,
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
      body: JSON.stringify(body),
    });
    reply = { status: res.status, headers: res.headers, text: await res.text() };
  } catch (err) {
    throw failureForThrown(err);
  }
  const failure = failureForResponse(reply.status, reply.headers, reply.text);
  if (failure) throw failure;
  return reply;
}
