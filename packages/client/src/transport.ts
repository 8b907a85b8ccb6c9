import { DrumbeatError, problemOf } from './errors.js';
import type { Method } from './operations.js';
import { retryableStatus, retryAfterMs, retryDefaults, retryDelay, type RetryOptions } from './retry-policy.js';

/** How a client reaches drumbeat. */
export interface ClientOptions {
  /** The server's base URL, e.g. http://127.0.0.1:8787. */
  baseUrl: string;
  /** An API key (`dbk.…`), sent as `Authorization: Bearer`. */
  apiKey?: string;
  retry?: RetryOptions;
  /** A fetch implementation (default: the global one). */
  fetch?: typeof fetch;
  /** Waits between retries (default: a timer); tests and schedulers may replace it. */
  sleep?: (ms: number) => Promise<void>;
}

/** One call: path parameters, query, body and how to read the answer. */
export interface CallOptions {
  params?: Record<string, string>;
  query?: Record<string, string | number | boolean | undefined> | object;
  /** A JSON value, or a string sent as is with `contentType`. */
  body?: unknown;
  contentType?: string;
  /** `json` (default) parses the body; `text` returns it as a string. */
  as?: 'json' | 'text';
  /** Another bearer token for this call (the admin token for workspaces). */
  token?: string;
  /** The Idempotency-Key of a POST; a fresh UUID when absent, the same on every retry of the call. */
  idempotencyKey?: string;
  /** More request headers (e.g. `Prefer: respond-async`). */
  headers?: Record<string, string>;
  signal?: AbortSignal;
}

const defaultSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Builds a URL from a path template and its parameters, each encoded. */
export function buildUrl(
  baseUrl: string,
  template: string,
  params: Record<string, string> = {},
  query: object = {},
): string {
  const path = template.replace(/\{(\w+)\}/g, (_, name: string) => {
    const v = params[name];
    if (v === undefined || v === '') throw new TypeError(`missing path parameter ${name} for ${template}`);
    return encodeURIComponent(v);
  });
  const search = new URLSearchParams();
  for (const [k, v] of Object.entries(query)) if (v !== undefined && v !== null) search.set(k, String(v));
  const qs = search.toString();
  return `${baseUrl.replace(/\/+$/, '')}${path}${qs ? `?${qs}` : ''}`;
}

/**
 * Sends requests with retries: 429 and 5xx (and network failures) are tried
 * again after the server's Retry-After or an exponential backoff, within the
 * bounds of `retry`. Every POST carries an Idempotency-Key, the same on each of
 * its retries, so a retried POST never acts twice; a 409 `in-progress` (the
 * first attempt is still running) is waited out and asked again. A refusal is
 * a DrumbeatError.
 */
export class Transport {
  private readonly retry: Required<RetryOptions>;
  private readonly fetchImpl: typeof fetch;
  private readonly sleep: (ms: number) => Promise<void>;

  constructor(private readonly options: ClientOptions) {
    this.retry = retryDefaults(options.retry);
    this.fetchImpl = options.fetch ?? globalThis.fetch.bind(globalThis);
    this.sleep = options.sleep ?? defaultSleep;
  }

  /** Waits as the client waits between retries (the `sleep` option): for polling helpers. */
  wait(ms: number): Promise<void> {
    return this.sleep(ms);
  }

  /** Calls one operation and returns its parsed answer (undefined for 204). */
  async call<T>(op: readonly [Method, string], o: CallOptions = {}): Promise<T> {
    const [method, template] = op;
    const url = buildUrl(this.options.baseUrl, template, o.params, o.query ?? {});
    const headers: Record<string, string> = { Accept: o.as === 'text' ? '*/*' : 'application/json', ...o.headers };
    const token = o.token ?? this.options.apiKey;
    if (token) headers.Authorization = `Bearer ${token}`;
    if (method === 'POST') headers['Idempotency-Key'] = o.idempotencyKey ?? globalThis.crypto.randomUUID();
    let body: string | undefined;
    if (o.body !== undefined) {
      body = typeof o.body === 'string' && o.contentType ? o.body : JSON.stringify(o.body);
      headers['Content-Type'] = o.contentType ?? 'application/json';
    }
    const res = await this.send(url, {
      method,
      headers,
      ...(body !== undefined ? { body } : {}),
      ...(o.signal ? { signal: o.signal } : {}),
    });
    if (res.status === 204) return undefined as T;
    return (o.as === 'text' ? await res.text() : await res.json()) as T;
  }

  private async send(url: string, init: RequestInit): Promise<Response> {
    let waitedInProgress = 0;
    for (let attempt = 0; ; attempt++) {
      let res: Response;
      try {
        res = await this.fetchImpl(url, init);
      } catch (err) {
        // A network failure: the request may or may not have arrived; the Idempotency-Key makes a POST safe to repeat.
        if (init.signal?.aborted || attempt >= this.retry.retries) throw err;
        const wait = retryDelay(attempt, undefined, this.retry)!;
        await this.sleep(wait);
        continue;
      }
      if (res.ok) return res;
      const serverDelay = retryAfterMs(res.headers.get('Retry-After'));
      // The first request under this Idempotency-Key is still being served (its answer was lost on the way):
      // wait as asked and ask again, within the in-progress budget, without spending a retry.
      if (res.status === 409 && (await isInProgress(res))) {
        const wait = serverDelay ?? this.retry.baseDelayMs;
        if (waitedInProgress + wait <= this.retry.inProgressMs) {
          waitedInProgress += wait;
          await res.body?.cancel().catch(() => {});
          await this.sleep(wait);
          attempt--;
          continue;
        }
      }
      if (retryableStatus(res.status) && attempt < this.retry.retries) {
        const wait = retryDelay(attempt, serverDelay, this.retry);
        if (wait !== undefined) {
          await res.body?.cancel().catch(() => {});
          await this.sleep(wait);
          continue;
        }
      }
      throw new DrumbeatError(await problemOf(res), serverDelay);
    }
  }
}

/** Whether a 409 is drumbeat's "still in progress" (urn:drumbeat:problem:in-progress), read from a copy of the body. */
async function isInProgress(res: Response): Promise<boolean> {
  try {
    const body = (await res.clone().json()) as { type?: unknown };
    return body.type === IN_PROGRESS;
  } catch {
    return false;
  }
}

const IN_PROGRESS = 'urn:drumbeat:problem:in-progress';
