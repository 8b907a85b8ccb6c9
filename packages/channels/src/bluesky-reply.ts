import { ChannelError, type ReplyTarget, type ThreadRef } from '@drumbeat/core';
import { parseJson, xrpc, type XrpcContext, type XrpcFailure } from './bluesky-xrpc.js';
import { channelError } from './http-outcome.js';

/** A strong reference to a record (`com.atproto.repo.strongRef`): its at:// URI and CID. */
export interface StrongRef {
  uri: string;
  cid: string;
}

/** A post record's `reply` field (`app.bsky.feed.post#replyRef`). */
export interface ReplyRef {
  root: StrongRef;
  parent: StrongRef;
}

const AT_URI = /^at:\/\/([^/]+)\/([^/]+)\/([^/?#]+)$/;

/**
 * The `reply` field of an answer: the thread's root and the item answered, as
 * strong refs. A ref that comes without its CID is read from the network
 * (`com.atproto.repo.getRecord`), so the reply points at the exact version it answers.
 */
export async function replyRef(cx: XrpcContext, target: ReplyTarget): Promise<ReplyRef> {
  const parent = await strongRef(cx, target.parent);
  const root =
    target.root.externalId === target.parent.externalId
      ? { uri: parent.uri, cid: target.root.cid ?? parent.cid }
      : await strongRef(cx, target.root);
  return { root, parent };
}

async function strongRef(cx: XrpcContext, ref: ThreadRef): Promise<StrongRef> {
  const m = AT_URI.exec(ref.externalId);
  if (!m)
    throw new ChannelError(
      `bluesky reply: ${JSON.stringify(ref.externalId.slice(0, 200))} is not an at:// record URI`,
      false,
    );
  if (ref.cid) return { uri: ref.externalId, cid: ref.cid };
  const reply = await xrpc(cx, 'com.atproto.repo.getRecord', {
    query: { repo: m[1]!, collection: m[2]!, rkey: m[3]! },
  }).catch((f: XrpcFailure) => {
    throw channelError('bluesky reply: reading the post answered', {
      ...f,
      outcomeUnknown: false,
      retryable: f.retryable && f.status !== 400,
    });
  });
  const { cid } = parseJson(reply.text);
  if (typeof cid !== 'string') throw new ChannelError('bluesky reply: the post answered has no CID', false);
  return { uri: ref.externalId, cid };
}
