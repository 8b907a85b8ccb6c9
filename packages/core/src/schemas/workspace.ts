import * as z from 'zod/mini';
import { InstantOut, NameText } from './common.js';
import { withMeta } from './with-meta.js';

export const Slug = withMeta(
  z
    .string()
    .check(
      z.minLength(2),
      z.maxLength(48),
      z.regex(/^[a-z0-9](?:[a-z0-9-]*[a-z0-9])?$/, 'lower-case letters, digits and inner hyphens only'),
    ),
  { example: 'acme' },
);

export const WorkspaceCreate = withMeta(
  z.strictObject({
    name: withMeta(NameText(120), { example: 'Acme Coffee' }),
    slug: withMeta(z.optional(Slug), {
      description: 'Public slug for transparency pages; derived from the name when absent',
    }),
  }),
  {
    id: 'WorkspaceCreate',
    description: 'A new workspace: its name and, optionally, its public slug',
    example: { name: 'Acme Coffee', slug: 'acme' },
  },
);

export const Workspace = withMeta(
  z.object({ id: z.string(), name: z.string(), slug: z.string(), createdAt: InstantOut }),
  {
    id: 'Workspace',
    description: 'One brand or one agency client: the unit of tenancy',
    example: {
      id: 'ws_01jd8x3k2m9q4r7s0t1v2w3x4y',
      name: 'Acme Coffee',
      slug: 'acme',
      createdAt: '2026-11-23T10:00:00.000Z',
    },
  },
);

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
