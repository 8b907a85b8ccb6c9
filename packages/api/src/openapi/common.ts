import * as z from 'zod/mini';
import type { Role } from '@drumbeat/core';
import type { Schema } from '@drumbeat/standards/openapi';
import { requireRole } from '../middleware/auth.js';

export const ProblemSchema = z
  .object({
    type: z.string(),
    title: z.string(),
    status: z.int(),
    detail: z.optional(z.string()),
    errors: z.optional(z.array(z.object({ path: z.string(), message: z.string() }))),
  })
  .register(z.globalRegistry, { id: 'Problem', description: 'RFC 9457 problem details' });

/** A problem+json body. */
export const problemContent = { 'application/problem+json': { schema: ProblemSchema } };

/** The error responses every authenticated route may give. */
export const errorResponses = {
  400: { description: 'Invalid request; `errors` names each field', content: problemContent },
  401: { description: 'Missing or invalid API key', content: problemContent },
  403: { description: "The key's role does not allow this", content: problemContent },
  404: { description: 'Not found in this workspace', content: problemContent },
  409: { description: 'Conflicts with the current state', content: problemContent },
  422: { description: 'Refused by a domain rule', content: problemContent },
} as const;

/** A path id; a malformed one is a 404. */
export const IdParams = z.object({ id: z.string().check(z.minLength(1), z.maxLength(64)) });

/** JSON request body content. */
export function jsonBody<T extends Schema>(schema: T, description?: string) {
  return { required: true, content: { 'application/json': { schema } }, ...(description ? { description } : {}) };
}

/** An optional JSON request body: absent, it reads as `{}` (so the schema's defaults apply). */
export function optionalJsonBody<T extends Schema>(schema: T) {
  return { required: false, content: { 'application/json': { schema } } };
}

/** A JSON response. */
export function jsonResponse<T extends Schema>(schema: T, description: string) {
  return { description, content: { 'application/json': { schema } } };
}

/** A text response (CSV, iCalendar, HTML) of `type`. */
export function textResponse(type: string, description: string) {
  return { description, content: { [type]: { schema: z.string() } } };
}

/** Route options for a public route: no key (the document says so with `security: []`). */
export const PUBLIC = { security: [] as Record<string, string[]>[] };

/** Route options for a role-guarded, bearer-authenticated route. */
export function guarded(role: Role) {
  return { security: [{ bearer: [] }], middleware: requireRole(role) };
}
