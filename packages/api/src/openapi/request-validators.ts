import type { MiddlewareHandler } from 'hono';
import { validator } from 'hono/validator';
import * as z from 'zod/mini';
import type { OperationRequest, Schema } from '@drumbeat/standards/openapi';
import type { AppEnv } from '../env.js';
import { throwValidationError } from '../validation-error.js';
import { JSON_MEDIA, mediaTypeGate } from './media-type-gate.js';

type Target = 'param' | 'query' | 'json';

/** `value` parsed by `schema`; a failure becomes a 404 (a path param) or a field-by-field 400. */
async function parsed(target: Target, schema: Schema, value: unknown): Promise<object> {
  const result = await z.safeParseAsync(schema, value);
  if (!result.success) throwValidationError(target, result.error, value);
  return result.data as object;
}

/**
 * Validates one request part with its schema: Hono reads the part (query
 * repeats as arrays, path params decoded, JSON parsed; a body that is not
 * JSON is a 400), then the schema parses it.
 */
function validate(target: Target, schema: Schema): MiddlewareHandler<AppEnv> {
  return validator(target, (value: unknown) => parsed(target, schema, value)) as MiddlewareHandler<AppEnv>;
}

/** An optional JSON body: present, it is validated; absent (the gate saw no bytes), `{}` is parsed in its place. */
function optionalJson(schema: Schema): MiddlewareHandler<AppEnv> {
  const check = validate('json', schema);
  return async (c, next) => {
    if (JSON_MEDIA.test(c.req.header('Content-Type') ?? '')) return check(c, next);
    c.req.addValidatedData('json', await parsed('json', schema, {}));
    await next();
  };
}

/**
 * The validators of a route, in order: query, path params, then a JSON body
 * (only JSON bodies are validated here; other media types are the handler's).
 */
export function requestValidators(request: OperationRequest | undefined): MiddlewareHandler<AppEnv>[] {
  const out: MiddlewareHandler<AppEnv>[] = [];
  if (request?.query) out.push(validate('query', request.query));
  if (request?.params) out.push(validate('param', request.params));
  const body = request?.body;
  const json = body?.content['application/json']?.schema;
  if (body && json)
    out.push(mediaTypeGate(Object.keys(body.content)), body.required ? validate('json', json) : optionalJson(json));
  return out;
}
