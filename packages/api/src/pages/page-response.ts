import type { Context } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import type { AppEnv } from '../env.js';

/** No script may run on these pages, whatever a post says; styles are inline; forms post only here. */
export const PAGE_CSP =
  "default-src 'none'; style-src 'unsafe-inline'; img-src 'self' data:; form-action 'self'; base-uri 'none'; frame-ancestors 'none'";

/**
 * An HTML page response: the doctype, `no-store` (pages show private data), a
 * script-free Content-Security-Policy, and no Referer (a signed link must not
 * leak through one).
 */
export function htmlPage(
  c: Context<AppEnv>,
  page: { toString(): string },
  status: ContentfulStatusCode = 200,
): Response {
  return c.body(`<!doctype html>${page.toString()}`, status, {
    'Content-Type': 'text/html; charset=utf-8',
    'Cache-Control': 'no-store',
    'Content-Security-Policy': PAGE_CSP,
    'Referrer-Policy': 'no-referrer',
    'X-Content-Type-Options': 'nosniff',
  });
}
