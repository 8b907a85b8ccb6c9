import * as z from 'zod/mini';
import { Email, InstantOut, NameText } from './common.js';
import { withMeta } from './with-meta.js';

export const AFFILIATIONS = ['in_house', 'agency', 'freelance', 'automation'] as const;
export const Affiliation = withMeta(z.enum(AFFILIATIONS), {
  description: 'Who the voice works for, relative to the brand',
});
export type Affiliation = z.infer<typeof Affiliation>;

const voiceFields = {
  name: withMeta(NameText(120), { example: 'Anna Bell' }),
  email: withMeta(z.optional(Email), { description: 'Private: reminders only, never shown publicly' }),
  affiliation: Affiliation,
  organization: withMeta(z.optional(NameText(120)), { example: 'Northwind Agency' }),
  signature: withMeta(z.optional(NameText(40)), {
    description: 'Initials or sign-off appended when the account discloses signatures',
    example: 'AB',
  }),
};

export const VoiceCreate = withMeta(z.strictObject(voiceFields), {
  id: 'VoiceCreate',
  description: 'A new voice: a person or team who writes for the brand',
  example: {
    name: 'Anna Bell',
    email: 'anna@northwind.example',
    affiliation: 'agency',
    organization: 'Northwind Agency',
    signature: 'AB',
  },
});
export const VoicePatch = withMeta(
  z.partial(
    z.strictObject({
      name: z.optional(voiceFields.name),
      email: z.optional(z.nullable(Email)),
      affiliation: z.optional(Affiliation),
      organization: z.nullable(voiceFields.organization),
      signature: z.nullable(voiceFields.signature),
    }),
  ),
  {
    id: 'VoicePatch',
    description: 'Fields to change; null clears an optional field',
    example: { organization: null, signature: 'A.B.' },
  },
);

export const Voice = withMeta(
  z.object({
    id: z.string(),
    name: z.string(),
    email: z.optional(z.string()),
    affiliation: Affiliation,
    organization: z.optional(z.string()),
    signature: z.optional(z.string()),
    archivedAt: z.optional(InstantOut),
    createdAt: InstantOut,
    updatedAt: InstantOut,
  }),
  {
    id: 'Voice',
    description: 'A person or team who writes',
    example: {
      id: 'vce_01jd8x3k2m9q4r7s0t1v2w3x4y',
      name: 'Anna Bell',
      email: 'anna@northwind.example',
      affiliation: 'agency',
      organization: 'Northwind Agency',
      signature: 'AB',
      createdAt: '2026-11-23T10:00:00.000Z',
      updatedAt: '2026-11-23T10:00:00.000Z',
    },
  },
);

export type VoiceCreate = z.infer<typeof VoiceCreate>;
export type VoicePatch = z.infer<typeof VoicePatch>;
export type Voice = z.infer<typeof Voice>;
