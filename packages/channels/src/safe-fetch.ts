import type { IncomingHttpHeaders } from 'node:http';
import type { LookupFunction } from 'node:net';
import { rootCertificates } from 'node:tls';
import { addressProblem, systemResolver, urlProblem, type EgressPolicy, type Resolver } from './egress.js';

/** What a channel passes to its HTTP client: a subset of fetch's RequestInit plus a timeout. */
export interface FetchInit {
  method?: string;
  headers?: Record<string, string>;
  body?: string;
  signal?: AbortSignal;
  /** Upper bound for the whole exchange, connection to last body byte. */
  timeoutMs?: number;
}

/** What a channel reads from a response: a subset of fetch's Response. */
export interface FetchResponse {
  status: number;
  headers: Headers;
  text(): Promise<string>;
}

/** A fetch-like function. `globalThis.fetch` fits; `createSafeFetch` is the one that enforces egress. */
export type FetchLike = (url: string, init?: FetchInit) => Promise<FetchResponse>;

/** Why a safe fetch failed. `sent` tells whether the whole request had been handed to the network. */
export class SafeFetchError extends Error {
  constructor(
    readonly code: 'refused' | 'timeout' | 'aborted' | 'network' | 'too_large',
    message: string,
    readonly sent: boolean,
    readonly status?: number,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'SafeFetchError';
  }
}

/** Options of createSafeFetch. */
export interface SafeFetchOptions extends EgressPolicy {
  /** Default bound of every call (default 10 s); a call's own `timeoutMs` or `signal` may shorten it. */
  timeoutMs?: number;
  /** Largest response body read (default 1 MiB); more fails with `too_large`. */
  maxResponseBytes?: number;
  /** Host name resolver (default: the system's); its answers are filtered by the policy. */
  resolve?: Resolver;
  /** Extra trusted CA certificates (PEM): private PKI in the embedded runtime, and tests. */
  ca?: string | string[];
}

/** A URL for messages: origin and path, never the query (it may carry tokens). */
export function describeUrl(url: URL): string {
  return `${url.origin}${url.pathname}`;
}

/** A `lookup` for node:net that resolves with `resolve` and refuses unless every address passes the policy. */
function guardedLookup(resolve: Resolver, protocol: string, policy: EgressPolicy): LookupFunction {
  return (hostname, options, callback) => {
    resolve(hostname).then(
      (all) => {
        const refused =
          all.length === 0
            ? 'has no address'
            : all.map((a) => addressProblem(a.address, protocol, policy)).find(Boolean);
        if (refused) return callback(new SafeFetchError('refused', `host ${hostname} ${refused}`, false), '', 0);
        const wanted = options.family ? all.filter((a) => a.family === options.family) : all;
        if (options.all) return callback(null, wanted);
        const first = wanted[0] ?? all[0]!;
        callback(null, first.address, first.family);
      },
      (err: NodeJS.ErrnoException) => callback(err, '', 0),
    );
  };
}

function toHeaders(raw: IncomingHttpHeaders): Headers {
  const headers = new Headers();
  for (const [name, value] of Object.entries(raw)) {
    if (value === undefined) continue;
    for (const v of Array.isArray(value) ? value : [value]) headers.append(name, v);
  }
  return headers;
}

/**
 * An HTTP client that only reaches addresses the egress policy allows: the URL is
 * checked first, then the connection resolves the host through a lookup that
 * refuses any disallowed address, so DNS rebinding cannot slip in between the
 * check and the connect (Host and TLS SNI stay the URL's host). Redirects are
 * never followed: a 3xx comes back as it is. Every call has a timeout, no
 * connection is pooled, and the response body is bounded.
 */
export function createSafeFetch(opts: SafeFetchOptions): FetchLike {
  const resolve = opts.resolve ?? systemResolver;
  const maxBytes = opts.maxResponseBytes ?? 1024 * 1024;
  return (input, init = {}) =>
    new Promise<FetchResponse>((resolvePromise, reject) => {
      let url: URL;
      try {
        url = new URL(input);
      } catch {
        return reject(new SafeFetchError('refused', 'not an absolute URL', false));
      }
      const problem = urlProblem(url, opts);
      if (problem) return reject(new SafeFetchError('refused', `${describeUrl(url)} ${problem}`, false));

      const timeoutMs = Math.min(init.timeoutMs ?? Infinity, opts.timeoutMs ?? 10_000);
      const body = init.body === undefined ? undefined : Buffer.from(init.body);
      const headers: Record<string, string> = { 'user-agent': 'drumbeat', ...init.headers };
      if (body) headers['content-length'] = String(body.length);
      let sent = false;
      let done = false;
      // Taken when needed, not imported: an ESM import of node:http builds its module facade, which loads
      // Node's bundled undici (~10 ms of every cold start of a function that may never call out).
      const request = process.getBuiltinModule(url.protocol === 'https:' ? 'node:https' : 'node:http').request;
      const req = request(url, {
        method: init.method ?? 'GET',
        headers,
        agent: false,
        lookup: guardedLookup(resolve, url.protocol, opts),
        // Node's `ca` replaces the default trust store: keep the public roots beside the extra ones.
        ...(opts.ca ? { ca: [...rootCertificates, ...[opts.ca].flat()] } : {}),
      });
      const fail = (err: SafeFetchError) => {
        if (done) return;
        done = true;
        cleanup();
        req.destroy();
        reject(err);
      };
      const timer = setTimeout(
        () => fail(new SafeFetchError('timeout', `no response within ${timeoutMs} ms`, sent)),
        timeoutMs,
      );
      const onAbort = () => {
        const reason = init.signal?.reason as { name?: string } | undefined;
        const code = reason?.name === 'TimeoutError' ? 'timeout' : 'aborted';
        fail(
          new SafeFetchError(code, code === 'timeout' ? 'timed out' : 'aborted', sent, undefined, { cause: reason }),
        );
      };
      const cleanup = () => {
        clearTimeout(timer);
        init.signal?.removeEventListener('abort', onAbort);
      };
      if (init.signal?.aborted) return onAbort();
      init.signal?.addEventListener('abort', onAbort, { once: true });

      req.on('finish', () => (sent = true));
      req.on('error', (err: NodeJS.ErrnoException) => {
        if (err instanceof SafeFetchError) return fail(err);
        const what = err.code ? `${err.code} ${err.message}` : err.message;
        fail(new SafeFetchError('network', `${describeUrl(url)}: ${what}`, sent, undefined, { cause: err }));
      });
      req.on('response', (res) => {
        const status = res.statusCode ?? 0;
        const chunks: Buffer[] = [];
        let size = 0;
        res.on('data', (chunk: Buffer) => {
          size += chunk.length;
          if (size > maxBytes)
            return fail(new SafeFetchError('too_large', `response body over ${maxBytes} bytes`, true, status));
          chunks.push(chunk);
        });
        res.on('end', () => {
          if (done) return;
          done = true;
          cleanup();
          const text = Buffer.concat(chunks).toString('utf8');
          resolvePromise({ status, headers: toHeaders(res.headers), text: async () => text });
        });
        res.on('error', (err) =>
          fail(new SafeFetchError('network', `response cut: ${err.message}`, true, status, { cause: err })),
        );
        res.on('close', () => {
          if (!res.complete) fail(new SafeFetchError('network', 'response cut before its end', true, status));
        });
      });
      req.end(body);
    });
}
