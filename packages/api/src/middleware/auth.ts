import { createMiddleware } from 'hono/factory';
// Deep imports: what every request runs stays off the barrels, whose modules a cold start would load (lazy-group.ts).
import { Forbidden, Unauthorized } from '@drumbeat/core/errors';
import { roleAllows, type Role } from '@drumbeat/core/roles';
import { constantTimeEqual } from '@drumbeat/services/secret-hash';
import type { AppEnv } from '../env.js';

/** The credential of an `Authorization: Bearer <key>` header; 401 when there is none. */
export function bearer(header: string | undefined): string {
  const m = /^Bearer\s+(\S+)\s*$/i.exec(header ?? '');
  if (!m) throw new Unauthorized('send an API key as Authorization: Bearer <key>');
  return m[1]!;
}

/** Resolves the bearer key to a principal (workspace + role); 401 otherwise. */
export const authenticate = createMiddleware<AppEnv>(async (c, next) => {
  const principal = await c.var.services.apiKeys.authenticate(bearer(c.req.header('Authorization')));
  c.set('principal', principal);
  await next();
});

/** Allows only the admin token (workspace creation). */
export const adminOnly = createMiddleware<AppEnv>(async (c, next) => {
  if (!constantTimeEqual(bearer(c.req.header('Authorization')), c.var.config.adminToken)) {
    throw new Unauthorized('this route needs the admin token');
  }
  await next();
});

/** Requires the key's role to include `role`. */
export function requireRole(role: Role) {
  return createMiddleware<AppEnv>(async (c, next) => {
    if (!roleAllows(c.var.principal.role, role))
      throw new Forbidden(`this action needs the ${role} role; this key is ${c.var.principal.role}`);
    await next();
  });
}
