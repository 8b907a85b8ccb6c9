import { ChannelError } from '@drumbeat/core';
import { retryAfterMs } from './retry-after.js';
import { SafeFetchError } from './safe-fetch.js';

/** Why one HTTP call failed, in the terms the retry logic needs. */
export interface CallFailure {
  message: string;
  retryable: boolean;
  /** The request may have been processed: retry only with the same idempotency key. */
  outcomeUnknown: boolean;
  retryAfterMs?: number;
  status?: number;
}

/** A short, single-line excerpt of a response body for error messages. */
export function bodyExcerpt(body: string, max = 200): string {
  const flat = body.replace(/\s+/g, ' ').trim();
  return flat.length > max ? `${flat.slice(0, max)}…` : flat;
}

/**
 * The failure a non-2xx response stands for: 5xx, 429 and 408 are retryable
 * (honouring Retry-After); 3xx is final (redirects are not followed); any other
 * 4xx is final. Null for a 2xx.
 */
export function failureForResponse(status: number, headers: Headers, body: string): CallFailure | null {
  if (status >= 200 && status < 300) return null;
  const excerpt = bodyExcerpt(body);
  const said = excerpt ? `: ${excerpt}` : '';
  if (status >= 300 && status < 400) {
    const location = headers.get('location');
    return {
      status,
      retryable: false,
      outcomeUnknown: false,
      message: `HTTP ${status} redirect${location ? ` to ${bodyExcerpt(location, 120)}` : ''} not followed (redirects are refused)`,
    };
  }
  const retryable = status >= 500 || status === 429 || status === 408;
  const wait = status === 429 || status === 503 ? retryAfterMs(headers) : undefined;
  return {
    status,
    retryable,
    outcomeUnknown: false,
    message: `HTTP ${status}${said}`,
    ...(wait === undefined ? {} : { retryAfterMs: wait }),
  };
}

const BEFORE_SENDING = new Set([
  'ECONNREFUSED',
  'ENOTFOUND',
  'EAI_AGAIN',
  'ENETUNREACH',
  'EHOSTUNREACH',
  'ERR_INVALID_URL',
]);

/**
 * The failure a thrown fetch stands for: refused by the egress policy → final;
 * failed before the request was fully sent → retryable; timed out or cut after
 * it was sent → retryable with `outcomeUnknown`. Errors of another fetch whose
 * stage is unknown are treated as after sending (the safe assumption).
 */
export function failureForThrown(err: unknown): CallFailure {
  if (err instanceof SafeFetchError) {
    if (err.code === 'refused')
      return { message: `refused by the egress policy: ${err.message}`, retryable: false, outcomeUnknown: false };
    const what =
      err.code === 'timeout'
        ? `timed out ${err.sent ? 'after sending' : 'before sending'} (${err.message})`
        : err.message;
    return { message: what, retryable: true, outcomeUnknown: err.sent, ...(err.status ? { status: err.status } : {}) };
  }
  const e = err as { name?: string; message?: string; code?: string; cause?: { code?: string } };
  const code = e?.code ?? e?.cause?.code;
  if (code && BEFORE_SENDING.has(code))
    return { message: `${code}: ${e.message ?? ''}`, retryable: true, outcomeUnknown: false };
  const timeout = e?.name === 'TimeoutError' || e?.name === 'AbortError';
  return { message: timeout ? 'timed out' : String(e?.message ?? err), retryable: true, outcomeUnknown: true };
}

/** A core ChannelError from a failure, its message prefixed with what was being done. */
export function channelError(what: string, f: CallFailure): ChannelError {
  return new ChannelError(`${what}: ${f.message}`, f.retryable, f.outcomeUnknown, f.retryAfterMs);
}
