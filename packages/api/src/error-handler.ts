import type { Context } from 'hono';
import { HTTPException } from 'hono/http-exception';
import { DomainError, RetryLater } from '@drumbeat/core/errors';
import { problem } from './problem.js';
import { fieldErrors, isZodError } from './zod-errors.js';

/** The only place errors become responses: domain errors and validation to problem+json; anything else is a logged 500. */
export function onError(err: Error, c: Context): Response {
  if (err instanceof DomainError) {
    if (err instanceof RetryLater) c.header('Retry-After', String(err.retryAfterSeconds));
    return problem(c, err.status, err.code, err.message, err.errors);
  }
  if (isZodError(err)) {
    const errors = fieldErrors(err);
    return problem(c, 400, 'validation', describe(errors), errors);
  }
  if (err instanceof HTTPException) {
    const status = err.status;
    const detail =
      status === 400 && /JSON/i.test(err.message)
        ? 'the request body is not valid JSON'
        : status === 415
          ? 'send the request body as application/json'
          : err.message;
    return problem(
      c,
      status,
      status === 400 ? 'malformed' : status === 415 ? 'unsupported-media-type' : 'about:blank',
      detail,
    );
  }
  console.error(
    JSON.stringify({ level: 'error', msg: 'unhandled error', path: c.req.path, err: String(err), stack: err.stack }),
  );
  return problem(c, 500, 'internal', 'an unexpected error occurred; it has been logged');
}

/** A one-line detail naming the first fields in error. */
export function describe(errors: { path: string; message: string }[]): string {
  const first = errors.slice(0, 3).map((e) => `${e.path}: ${e.message}`);
  return first.join('; ') + (errors.length > 3 ? ` (and ${errors.length - 3} more)` : '');
}

/** 404 for every route that does not exist. */
export function notFound(c: Context): Response {
  return problem(c, 404, 'about:blank', `no route for ${c.req.method} ${c.req.path}`);
}
