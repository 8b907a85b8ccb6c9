import type { z } from 'zod';
import type { FieldError } from '@drumbeat/core';

/** Zod issues as field errors with dotted paths; unknown keys are listed one by one. */
export function fieldErrors(error: z.ZodError, prefix = ''): FieldError[] {
  const out: FieldError[] = [];
  const join = (path: PropertyKey[]) => [prefix, ...path.map(String)].filter(Boolean).join('.') || '(body)';
  for (const issue of error.issues) {
    if (issue.code === 'unrecognized_keys') {
      for (const k of issue.keys) out.push({ path: join([...issue.path, k]), message: 'unknown field' });
    } else if (issue.code === 'invalid_type' && issue.input === undefined) {
      out.push({ path: join(issue.path), message: 'required' });
    } else {
      out.push({ path: join(issue.path), message: issue.message });
    }
  }
  return out;
}
