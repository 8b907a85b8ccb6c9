import type { MiddlewareHandler } from 'hono';
import type { AppEnv } from '../env.js';
import { problem } from '../problem.js';

/** The charset parameter of a Content-Type, quoted or not. */
const CHARSET = /;\s*charset\s*=\s*"?([^";\s]*)"?/i;

/**
 * Every body is read as UTF-8, so a Content-Type naming another charset
 * (utf-16, latin1 …) is a 415 naming it, rather than a body read wrong.
 * A Content-Type without a charset is UTF-8.
 */
export const utf8Only: MiddlewareHandler<AppEnv> = async (c, next) => {
  const contentType = c.req.header('Content-Type');
  const charset = contentType ? CHARSET.exec(contentType)?.[1] : undefined;
  if (charset !== undefined && !/^utf-?8$/i.test(charset)) {
    const message = `charset=${charset} is not supported: send the body in UTF-8 (charset=utf-8, or no charset)`;
    return problem(c, 415, 'unsupported-media-type', message, [{ path: 'Content-Type', message }]);
  }
  await next();
};
