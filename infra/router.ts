import { edgeInjection } from './edge-code';

/**
 * The public front door: a Router (CloudFront) whose viewer-request function
 * first runs functions/edge.ts, turning away malformed requests for the
 * public pages and feeds. CloudFront caches what the app marks cacheable
 * (transparency pages, ICS feeds) and nothing else: the default TTL is 0.
 * Routes are added by infra/api.ts; the Router itself depends on no function,
 * so the functions can link its URL.
 */
export const router = new sst.aws.Router('Edge', {
  edge: { viewerRequest: { injection: edgeInjection($cli.paths.root) } },
  transform: {
    cachePolicy: (args) => {
      // CloudFront forwards Authorization only when it is part of the cache key, which
      // also keeps one API key's responses from ever answering another's request.
      const params = args.parametersInCacheKeyAndForwardedToOrigin as { headersConfig: { headerBehavior: string; headers?: { items: string[] } } };
      const items = params.headersConfig.headers?.items ?? [];
      params.headersConfig = { headerBehavior: 'whitelist', headers: { items: [...items, 'authorization'] } };
    },
  },
});

/** Where people reach drumbeat (links in mail, feed URLs): `DRUMBEAT_PUBLIC_URL` (a custom domain) or the Router's URL. */
export const web = new sst.Linkable('Web', {
  properties: { url: process.env.DRUMBEAT_PUBLIC_URL ?? router.url },
});
