import { createMiddleware } from 'hono/factory';
import { DomainError, InProgress, Invalid } from '@drumbeat/core/errors';
import { sha256Hex } from '@drumbeat/services/secret-hash';
import type { AppEnv } from '../env.js';
import { bearer } from './auth.js';
import { open, seal } from './sealed-response.js';

/**
 * Honours `Idempotency-Key` on POST: the first request runs and its response
 * (below 500) is stored for 24 h; a repeat with the same key and body replays
 * it with `Idempotent-Replayed: true`; the same key with another body is a 422;
 * a repeat while the first is still running is a 409 of its own type
 * (`in-progress`) with Retry-After. Bodies are compared as parsed JSON (the
 * same object with its keys in another order is the same request). Scoped per workspace;
 * the stored body is sealed with the caller's credential (sealed-response.ts),
 * so another key of the workspace cannot replay it (422) and the table never
 * holds a secret shown once in the clear.
 */
/** How long a client is asked to wait before repeating a request that is still in progress. */
export const IN_PROGRESS_RETRY_SECONDS = 1;

/**
 * The largest response body kept for replay (256 KiB; sealed, it stays under
 * DynamoDB's 400 KB item limit). A larger one (a synchronous import of
 * hundreds of posts) is kept as its size and SHA-256 only: a repeat is not
 * run again and gets a 409 `response-not-kept` naming the original status,
 * size and digest, to read the result with GET instead.
 */
export const MAX_STORED_RESPONSE_BYTES = 256 * 1024;

/** The repeat of a request whose response was too large to keep: it is not run again. */
class ResponseNotKept extends DomainError {
  readonly code = 'response-not-kept';
  readonly status = 409;
}

/** A pending claim's lease; the running request renews it every half lease, so only a dead request's claim lapses. */
export const IDEMPOTENCY_LEASE_MS = 20_000;

/** A body as compared across retries: JSON in a canonical form (keys sorted at every level), anything else as sent. */
function comparable(contentType: string | undefined, text: string): string {
  if (!/^application\/(.+\+)?json\b/i.test(contentType ?? '')) return text;
  try {
    return `json:${canonicalJson(JSON.parse(text))}`;
  } catch {
    return text;
  }
}

function canonicalJson(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(canonicalJson).join(',')}]`;
  if (v && typeof v === 'object') {
    const entries = Object.keys(v)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canonicalJson((v as Record<string, unknown>)[k])}`);
    return `{${entries.join(',')}}`;
  }
  return JSON.stringify(v);
}

export const idempotency = createMiddleware<AppEnv>(async (c, next) => {
  const key = c.req.header('Idempotency-Key');
  if (c.req.method !== 'POST' || key === undefined) return next();
  if (!/^[\x21-\x7e]{1,255}$/.test(key)) {
    throw new Invalid('Idempotency-Key must be 1-255 visible ASCII characters', [
      { path: 'Idempotency-Key', message: 'invalid header' },
    ]);
  }
  const credential = bearer(c.req.header('Authorization'));
  const scope = c.get('principal')?.workspaceId ?? 'admin';
  const repo = c.var.services.deps.store.idempotency;
  const fingerprint = sha256Hex(
    `${c.req.method} ${c.req.path}\n${comparable(c.req.header('Content-Type'), await c.req.text())}`,
  );
  const clock = c.var.services.deps.clock;
  const begun = await repo.begin(scope, key, fingerprint, clock.now(), undefined, IDEMPOTENCY_LEASE_MS);
  if (begun.kind === 'mismatch') {
    throw new Invalid(
      'this Idempotency-Key was used for a different request',
      [{ path: 'Idempotency-Key', message: 'reused with another body' }],
      422,
    );
  }
  if (begun.kind === 'in-progress')
    throw new InProgress(
      'a request with this Idempotency-Key is still in progress; retry after the Retry-After delay',
      IN_PROGRESS_RETRY_SECONDS,
    );
  if (begun.kind === 'replay') {
    const r = begun.response;
    if (r.omitted) {
      throw new ResponseNotKept(
        `this request already succeeded (${r.status}); its response (${r.omitted.bytes} bytes, sha256 ${r.omitted.sha256}) was too large to keep for replay: read the result with GET`,
        [{ path: 'Idempotency-Key', message: 'response not kept' }],
      );
    }
    const body = await open(credential, key, r.body);
    if (body === undefined) {
      throw new Invalid(
        'this Idempotency-Key was used by another API key',
        [{ path: 'Idempotency-Key', message: 'used by another key' }],
        422,
      );
    }
    return c.body(body, r.status as 200, { 'Content-Type': r.contentType, 'Idempotent-Replayed': 'true' });
  }
  // Keep the lease while the request runs: if the process dies, renewals stop and a repeat may proceed after the lease.
  const renewal = setInterval(
    () => void repo.renew(scope, key, clock.now(), IDEMPOTENCY_LEASE_MS).catch(() => undefined),
    IDEMPOTENCY_LEASE_MS / 2,
  );
  try {
    await next();
  } finally {
    clearInterval(renewal);
  }
  if (c.res.status >= 500) {
    await repo.abandon(scope, key);
    return;
  }
  const text = await c.res.clone().text();
  const contentType = c.res.headers.get('Content-Type') ?? 'application/json';
  const bytes = Buffer.byteLength(text);
  if (bytes > MAX_STORED_RESPONSE_BYTES) {
    await repo.complete(scope, key, {
      status: c.res.status,
      contentType,
      body: '',
      omitted: { bytes, sha256: sha256Hex(text) },
    });
    return;
  }
  await repo.complete(scope, key, { status: c.res.status, contentType, body: await seal(credential, key, text) });
});
