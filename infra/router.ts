import { edgeInjection } from './edge-code';
import { routerDomain, wafRateLimit } from './settings';

/**
 * The public front door: a Router (CloudFront) whose viewer-request function
 * first runs functions/edge.ts, turning away malformed requests for the
 * public pages and feeds and dropping their query strings, then stamps the
 * origin secret the API checks (functions/origin-guard.ts), so a caller that
 * goes to the function URL directly gets a 403. CloudFront caches what the
 * app marks cacheable (transparency pages, ICS feeds) and nothing else: the
 * default TTL is 0. With `DRUMBEAT_PUBLIC_URL` the Router serves that domain
 * (certificate included); with `DRUMBEAT_WAF_RATE_LIMIT` a WAF blocks an IP
 * past that many requests in five minutes. Routes are added by infra/api.ts;
 * the Router itself depends on no function, so the functions can link its URL.
 */

// Loaded when run() executes, not when the config is read: `sst install` evaluates the config
// before it installs the platform's packages (@pulumi/random among them), and a static import
// of a package not yet installed fails there on a clean clone.
const random = await import('@pulumi/random');

/** The secret only CloudFront knows: it sits in the edge function's code and the API's link. */
export const originSecret = new random.RandomBytes('OriginSecret', { length: 16 });

const domain = routerDomain(process.env);
const rateLimit = wafRateLimit(process.env);

export const router = new sst.aws.Router('Edge', {
  ...(domain ? { domain } : {}),
  ...(rateLimit ? { waf: { rateLimitPerIp: rateLimit } } : {}),
  edge: { viewerRequest: { injection: originSecret.hex.apply((secret) => edgeInjection($cli.paths.root, secret)) } },
  transform: {
    cachePolicy: (args) => {
      // CloudFront forwards Authorization only when it is part of the cache key, which
      // also keeps one API key's responses from ever answering another's request.
      const params = args.parametersInCacheKeyAndForwardedToOrigin as {
        headersConfig: { headerBehavior: string; headers?: { items: string[] } };
      };
      const items = params.headersConfig.headers?.items ?? [];
      params.headersConfig = { headerBehavior: 'whitelist', headers: { items: [...items, 'authorization'] } };
    },
  },
});

/** Where people reach drumbeat (links in mail, feed URLs): `DRUMBEAT_PUBLIC_URL` (the Router's domain) or the Router's URL. */
export const web = new sst.Linkable('Web', {
  properties: { url: domain ? `https://${domain.name}` : router.url },
});

/** `Resource.Origin.secret`, for the API's origin guard. */
export const originLink = new sst.Linkable('Origin', { properties: { secret: originSecret.hex } });
