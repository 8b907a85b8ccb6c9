import { problemContent } from './common.js';
import type { OperationResponse } from '@drumbeat/standards/openapi';
import type { RouteDef } from './route-def.js';

/*
 * What the app's own middleware (app.ts, request-validators.ts) adds to an
 * operation, so that the document says it once instead of every route:
 * - a request body: 413 past the body limit (every /v1 route), 415 for a media type the route does not take;
 * - an API key: 429 past the key's rate limit, with Retry-After;
 * - a POST under /v1: the Idempotency-Key header.
 */

const tooLarge: OperationResponse = {
  description: 'The request body is larger than the API accepts',
  content: problemContent,
};
const unsupported: OperationResponse = {
  description: 'The request body is not of a media type this operation takes',
  content: problemContent,
};
const rateLimited: OperationResponse = {
  description: "Over this key's rate limit; retry after `Retry-After` seconds",
  content: problemContent,
  headers: {
    'Retry-After': { description: 'Seconds until the key may call again', schema: { type: 'integer', minimum: 1 } },
  },
};

/** The responses the middleware may give on `def`, besides its own. */
export function appWideResponses(def: RouteDef): Record<number, OperationResponse> {
  const v1 = def.path.startsWith('/v1/');
  const out: Record<number, OperationResponse> = {};
  if (def.request?.body && v1) out[413] = tooLarge;
  if (def.request?.body) out[415] = unsupported;
  if (v1 && def.security.some((s) => 'bearer' in s)) out[429] = rateLimited;
  return out;
}

/** The header parameters the middleware reads on `def`. */
export function appWideHeaders(def: RouteDef) {
  if (def.method !== 'post' || !def.path.startsWith('/v1/')) return [];
  return [
    {
      name: 'Idempotency-Key',
      in: 'header' as const,
      required: false,
      description:
        'Makes the POST safe to retry: the first response (below 500) is kept 24 hours and replayed, with `Idempotent-Replayed: true`, to a repeat with the same key and body; the same key with another body is a 422; while the first runs, a 409.',
      schema: { type: 'string', pattern: '^[!-~]{1,255}$' },
    },
  ];
}
