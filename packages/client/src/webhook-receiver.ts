import { Webhook } from 'standardwebhooks';
import type { DrumbeatEvent } from './types.js';

/** Request headers as Node (`req.headers`), fetch (`Headers`) or a plain object hold them. */
export type HeadersLike = Headers | Record<string, string | string[] | undefined>;

/** A webhook whose signature, timestamp or body did not check out: answer it with a 4xx and drop it. */
export class WebhookVerificationError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'WebhookVerificationError';
  }
}

function standardHeaders(headers: HeadersLike): Record<string, string> {
  const out: Record<string, string> = {};
  const get = (name: string) => {
    if (typeof (headers as Headers).get === 'function') return (headers as Headers).get(name) ?? undefined;
    const record = headers as Record<string, string | string[] | undefined>;
    const key = Object.keys(record).find((k) => k.toLowerCase() === name);
    const v = key === undefined ? undefined : record[key];
    return Array.isArray(v) ? v.join(', ') : v;
  };
  for (const name of ['webhook-id', 'webhook-timestamp', 'webhook-signature']) {
    const v = get(name);
    if (v !== undefined) out[name] = v;
  }
  return out;
}

/**
 * Verifies a drumbeat webhook (Standard Webhooks: HMAC signature over id,
 * timestamp and the raw body; timestamps older than 5 minutes refused) and
 * returns its event. Pass the body exactly as received, before any JSON parse.
 *
 * ```ts
 * const event = verifyWebhook(process.env.DRUMBEAT_WEBHOOK_SECRET!, rawBody, req.headers);
 * if (event.type === 'post.published') console.log(event.data.post);
 * ```
 */
export function verifyWebhook(secret: string, rawBody: string | Uint8Array, headers: HeadersLike): DrumbeatEvent {
  const body = typeof rawBody === 'string' ? rawBody : new TextDecoder().decode(rawBody);
  let event: unknown;
  try {
    event = new Webhook(secret).verify(body, standardHeaders(headers));
  } catch (err) {
    throw new WebhookVerificationError(err instanceof Error ? err.message : String(err));
  }
  const e = event as Partial<DrumbeatEvent> | null;
  if (
    !e ||
    typeof e.type !== 'string' ||
    typeof e.timestamp !== 'string' ||
    typeof e.data !== 'object' ||
    e.data === null
  ) {
    throw new WebhookVerificationError('the signed body is not a drumbeat event {type, timestamp, data}');
  }
  return e as DrumbeatEvent;
}

/**
 * A fetch-style handler (Hono, Bun, Deno, Next.js route handlers…): verifies
 * each request and hands its event to `onEvent`; 204 when handled, 401 when the
 * signature does not hold. The `webhook-id` header is stable across retries:
 * use it to drop duplicates.
 */
export function webhookHandler(
  secret: string,
  onEvent: (event: DrumbeatEvent, id: string) => unknown | Promise<unknown>,
) {
  return async (req: Request): Promise<Response> => {
    const body = await req.text();
    let event: DrumbeatEvent;
    try {
      event = verifyWebhook(secret, body, req.headers);
    } catch (err) {
      if (err instanceof WebhookVerificationError) return new Response(err.message, { status: 401 });
      throw err;
    }
    await onEvent(event, req.headers.get('webhook-id') ?? '');
    return new Response(null, { status: 204 });
  };
}
