import type { Context } from 'hono';
import { NotFound, Invalid } from '@drumbeat/core';
import type { $ZodError } from 'zod/v4/core';
import { fieldErrors } from './zod-errors.js';
import { describe } from './error-handler.js';

/**
 * Turns a failed request validation into a domain error: a bad path id is a
 * 404 (an id that cannot exist is simply not found), anything else is a 400
 * naming each field.
 */
export function validationHook(result: { success: boolean; target: string; error?: unknown; data?: unknown }, _c?: Context): void {
  if (result.success) return;
  const error = result.error as $ZodError;
  if (result.target === 'param') throw new NotFound('no such resource');
  const errors = fieldErrors(error, result.data ?? {});
  throw new Invalid(describe(errors), errors);
}
