import { createMiddleware } from 'hono/factory';
import type { AppEnv } from '../env.js';

/**
 * A refusal sent before the request body was read (401, 415, 429, 413, …):
 * the rest of the body is still on its way, and the Node server drops the
 * connection rather than read it. Say so with `Connection: close`, or a
 * keep-alive client sends its next request into a closing socket. (Node's own
 * 408 for a stalled body already closes.)
 */
export const closeUnreadBody = createMiddleware<AppEnv>(async (c, next) => {
  await next();
  const raw = c.req.raw;
  if (c.res.status >= 400 && raw.body !== null && !raw.bodyUsed) c.header('Connection', 'close');
});
