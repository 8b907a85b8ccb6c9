import type { MiddlewareHandler } from 'hono';
import type { AppEnv } from '../env.js';
import { PAGE_CSP } from '../pages/page-response.js';

/**
 * The headers every HTML page sends (the script-free CSP, `nosniff`, no
 * Referer), for public pages that set their own caching: the transparency
 * pages and their JSON.
 */
export const pageSecurityHeaders: MiddlewareHandler<AppEnv> = async (c, next) => {
  await next();
  c.header('Content-Security-Policy', PAGE_CSP);
  c.header('X-Content-Type-Options', 'nosniff');
  c.header('Referrer-Policy', 'no-referrer');
};
