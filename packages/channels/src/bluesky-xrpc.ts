import { failureForResponse, failureForThrown, type CallFailure } from './http-outcome.js';
import type { FetchLike } from './safe-fetch.js';

/** A 2xx answer of an XRPC call. */
export interface Reply {
  status: number;
  headers: Headers;
  text: string;
}

/** Why an XRPC call failed, with the XRPC error name when the server gave one (`ExpiredToken`, …). */
export type XrpcFailure = CallFailure & { error?: string };

/** What every call of one publish shares: the fetch and the time left. */
export interface XrpcContext {
  fetch: FetchLike;
  /** `https://pds.example/xrpc` */
  base: string;
  init(): { timeoutMs: number; signal: AbortSignal };
}

/** The JSON object of a body, or {} when it is not one. */
export function parseJson(text: string): Record<string, unknown> {
  try {
    const v: unknown = JSON.parse(text);
    return v && typeof v === 'object' ? (v as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}

/** One XRPC call (a procedure, POST, when `body` is given or `procedure` set; else a query, GET); rejects with an XrpcFailure unless the answer is a 2xx. */
export async function xrpc(
  cx: XrpcContext,
  nsid: string,
  opts: { body?: unknown; procedure?: boolean; token?: string; query?: Record<string, string> } = {},
): Promise<Reply> {
  let reply: Reply;
  try {
    const url = `${cx.base}/${nsid}${opts.query ? `?${new URLSearchParams(opts.query)}` : ''}`;
    const res = await cx.fetch(url, {
      ...cx.init(),
      method: opts.body === undefined && !opts.procedure ? 'GET' : 'POST',
      headers: {
        accept: 'application/json',
        ...(opts.body === undefined ? {} : { 'content-type': 'application/json' }),
        ...(opts.token ? { authorization: `Bearer ${opts.token}` } : {}),
      },
      ...(opts.body === undefined ? {} : { body: JSON.stringify(opts.body) }),
    });
    reply = { status: res.status, headers: res.headers, text: await res.text() };
  } catch (err) {
    throw failureForThrown(err);
  }
  const failure = failureForResponse(reply.status, reply.headers, reply.text);
  if (failure) {
    const { error } = parseJson(reply.text);
    throw { ...failure, ...(typeof error === 'string' ? { error } : {}) } satisfies XrpcFailure;
  }
  return reply;
}
