import { NotFound, Invalid } from '@drumbeat/core';
import type { $ZodError } from 'zod/v4/core';
import { fieldErrors } from './zod-errors.js';
import { describe } from './error-handler.js';

/**
 * Turns a failed request validation into a domain error: a bad path id is a
 * 404 (an id that cannot exist is simply not found), anything else is a 400
 * naming each field of `data` (the part as received).
 */
export function throwValidationError(target: string, error: $ZodError, data: unknown): never {
  if (target === 'param') throw new NotFound('no such resource');
  const errors = fieldErrors(error, data ?? {});
  throw new Invalid(describe(errors), errors);
}
