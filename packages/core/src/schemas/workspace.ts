import { z } from 'zod';
import { InstantOut } from './common.js';

export const Slug = z
  .string()
  .min(2)
  .max(48)
  .regex(/^[a-z0-9](?:[a-z0-9-]*[a-z0-9])?$/, 'lower-case letters, digits and inner hyphens only')
  .meta({ example: 'acme' });

export const WorkspaceCreate = z
  .strictObject({
    name: z.string().trim().min(1).max(120).meta({ example: 'Acme Coffee' }),
    slug: Slug.optional().meta({ description: 'Public slug for transparency pages; derived from the name when absent' }),
  })
  .meta({ id: 'WorkspaceCreate', description: 'A new workspace: its name and, optionally, its public slug', example: { name: 'Acme Coffee', slug: 'acme' } });

export const Workspace = z
  .object({ id: z.string(), name: z.string(), slug: z.string(), createdAt: InstantOut })
  .meta({
    id: 'Workspace',
    description: 'One brand or one agency client: the unit of tenancy',
    example: { id: 'ws_01jd8x3k2m9q4r7s0t1v2w3x4y', name: 'Acme Coffee', slug: 'acme', createdAt: '2026-11-23T10:00:00.000Z' },
  });

export type WorkspaceCreate = z.infer<typeof WorkspaceCreate>;
export type Workspace = z.infer<typeof Workspace>;

/** A slug derived from a workspace name: "Café Acme!" → "cafe-acme". */
export function slugify(name: string): string {
  const s = name
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 40)
    .replace(/-+$/, '');
  return s.length >= 2 ? s : `ws-${s || 'x'}`;
}
