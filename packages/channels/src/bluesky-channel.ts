import {
  ChannelError,
  type Channel,
  type ChannelConfig,
  type PublishRequest,
  type PublishResult,
} from '@drumbeat/core';
import { detectFacets, detectMentions, type Facet } from './bluesky-facets.js';
import { BlueskySessions, isAuthFailure, type Session } from './bluesky-session.js';
import { replyRef } from './bluesky-reply.js';
import { parseJson, xrpc, type Reply, type XrpcContext, type XrpcFailure } from './bluesky-xrpc.js';
import { channelFetch, deadline, type ChannelDeps } from './channel-deps.js';
import { channelError } from './http-outcome.js';
import { refuseMedia } from './media-support.js';
import { tidForPost } from './tid.js';

type BlueskyConfig = Extract<ChannelConfig, { type: 'bluesky' }>;
const COLLECTION = 'app.bsky.feed.post';

/**
 * Publishes a Bluesky post with `com.atproto.repo.createRecord`, under the
 * account's kept session (see BlueskySessions: refreshed, not a login per
 * post), with links, hashtags and resolved @mentions as facets and the
 * account's language as `langs`. The record key is a TID derived from the
 * post id, so a retry meets its own record: when createRecord fails (the
 * reference PDS answers a taken rkey with a 500, newer ones with an error),
 * the record at that rkey is read back and, if there is one, the post is live:
 * that is the success, with the live text when it differs from the text sent.
 * An answer (`replyTo`) carries `reply: {root, parent}` as strong refs (URI
 * and CID; a missing CID is read from the network first). All calls of one
 * publish share the channel's timeout. Media is refused (see
 * channelSupportsMedia).
 */
export class BlueskyChannel implements Channel {
  constructor(
    private readonly config: BlueskyConfig,
    private readonly deps: ChannelDeps,
  ) {}

  /** Creates the record (or finds it already there) and returns its at:// URI and bsky.app URL. */
  async publish(req: PublishRequest): Promise<PublishResult> {
    refuseMedia('bluesky', req.media);
    const time = deadline(this.deps.timeoutMs);
    const cx: XrpcContext = {
      fetch: channelFetch(this.deps),
      base: `${this.config.service.replace(/\/+$/, '')}/xrpc`,
      init: () => time.init(),
    };
    const sessions = new BlueskySessions(this.config, cx, req.session);
    let session = await sessions.current();

    const rkey = tidForPost(req.postId);
    // Resolved before anything is written: a reply whose thread cannot be named is refused, never posted loose.
    const reply = req.replyTo ? await replyRef(cx, req.replyTo) : undefined;
    const facets = [...detectFacets(req.text), ...(await resolveMentions(cx, req.text))].sort(
      (a, b) => a.index.byteStart - b.index.byteStart,
    );
    const record = {
      $type: COLLECTION,
      text: req.text,
      createdAt: new Date().toISOString(),
      ...(facets.length ? { facets } : {}),
      ...(req.language ? { langs: [req.language] } : {}),
      ...(reply ? { reply } : {}),
    };
    const create = (s: Session) =>
      xrpc(cx, 'com.atproto.repo.createRecord', {
        body: { repo: s.did, collection: COLLECTION, rkey, record },
        token: s.accessJwt,
      });
    const result = (did: string, uri?: unknown) => ({
      externalId: typeof uri === 'string' ? uri : `at://${did}/${COLLECTION}/${rkey}`,
      url: `https://bsky.app/profile/${did}/post/${rkey}`,
    });

    let created: Reply;
    try {
      try {
        created = await create(session);
      } catch (thrown) {
        // A refused token was checked before anything was written: renew it and try once more.
        if (!isAuthFailure(thrown as XrpcFailure)) throw thrown;
        session = await sessions.renew(session);
        created = await create(session);
      }
    } catch (thrown) {
      if (thrown instanceof ChannelError) throw thrown; // from the session: nothing was published
      const f = thrown as XrpcFailure;
      const mayBeTaken = f.status === 400 || f.status === 409 || (f.status !== undefined && f.status >= 500);
      if (mayBeTaken) {
        const existing = await existingText(cx, session.did, rkey).catch(() => undefined);
        // The rkey is this post's own: whatever it holds is this post, live (an
        // earlier attempt whose answer was lost), with the text that went out.
        if (existing !== undefined)
          return { ...result(session.did), ...(existing === req.text ? {} : { liveText: existing }) };
      }
      throw channelError('bluesky createRecord', f);
    }
    return result(session.did, parseJson(created.text).uri);
  }
}

/** The text of the post at `rkey`, or undefined when there is none. */
async function existingText(cx: XrpcContext, did: string, rkey: string): Promise<string | undefined> {
  const reply = await xrpc(cx, 'com.atproto.repo.getRecord', { query: { repo: did, collection: COLLECTION, rkey } });
  const { value } = parseJson(reply.text) as { value?: { text?: unknown } };
  return typeof value?.text === 'string' ? value.text : undefined;
}

/**
 * Mention facets for the `@handle`s of `text` that resolve to a DID
 * (`com.atproto.identity.resolveHandle`); a handle that does not resolve stays
 * plain text, and a failed lookup never fails the publication.
 */
async function resolveMentions(cx: XrpcContext, text: string): Promise<Facet[]> {
  const found = detectMentions(text);
  const dids = new Map<string, string | undefined>();
  for (const handle of new Set(found.map((m) => m.handle))) {
    const reply = await xrpc(cx, 'com.atproto.identity.resolveHandle', { query: { handle } }).catch(() => undefined);
    const { did } = reply ? parseJson(reply.text) : {};
    dids.set(handle, typeof did === 'string' && did.startsWith('did:') ? did : undefined);
  }
  return found.flatMap((m) => {
    const did = dids.get(m.handle);
    return did ? [{ index: m.index, features: [{ $type: 'app.bsky.richtext.facet#mention' as const, did }] }] : [];
  });
}
