import * as z from 'zod/mini';
import { Id, InstantOut, NameText } from './common.js';
import { withMeta } from './with-meta.js';

import { ROLES } from '../roles.js';

export { ROLES, roleAllows } from '../roles.js';
export const Role = withMeta(z.enum(ROLES), {
  description: 'owner ⊇ editor (posts, voices) and owner ⊇ approver (approve/reject); both ⊇ viewer (read)',
});
export type Role = z.infer<typeof Role>;

export const KeyCreate = withMeta(
  z.strictObject({
    name: withMeta(NameText(120), { example: 'Agency scheduler' }),
    role: Role,
    voiceId: withMeta(z.optional(Id('voice')), {
      description:
        'Makes it a personal key: the key of this person (voice). Its approvals and rejections are always in this voice, and what it records names them',
    }),
  }),
  {
    id: 'KeyCreate',
    description: 'A new API key: a name to know it by, its role, and for a personal key the voice it belongs to',
    example: { name: 'Brand manager (Claire)', role: 'approver', voiceId: 'vce_01jd8x3k2m9q4r7s0t1v2w3x4z' },
  },
);

export const ApiKey = withMeta(
  z.object({
    id: z.string(),
    name: z.string(),
    role: Role,
    voiceId: withMeta(z.optional(z.string()), {
      description: 'Set on a personal key: the voice (person) it belongs to',
    }),
    createdAt: InstantOut,
    revokedAt: z.optional(InstantOut),
  }),
  {
    id: 'ApiKey',
    description: 'An API key (its secret is never read back)',
    example: {
      id: 'key_01jd8x3k2m9q4r7s0t1v2w3x4y',
      name: 'Agency scheduler',
      role: 'editor',
      createdAt: '2026-11-23T10:00:00.000Z',
    },
  },
);

export const ApiKeyCreated = withMeta(
  z.extend(ApiKey, {
    key: withMeta(z.string(), { description: 'The secret, shown once; send it as Authorization: Bearer <key>' }),
  }),
  {
    id: 'ApiKeyCreated',
    description: 'A new API key with its secret, shown once',
    example: {
      id: 'key_01jd8x3k2m9q4r7s0t1v2w3x4y',
      name: 'Agency scheduler',
      role: 'editor',
      createdAt: '2026-11-23T10:00:00.000Z',
      key: 'dbk.ws_01jd8x3k2m9q4r7s0t1v2w3x4y.key_01jd8x3k2m9q4r7s0t1v2w3x4y.Zq3v8Xh2Lr0pTm5cWk9sYd1bNf6gJa4E',
    },
  },
);

export type KeyCreate = z.infer<typeof KeyCreate>;
export type ApiKey = z.infer<typeof ApiKey>;
