import type { $ZodError } from 'zod/v4/core';
import type { FieldError } from '@drumbeat/core';

/**
 * `err instanceof $ZodError`, without importing zod: zod's classes answer
 * `instanceof` by the traits an instance carries (`$constructor`'s
 * `Symbol.hasInstance`), so this is the same test. The error handler runs on
 * every failing request; importing zod for it would put zod on the API's cold
 * start (a zod error only ever comes from a route group, which loads zod).
 */
export function isZodError(err: unknown): err is $ZodError {
  return (err as { _zod?: { traits?: Set<string> } } | null)?._zod?.traits?.has('$ZodError') === true;
}

function valueAt(input: unknown, path: PropertyKey[]): unknown {
  let v: unknown = input;
  for (const k of path) {
    if (v === null || typeof v !== 'object') return undefined;
    v = (v as Record<PropertyKey, unknown>)[k];
  }
  return v;
}

/**
 * Zod issues as field errors with dotted paths; unknown keys are listed one by
 * one, and a field absent from `input` is reported as "required".
 */
export function fieldErrors(error: $ZodError, input?: unknown, prefix = ''): FieldError[] {
  const out: FieldError[] = [];
  const join = (path: PropertyKey[]) => [prefix, ...path.map(String)].filter(Boolean).join('.') || '(body)';
  for (const issue of error.issues) {
    if (issue.code === 'unrecognized_keys') {
      for (const k of issue.keys) out.push({ path: join([...issue.path, k]), message: 'unknown field' });
    } else if (
      (issue.code === 'invalid_type' || issue.code === 'invalid_value') &&
      input !== undefined &&
      valueAt(input, issue.path) === undefined
    ) {
      out.push({ path: join(issue.path), message: 'required' });
    } else {
      out.push({ path: join(issue.path), message: issue.message });
    }
  }
  return out;
}
