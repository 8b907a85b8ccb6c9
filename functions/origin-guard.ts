import { timingSafeEqual } from 'node:crypto';

/** The header the Router (CloudFront) sets on every request it forwards to the API's function URL. */
export const ORIGIN_HEADER = 'x-drumbeat-origin';

/** The part of a function-URL event the guard reads. */
interface HeaderedEvent {
  headers?: Record<string, string | undefined> | null;
}

/** What a function URL answers a caller that bypassed CloudFront. */
export interface RefusedResponse {
  statusCode: 403;
  headers: Record<string, string>;
  body: string;
}

function sameSecret(given: string | undefined, expected: string): boolean {
  if (given === undefined) return false;
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

/**
 * Wraps the API handler so only requests that came through the Router reach
 * the app: the function URL is public (auth NONE), so a caller going to it
 * directly would skip the edge screen, the cache and the WAF. Such a request
 * gets a 403 problem+json without touching the store. With no secret
 * configured (the embedded runtime, tests) every request passes.
 */
export function originGuard<E extends object, C, R>(
  secret: string | undefined,
  handler: (event: E, context: C) => Promise<R>,
) {
  return async (event: E, context: C): Promise<R | RefusedResponse> => {
    if (secret !== undefined && !sameSecret((event as HeaderedEvent).headers?.[ORIGIN_HEADER] ?? undefined, secret)) {
      const problem = {
        type: 'urn:drumbeat:problem:forbidden',
        title: 'Forbidden',
        status: 403,
        detail: 'requests must come through the public URL',
      };
      return {
        statusCode: 403,
        headers: { 'content-type': 'application/problem+json' },
        body: JSON.stringify(problem),
      };
    }
    return handler(event, context);
  };
}
