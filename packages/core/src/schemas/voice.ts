import { z } from 'zod';
import { Email, InstantOut } from './common.js';

export const AFFILIATIONS = ['in_house', 'agency', 'freelance', 'automation'] as const;
export const Affiliation = z.enum(AFFILIATIONS).meta({ description: 'Who the voice works for, relative to the brand' });
export type Affiliation = z.infer<typeof Affiliation>;

const voiceFields = {
  name: z.string().trim().min(1).max(120).meta({ example: 'Anna Bell' }),
  email: Email.optional().meta({ description: 'Private: reminders only, never shown publicly' }),
  affiliation: Affiliation,
  organization: z.string().trim().min(1).max(120).optional().meta({ example: 'Northwind Agency' }),
  signature: z
    .string()
    .trim()
    .min(1)
    .max(40)
    .optional()
    .meta({ description: 'Initials or sign-off appended when the account discloses signatures', example: 'AB' }),
};

export const VoiceCreate = z.strictObject(voiceFields).meta({
  id: 'VoiceCreate',
  description: 'A new voice: a person or team who writes for the brand',
  example: { name: 'Anna Bell', email: 'anna@northwind.example', affiliation: 'agency', organization: 'Northwind Agency', signature: 'AB' },
});
export const VoicePatch = z
  .strictObject({
    name: voiceFields.name.optional(),
    email: Email.nullable().optional(),
    affiliation: Affiliation.optional(),
    organization: voiceFields.organization.nullable(),
    signature: voiceFields.signature.nullable(),
  })
  .partial()
  .meta({ id: 'VoicePatch', description: 'Fields to change; null clears an optional field', example: { organization: null, signature: 'A.B.' } });

export const Voice = z
  .object({
    id: z.string(),
    name: z.string(),
    email: z.string().optional(),
    affiliation: Affiliation,
    organization: z.string().optional(),
    signature: z.string().optional(),
    archivedAt: InstantOut.optional(),
    createdAt: InstantOut,
    updatedAt: InstantOut,
  })
  .meta({
    id: 'Voice',
    description: 'A person or team who writes',
    example: { id: 'vce_01jd8x3k2m9q4r7s0t1v2w3x4y', name: 'Anna Bell', email: 'anna@northwind.example', affiliation: 'agency', organization: 'Northwind Agency', signature: 'AB', createdAt: '2026-11-23T10:00:00.000Z', updatedAt: '2026-11-23T10:00:00.000Z' },
  });

export type VoiceCreate = z.infer<typeof VoiceCreate>;
export type VoicePatch = z.infer<typeof VoicePatch>;
export type Voice = z.infer<typeof Voice>;
