/**
 * Deploy-time settings read from the environment of `sst deploy`, as pure
 * functions of that environment (test/infra/settings.test.ts checks them
 * without SST). See infra/README.md, "Settings".
 */

type Env = Record<string, string | undefined>;

/** How DNS records are made: by SST in this account's Route 53 (`route53`), or by hand (`manual`). */
export type DnsMode = 'route53' | 'manual';

/** `DRUMBEAT_DNS`: `route53` (default) or `manual` (the domain's zone is elsewhere: add the records by hand). */
export function dnsMode(env: Env): DnsMode {
  const v = env.DRUMBEAT_DNS ?? 'route53';
  if (v !== 'route53' && v !== 'manual') throw new Error(`DRUMBEAT_DNS must be "route53" or "manual", got "${v}"`);
  return v;
}

/** The Router's custom domain: the host of `DRUMBEAT_PUBLIC_URL`, or none (the CloudFront URL). */
export function routerDomain(env: Env): { name: string; dns: false; cert: string } | { name: string } | undefined {
  const url = env.DRUMBEAT_PUBLIC_URL;
  if (!url) return undefined;
  // CloudFront serves a domain's root: no port, no path.
  const host = /^https:\/\/([a-z0-9](?:[a-z0-9.-]*[a-z0-9])?)\/?$/i.exec(url)?.[1];
  if (!host?.includes('.'))
    throw new Error(`DRUMBEAT_PUBLIC_URL must be https://<domain> with no port or path, got "${url}"`);
  const parsed = { hostname: host.toLowerCase() };
  if (dnsMode(env) === 'route53') return { name: parsed.hostname };
  const cert = env.DRUMBEAT_CERT_ARN;
  if (!cert || !/^arn:aws[\w-]*:acm:us-east-1:\d{12}:certificate\/[\w-]+$/.test(cert)) {
    throw new Error(
      'with DRUMBEAT_DNS=manual, set DRUMBEAT_CERT_ARN to an issued ACM certificate for the domain in us-east-1',
    );
  }
  return { name: parsed.hostname, dns: false, cert };
}

/** A comma-separated list of email addresses from `env[key]` (empty when unset). */
export function emailList(env: Env, key: 'DRUMBEAT_ALERT_EMAILS' | 'DRUMBEAT_SES_SANDBOX_RECIPIENTS'): string[] {
  const list = (env[key] ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  for (const a of list)
    if (!/^[^\s@,]+@[^\s@,]+\.[^\s@,]+$/.test(a)) throw new Error(`${key}: "${a}" is not an email address`);
  return list;
}

/** `DRUMBEAT_WAF_RATE_LIMIT`: requests per IP per 5 minutes before the Router's WAF blocks; unset means no WAF. */
export function wafRateLimit(env: Env): number | undefined {
  const v = env.DRUMBEAT_WAF_RATE_LIMIT;
  if (!v) return undefined;
  const n = Number(v);
  // WAF's rate-based rules accept 10 to 2,000,000,000.
  if (!Number.isInteger(n) || n < 10)
    throw new Error(`DRUMBEAT_WAF_RATE_LIMIT must be an integer of at least 10, got "${v}"`);
  return n;
}

/**
 * Reserved concurrency of a function from `DRUMBEAT_<NAME>_CONCURRENCY`
 * (`none` lifts the cap). Reserving needs an account limit above 100 plus
 * what is reserved: a new account limited to 10 must say `none`.
 */
export function reservedConcurrency(env: Env, name: 'API' | 'PUBLISH', fallback: number): number | undefined {
  const v = env[`DRUMBEAT_${name}_CONCURRENCY`];
  if (v === undefined || v === '') return fallback;
  if (v === 'none') return undefined;
  const n = Number(v);
  if (!Number.isInteger(n) || n < 1)
    throw new Error(`DRUMBEAT_${name}_CONCURRENCY must be a positive integer or "none", got "${v}"`);
  return n;
}
