import { createHmac } from 'node:crypto';
import { newSigningSecret, WEBHOOK_RETRY_SCHEDULE_MS } from '@drumbeat/core';
import { failureForResponse, failureForThrown } from './http-outcome.js';
import { createSafeFetch, SafeFetchError, type FetchLike } from './safe-fetch.js';

/** Delays between delivery attempts Standard Webhooks recommends (defined once, in core). */
export { WEBHOOK_RETRY_SCHEDULE_MS };

/** Largest receiver response body kept (and read): 64 KiB. */
const MAX_BODY = 64 * 1024;

/** A new Standard Webhooks signing secret: `whsec_` + base64 of 24 random bytes (core's generator, one for the whole app). */
export const newWebhookSecret = newSigningSecret;

/** An event as receivers get it. */
export interface WebhookEvent {
  type: string;
  timestamp: string;
  data: unknown;
}

/** What sendSignedWebhook needs. Without `fetch`, it uses a safe fetch with `allowPrivate` (default false). */
export interface SendSignedWebhookInput {
  url: string;
  /** `whsec_` + base64 key. */
  secret: string;
  /** The `webhook-id`: the same for every attempt of one message, so receivers can drop duplicates. */
  msgId: string;
  event: WebhookEvent;
  timeoutMs: number;
  fetch?: FetchLike;
  allowPrivate?: boolean;
}

/** The outcome of one delivery attempt. `retryable` says whether another attempt could succeed. */
export interface WebhookSendResult {
  ok: boolean;
  status?: number;
  retryAfterMs?: number;
  error?: string;
  retryable: boolean;
  /** The receiver may have processed it (timeout or cut after sending). */
  outcomeUnknown: boolean;
  durationMs: number;
  /** The receiver's response body (up to 64 KiB). */
  body?: string;
}

const SECRET_PREFIX = 'whsec_';
/** Padded base64 of at least one byte. */
const BASE64_KEY = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{4}|[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)$/;

/**
 * The HMAC key of a signing secret: the base64 after `whsec_` (the prefix is
 * optional, as for the standardwebhooks library). Anything else is refused,
 * a superset of what that library refuses.
 */
function signingKey(secret: string): Buffer {
  const encoded = secret.startsWith(SECRET_PREFIX) ? secret.slice(SECRET_PREFIX.length) : secret;
  if (encoded === '') throw new Error('the signing secret is empty');
  if (!BASE64_KEY.test(encoded)) throw new Error('the signing secret is not whsec_ followed by padded base64');
  return Buffer.from(encoded, 'base64');
}

/** The Standard Webhooks signature: `v1,` + base64 HMAC-SHA256 of `<id>.<unix seconds>.<body>` (UTF-8). */
export function webhookSignature(secret: string, msgId: string, seconds: number, body: string): string {
  return `v1,${createHmac('sha256', signingKey(secret)).update(`${msgId}.${seconds}.${body}`).digest('base64')}`;
}

/** The Standard Webhooks headers for one attempt: `webhook-id`, `webhook-timestamp`, `webhook-signature`. */
export function webhookHeaders(secret: string, msgId: string, at: Date, body: string): Record<string, string> {
  const seconds = Math.floor(at.getTime() / 1000);
  if (!Number.isFinite(seconds)) throw new Error('the signing time is not a valid date');
  return {
    'webhook-id': msgId,
    'webhook-timestamp': String(seconds),
    'webhook-signature': webhookSignature(secret, msgId, seconds, body),
  };
}

/**
 * POSTs `event` as JSON to `url`, signed per Standard Webhooks with a fresh
 * timestamp, within `timeoutMs`. Never throws and never follows a redirect (a
 * 3xx is a failure); 2xx is `ok`.
 */
export async function sendSignedWebhook(input: SendSignedWebhookInput): Promise<WebhookSendResult> {
  const started = performance.now();
  const elapsed = () => Math.round(performance.now() - started);
  const body = JSON.stringify(input.event);
  let headers: Record<string, string>;
  try {
    headers = webhookHeaders(input.secret, input.msgId, new Date(), body);
  } catch (err) {
    return {
      ok: false,
      error: `cannot sign: ${(err as Error).message}`,
      retryable: false,
      outcomeUnknown: false,
      durationMs: elapsed(),
    };
  }
  const fetch =
    input.fetch ?? createSafeFetch({ allowPrivate: input.allowPrivate ?? false, maxResponseBytes: MAX_BODY });
  try {
    const res = await fetch(input.url, {
      method: 'POST',
      headers: { ...headers, 'content-type': 'application/json' },
      body,
      timeoutMs: input.timeoutMs,
      signal: AbortSignal.timeout(input.timeoutMs),
    });
    const text = (await res.text()).slice(0, MAX_BODY);
    const failure = failureForResponse(res.status, res.headers, text);
    if (!failure)
      return {
        ok: true,
        status: res.status,
        retryable: false,
        outcomeUnknown: false,
        durationMs: elapsed(),
        body: text,
      };
    return {
      ok: false,
      status: res.status,
      error: failure.message,
      retryable: failure.retryable,
      outcomeUnknown: false,
      durationMs: elapsed(),
      body: text,
      ...(failure.retryAfterMs === undefined ? {} : { retryAfterMs: failure.retryAfterMs }),
    };
  } catch (err) {
    // Accepted, but answered with more than we read: the delivery still succeeded.
    if (
      err instanceof SafeFetchError &&
      err.code === 'too_large' &&
      err.status &&
      err.status >= 200 &&
      err.status < 300
    ) {
      return { ok: true, status: err.status, retryable: false, outcomeUnknown: false, durationMs: elapsed() };
    }
    const failure = failureForThrown(err);
    return {
      ok: false,
      error: failure.message,
      retryable: failure.retryable,
      outcomeUnknown: failure.outcomeUnknown,
      durationMs: elapsed(),
      ...(failure.status === undefined ? {} : { status: failure.status }),
    };
  }
}
