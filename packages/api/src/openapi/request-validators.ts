import type { Context, MiddlewareHandler } from 'hono';
import { HTTPException } from 'hono/http-exception';
import { validator } from 'hono/validator';
import * as z from 'zod/mini';
import type { AppEnv } from '../env.js';
import { validationHook } from '../validation-hook.js';
import type { RouteRequest, Schema } from './route-def.js';

type Target = 'param' | 'query' | 'json';

/**
 * Validates one request part with its schema: Hono reads the part (query
 * repeats as arrays, path params decoded, JSON parsed; a body that is not
 * JSON is a 400), the failure becomes a 404 or a field-by-field 400.
 */
function validate(target: Target, schema: Schema): MiddlewareHandler<AppEnv> {
  return validator(target, async (value: unknown) => {
    const result = await z.safeParseAsync(schema, value);
    if (!result.success) validationHook({ success: false, target, error: result.error, data: value });
    return result.data as object;
  }) as MiddlewareHandler<AppEnv>;
}

const JSON_MEDIA = /^application\/([a-z-.]+\+)?json/i;
const JSON_REQUEST = /^application\/([a-z-.]+\+)?json(;\s*[a-zA-Z0-9-]+=([^;]+))*$/i;

function matchesMediaType(contentType: string, mediaType: string): boolean {
  if (JSON_MEDIA.test(mediaType)) return JSON_REQUEST.test(contentType);
  return contentType.split(';')[0]!.trim().toLowerCase() === mediaType.toLowerCase();
}

/** Whether the request carries at least one byte of body (read from a clone, so the body stays readable). */
async function hasBody(c: Context): Promise<boolean> {
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
function mediaTypeGate(mediaTypes: string[]): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const contentType = c.req.header('Content-Type');
    if (contentType ? !mediaTypes.some((m) => matchesMediaType(contentType, m)) : await hasBody(c)) {
      throw new HTTPException(415, { message: 'Unsupported Media Type' });
    }
    await next();
  };
}

/**
 * The validators of a route, in order: query, path params, then a JSON body
 * (only JSON bodies are validated here; other media types are the handler's).
 * An optional JSON body that is absent reads as `{}`.
 */
export function requestValidators(request: RouteRequest | undefined): MiddlewareHandler<AppEnv>[] {
  const out: MiddlewareHandler<AppEnv>[] = [];
  if (request?.query) out.push(validate('query', request.query));
  if (request?.params) out.push(validate('param', request.params));
  const body = request?.body;
  const json = body?.content['application/json']?.schema;
  if (body && json) {
    out.push(mediaTypeGate(Object.keys(body.content)));
    const check = validate('json', json);
    out.push(
      body.required
        ? check
        : async (c, next) => {
            if (JSON_MEDIA.test(c.req.header('Content-Type') ?? '')) return check(c, next);
            c.req.addValidatedData('json', {});
            await next();
          },
    );
  }
  return out;
}
