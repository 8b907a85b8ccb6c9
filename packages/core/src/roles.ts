/**
 * Roles and what each allows, without zod: the API's auth middleware checks
 * roles on every request, and imports this on its own (`@drumbeat/core/roles`)
 * so a Lambda cold start does not load the schemas (schemas/key.ts has the
 * `Role` schema).
 */

export const ROLES = ['owner', 'editor', 'approver', 'viewer'] as const;

/** A key's role. */
export type Role = (typeof ROLES)[number];

const GRANTS: Record<Role, ReadonlySet<Role>> = {
  owner: new Set(['owner', 'editor', 'approver', 'viewer']),
  editor: new Set(['editor', 'viewer']),
  approver: new Set(['approver', 'viewer']),
  viewer: new Set(['viewer']),
};

/** True when a key holding `held` may do what `needed` allows. */
export function roleAllows(held: Role, needed: Role): boolean {
  return GRANTS[held].has(needed);
}
