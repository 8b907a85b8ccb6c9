import { ChannelError } from '@drumbeat/core';
import { channelError, failureForResponse, failureForThrown } from './http-outcome.js';
import { retryAfterMs } from './retry-after.js';
import type { FetchLike } from './safe-fetch.js';

/** One 2xx answer of a source's GET, parsed. */
export interface SourceReply {
  body: unknown;
  headers: Headers;
}

/**
 * A GET for a source (a read: nothing on the network changes, so every
 * failure has a known outcome). 401/403 and other 4xx are final, 5xx, 408,
 * 429 and network failures retryable (429/503 with the wait the server asked
 * for). Throws ChannelError prefixed with `what`.
 */
export async function sourceGet(
  fetch: FetchLike,
  url: string,
  init: { timeoutMs: number; signal: AbortSignal; token?: string },
  what: string,
): Promise<SourceReply> {
  let status: number;
  let headers: Headers;
  let text: string;
  try {
    const res = await fetch(url, {
      method: 'GET',
      headers: { accept: 'application/json', ...(init.token ? { authorization: `Bearer ${init.token}` } : {}) },
      timeoutMs: init.timeoutMs,
      signal: init.signal,
    });
    ({ status, headers } = res);
    text = await res.text();
  } catch (err) {
    throw channelError(what, { ...failureForThrown(err), outcomeUnknown: false });
  }
  const failure = failureForResponse(status, headers, text);
  if (failure) throw channelError(what, failure);
  try {
    return { body: JSON.parse(text) as unknown, headers };
  } catch {
    throw new ChannelError(`${what}: the answer is not JSON`, true);
  }
}

/**
 * How long to hold off after an answer whose rate-limit budget is spent
 * (`X-RateLimit-Remaining` at or under `reserve`): until `X-RateLimit-Reset`.
 * Undefined while budget remains.
 */
export function budgetSpent(headers: Headers, nowMs: number, reserve = 1): number | undefined {
  const remaining = headers.get('x-ratelimit-remaining') ?? headers.get('ratelimit-remaining');
  if (remaining === null || !/^\d+$/.test(remaining.trim()) || Number(remaining) > reserve) return undefined;
  const h = new Headers(headers);
  h.delete('retry-after');
  return retryAfterMs(h, nowMs) ?? 60_000;
}

/** The URL of the `rel="next"` link of a Link header (RFC 8288), when it is on `origin` (a token is never sent elsewhere). */
export function nextLink(link: string | null, origin: string): string | undefined {
  if (!link) return undefined;
  for (const part of link.split(/,(?=\s*<)/)) {
    const m = /^\s*<([^>]*)>\s*;(.*)$/.exec(part);
    const rels = m?.[2]
      ?.split(';')
      .map((p) => /^\s*rel\s*=\s*"?([^"]*)"?\s*$/i.exec(p)?.[1])
      .find((r) => r !== undefined);
    if (!m || !rels?.toLowerCase().split(/\s+/).includes('next')) continue;
    try {
      const url = new URL(m[1]!, origin);
      return url.origin === new URL(origin).origin ? url.toString() : undefined;
    } catch {
      return undefined;
    }
  }
  return undefined;
}

/** A cursor kept as JSON text: the object, or {} when it is absent or not one of ours. */
export function readCursor<T extends object>(cursor: string | undefined): Partial<T> {
  if (!cursor) return {};
  try {
    const v = JSON.parse(cursor) as unknown;
    return v && typeof v === 'object' && !Array.isArray(v) ? (v as Partial<T>) : {};
  } catch {
    return {};
  }
}

/** A string field of a JSON object, or undefined. */
export function str(o: unknown, key: string, max = 2_000): string | undefined {
  const v = o && typeof o === 'object' ? (o as Record<string, unknown>)[key] : undefined;
  if (typeof v === 'number' && Number.isFinite(v)) return String(v);
  return typeof v === 'string' && v.length <= max ? v : undefined;
}

/** An instant as UTC ISO 8601, or undefined when `s` is not one. */
export function isoInstant(s: string | undefined): string | undefined {
  if (!s) return undefined;
  const t = Date.parse(s);
  return Number.isNaN(t) ? undefined : new Date(t).toISOString();
}
