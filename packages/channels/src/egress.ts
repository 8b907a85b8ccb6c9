import { lookup } from 'node:dns/promises';
import { isIP } from 'node:net';
import { Invalid, invalidField } from '@drumbeat/core';
import { addressClass } from './ip-ranges.js';

/**
 * The egress rule. Without `allowPrivate` (always so on AWS) a URL must be https
 * and every address its host resolves to must be public unicast. With it (the
 * embedded runtime's default) any address is accepted, and plain http too, but
 * only towards non-public addresses: tokens never cross the internet in clear.
 */
export interface EgressPolicy {
  allowPrivate: boolean;
}

/** Resolves a host name to every address it has (like `dns.lookup` with `all: true`). */
export type Resolver = (hostname: string) => Promise<{ address: string; family: number }[]>;

/** The system resolver, as the HTTP client uses it: every address, in resolver order. */
export const systemResolver: Resolver = (hostname) => lookup(hostname, { all: true, verbatim: true });

/** The host of a URL as an IP literal ("::1" without brackets), or null for a name. */
export function ipLiteral(url: URL): string | null {
  const host = url.hostname.replace(/^\[(.*)\]$/, '$1');
  return isIP(host) ? host : null;
}

/** Why `url` may not be called, judged without DNS (scheme, credentials, IP literal); null if it may. */
export function urlProblem(url: URL, policy: EgressPolicy): string | null {
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && policy.allowPrivate)) {
    return policy.allowPrivate ? 'must use https or http' : 'must use https';
  }
  if (url.username || url.password) return 'must not contain credentials';
  if (!url.hostname) return 'must name a host';
  const ip = ipLiteral(url);
  return ip === null ? null : addressProblem(ip, url.protocol, policy);
}

/** Why connecting to `address` for a URL of `protocol` ("https:") is refused; null if it is allowed. */
export function addressProblem(address: string, protocol: string, policy: EgressPolicy): string | null {
  const cls = addressClass(address);
  if (policy.allowPrivate) {
    if (protocol === 'http:' && cls === null)
      return `resolves to the public address ${address}: plain http is refused, use https`;
    return null;
  }
  if (protocol !== 'https:') return 'must use https';
  return cls === null ? null : `resolves to ${address}, which is ${cls}`;
}

/** Options of checkEgressUrl: the policy, the field to name in errors, and an injectable resolver. */
export interface CheckEgressOptions extends EgressPolicy {
  path: string;
  resolve?: Resolver;
  /** How long DNS may take before the URL is refused (default 5 s). */
  timeoutMs?: number;
}

/**
 * Checks a URL drumbeat is asked to call later (channel endpoint, webhook
 * subscription): throws core `Invalid` naming `path` unless it passes the egress
 * rule, resolving host names with DNS. Returns the parsed URL. This is for API
 * validation only: the HTTP client checks again at connect time (DNS rebinding).
 */
export async function checkEgressUrl(url: string, opts: CheckEgressOptions): Promise<URL> {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw invalidField(opts.path, 'must be an absolute URL');
  }
  const problem = urlProblem(parsed, opts);
  if (problem) throw invalidField(opts.path, problem);
  if (ipLiteral(parsed) !== null) return parsed;
  // https with allowPrivate accepts any address: nothing to resolve.
  if (opts.allowPrivate && parsed.protocol === 'https:') return parsed;
  const addresses = await resolveWithin(
    opts.resolve ?? systemResolver,
    parsed.hostname,
    opts.timeoutMs ?? 5000,
    opts.path,
  );
  for (const { address } of addresses) {
    const refused = addressProblem(address, parsed.protocol, opts);
    if (refused) throw invalidField(opts.path, `host ${parsed.hostname} ${refused}`);
  }
  return parsed;
}

async function resolveWithin(resolve: Resolver, hostname: string, timeoutMs: number, path: string) {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(invalidField(path, `host ${hostname} did not resolve within ${timeoutMs} ms`)),
      timeoutMs,
    );
  });
  try {
    const addresses = await Promise.race([resolve(hostname), timeout]);
    if (addresses.length === 0) throw invalidField(path, `host ${hostname} has no address`);
    return addresses;
  } catch (err) {
    if (err instanceof Invalid) throw err;
    const code = (err as { code?: string }).code ?? 'error';
    throw invalidField(path, `host ${hostname} does not resolve (${code})`);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * The egress rule as a core `UrlPolicy` (`check(url, path)` throwing Invalid):
 * what a composition root hands to the services for API validation.
 */
export function egressUrlPolicy(policy: EgressPolicy & { resolve?: Resolver }): {
  check(url: string, path: string): Promise<void>;
} {
  return {
    async check(url, path) {
      await checkEgressUrl(url, { ...policy, path });
    },
  };
}
