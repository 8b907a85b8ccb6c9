import { z } from 'zod';
import { AFFILIATIONS } from './voice.js';
import { InstantOut } from './common.js';

export const LedgerEntrySchema = z
  .object({
    seq: z.number().int().meta({ description: 'Per-workspace sequence number, contiguous from 1' }),
    postId: z.string(),
    accountId: z.string(),
    voice: z.object({ id: z.string(), name: z.string(), affiliation: z.enum(AFFILIATIONS), organization: z.string().nullable() }),
    approvedBy: z.array(z.string()).meta({ description: 'Voice ids that approved the post' }),
    channel: z.string(),
    externalUrl: z.string().nullable(),
    publishedAt: InstantOut,
    contentHash: z.string().meta({ description: 'SHA-256 of the exact published text, hex' }),
    prevHash: z.string(),
    hash: z.string().meta({ description: 'SHA-256 over the canonical JSON of the entry, prevHash included' }),
  })
  .meta({ id: 'LedgerEntry', description: 'One publication in the append-only attribution ledger' });

export const Verification = z
  .object({
    ok: z.boolean(),
    entries: z.number().int(),
    firstBroken: z.object({ seq: z.number().int(), reason: z.string() }).optional(),
  })
  .meta({ id: 'Verification' });

/** What the public transparency page of an account says. */
export const Transparency = z
  .object({
    workspace: z.object({ name: z.string(), slug: z.string() }),
    account: z.object({ name: z.string(), network: z.string(), handle: z.string() }),
    window: z.object({ from: InstantOut, to: InstantOut, days: z.number().int() }),
    voices: z.array(
      z.object({ name: z.string(), affiliation: z.enum(AFFILIATIONS), organization: z.string().nullable(), posts: z.number().int() }),
    ),
    shareByAffiliation: z.record(z.string(), z.number()).meta({ description: 'Share of the window’s publications by affiliation, 0..1' }),
    publications: z.number().int(),
    approval: z.object({ required: z.boolean(), approvers: z.number().int(), sla: z.string().nullable() }),
    signature: z.enum(['none', 'initials', 'name']),
    lastPublication: z.object({ at: InstantOut, url: z.string().nullable(), voice: z.string(), affiliation: z.enum(AFFILIATIONS) }).nullable(),
    ledger: z.object({ entries: z.number().int(), verified: z.boolean() }).optional(),
  })
  .meta({ id: 'Transparency' });
export type Transparency = z.infer<typeof Transparency>;
