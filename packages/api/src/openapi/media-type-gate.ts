import type { Context, MiddlewareHandler } from 'hono';
import { HTTPException } from 'hono/http-exception';
import type { AppEnv } from '../env.js';

/** A JSON media type, as a route declares it (`application/json`, `application/problem+json`). */
export const JSON_MEDIA = /^application\/([a-z-.]+\+)?json/i;
/** A Content-Type a JSON route accepts: Hono's own test, so the validator reads the body the gate let through. */
const JSON_REQUEST = /^application\/([a-z-.]+\+)?json(;\s*[a-zA-Z0-9-]+=([^;]+))*$/i;

function matchesMediaType(contentType: string, mediaType: string): boolean {
  if (JSON_MEDIA.test(mediaType)) return JSON_REQUEST.test(contentType);
  return contentType.split(';')[0]!.trim().toLowerCase() === mediaType.toLowerCase();
}

/** Whether the request carries at least one byte of body (read from a clone, so the body stays readable). */
export async function hasBody(c: Context): Promise<boolean> {
  const raw = c.req.raw;
  if (raw.body === null) return false;
  if (raw.bodyUsed) return (await c.req.arrayBuffer()).byteLength > 0;
  const reader = raw.clone().body!.getReader();
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) return false;
      if (value.byteLength > 0) return true;
    }
  } finally {
    reader.cancel().catch(() => {});
  }
}

/** A body of a media type the route does not declare, or a body without a Content-Type, is a 415. */
export function mediaTypeGate(mediaTypes: string[]): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const contentType = c.req.header('Content-Type');
    if (contentType ? !mediaTypes.some((m) => matchesMediaType(contentType, m)) : await hasBody(c)) {
      throw new HTTPException(415, { message: 'Unsupported Media Type' });
    }
    await next();
  };
}
