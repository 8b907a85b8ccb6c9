import { z } from 'zod';
import { InstantOut } from './common.js';

export const ROLES = ['owner', 'editor', 'approver', 'viewer'] as const;
export const Role = z.enum(ROLES).meta({
  description: 'owner ⊇ editor (posts, voices) and owner ⊇ approver (approve/reject); both ⊇ viewer (read)',
});
export type Role = z.infer<typeof Role>;

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

export const KeyCreate = z
  .strictObject({
    name: z.string().trim().min(1).max(120).meta({ example: 'Agency scheduler' }),
    role: Role,
  })
  .meta({ id: 'KeyCreate' });

export const ApiKey = z
  .object({
    id: z.string(),
    name: z.string(),
    role: Role,
    createdAt: InstantOut,
    revokedAt: InstantOut.optional(),
  })
  .meta({ id: 'ApiKey' });

export const ApiKeyCreated = ApiKey.extend({
  key: z.string().meta({ description: 'The secret, shown once; send it as Authorization: Bearer <key>' }),
}).meta({ id: 'ApiKeyCreated' });

export type KeyCreate = z.infer<typeof KeyCreate>;
export type ApiKey = z.infer<typeof ApiKey>;
