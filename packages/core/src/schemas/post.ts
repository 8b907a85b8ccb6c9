import * as z from 'zod/mini';
import { Id, Instant, InstantOut, Url } from './common.js';
import { withMeta } from './with-meta.js';

export const POST_STATUSES = [
  'pending_approval',
  'scheduled',
  'publishing',
  'published',
  'failed',
  'canceled',
  'missed',
] as const;
export const PostStatus = withMeta(z.enum(POST_STATUSES), {
  description:
    'pending_approval → scheduled → publishing → published | failed; also canceled, missed (its time passed while awaiting approval)',
});
export type PostStatus = z.infer<typeof PostStatus>;

/** Statuses in which a post may still be edited, rescheduled or canceled. */
export const EDITABLE_STATUSES: readonly PostStatus[] = ['pending_approval', 'scheduled'];

export const Media = z.strictObject({
  url: withMeta(Url, { example: 'https://cdn.acme.example/launch.jpg' }),
  alt: withMeta(z.optional(z.string().check(z.maxLength(1500))), { description: 'Alternative text' }),
});
export type Media = z.infer<typeof Media>;

const text = withMeta(z.string().check(z.minLength(1), z.maxLength(10_000)), {
  example: 'Our autumn blend is back. ☕',
});
const when = {
  at: withMeta(z.optional(Instant), { description: 'An explicit future instant' }),
  slot: withMeta(z.optional(z.literal('next')), { description: 'Take the earliest future slot with no post' }),
};

export const PostCreate = withMeta(
  z
    .strictObject({
      text,
      media: z._default(z.array(Media).check(z.maxLength(4)), []),
      voiceId: withMeta(Id('voice'), { description: 'The author voice' }),
      ...when,
    })
    .check(
      z.superRefine((v, ctx) => {
        if ((v.at === undefined) === (v.slot === undefined)) {
          ctx.addIssue({
            code: 'custom',
            path: ['at'],
            message: 'give exactly one of at (an instant) or slot: "next"',
          });
        }
      }),
    ),
  {
    id: 'PostCreate',
    description: 'A new post: its text, media and author voice, at an explicit instant or in the next free slot',
    example: { text: 'Our autumn blend is back. ☕', voiceId: 'vce_01jd8x3k2m9q4r7s0t1v2w3x4y', slot: 'next' },
  },
);
export type PostCreate = z.infer<typeof PostCreate>;

export const PostPatch = withMeta(
  z
    .strictObject({
      text: z.optional(text),
      media: z.optional(z.array(Media).check(z.maxLength(4))),
      ...when,
      editorVoiceId: withMeta(z.optional(Id('voice')), {
        description: 'The voice making the edit (recorded; defaults to the author)',
      }),
    })
    .check(
      z.superRefine((v, ctx) => {
        if (v.at !== undefined && v.slot !== undefined)
          ctx.addIssue({ code: 'custom', path: ['at'], message: 'give at or slot, not both' });
      }),
    ),
  {
    id: 'PostPatch',
    description: 'Edit or reschedule a post before it is published',
    example: { text: 'Our autumn blend is back, now in 250 g bags. ☕', at: '2026-12-02T08:30:00.000Z' },
  },
);
export type PostPatch = z.infer<typeof PostPatch>;

export const SOURCE_KINDS = ['api', 'csv', 'app', 'mcp'] as const;
/** Where a post (or its last edit) came from: the REST API, a CSV import, the app, or an assistant through MCP (`client`: its name and version from the MCP handshake). */
export const PostSource = withMeta(
  z.object({
    kind: withMeta(z.enum(SOURCE_KINDS), { description: 'api, csv, app, or mcp (drafted with an assistant)' }),
    client: withMeta(z.optional(z.string()), {
      description: 'The MCP client that drafted it: name and version from its handshake',
      example: 'claude-desktop 1.2.0',
    }),
  }),
  {
    id: 'PostSource',
    description: 'How a post came in: api, csv, app, or mcp (an assistant, named by its MCP client)',
    example: { kind: 'mcp', client: 'claude-desktop 1.2.0' },
  },
);
export type PostSource = z.infer<typeof PostSource>;

/** Whether a post was drafted with an assistant: created or last edited through MCP. */
export function assistantDrafted(p: { source?: PostSource | undefined; editSource?: PostSource | undefined }): boolean {
  return p.source?.kind === 'mcp' || p.editSource?.kind === 'mcp';
}

export const PostApproval = withMeta(
  z.object({
    voiceId: withMeta(z.string(), { description: 'The person (voice) who decided' }),
    at: InstantOut,
    note: z.optional(z.string()),
    enteredBy: withMeta(z.optional(z.string()), {
      description:
        'The API key that entered the decision: the voice’s personal key, or a workspace key acting on its behalf',
    }),
    onBehalf: withMeta(z.optional(z.boolean()), {
      description: 'True when a workspace key entered it on behalf of the voice (the account allows it)',
    }),
  }),
  {
    id: 'PostApproval',
    description: 'One approval or rejection: who decided, when, with what note, and which key entered it',
    example: {
      voiceId: 'vce_01jd8x3k2m9q4r7s0t1v2w3x4z',
      at: '2026-11-23T10:00:00.000Z',
      note: 'Good to go',
      enteredBy: 'key_01jd8x3k2m9q4r7s0t1v2w3x50',
      onBehalf: false,
    },
  },
);

export const Post = withMeta(
  z.object({
    id: z.string(),
    accountId: z.string(),
    voiceId: z.string(),
    text: z.string(),
    media: z.array(Media),
    scheduledAt: InstantOut,
    scheduledLocal: withMeta(z.string(), {
      description: 'scheduledAt in the account time zone',
      example: '2026-12-01T10:30:00+01:00[Europe/Paris]',
    }),
    slot: withMeta(z.boolean(), { description: 'Whether the post fills a cadence slot' }),
    status: PostStatus,
    approvals: z.array(PostApproval),
    rejections: z.optional(z.array(PostApproval)),
    editedBy: z.optional(z.string()),
    source: withMeta(z.optional(PostSource), {
      description: 'How the post came in (absent on posts created before it was recorded)',
    }),
    editSource: withMeta(z.optional(PostSource), { description: 'How its text or media was last changed' }),
    editedAt: withMeta(z.optional(InstantOut), {
      description: 'When the text or media last changed; a new approval round counts from here',
    }),
    publishedAt: z.optional(InstantOut),
    externalUrl: z.optional(z.string()),
    externalId: z.optional(z.string()),
    lateness: withMeta(z.optional(z.number()), { description: 'How late it was published, ms' }),
    failure: withMeta(z.optional(z.string()), { description: 'Why publishing failed' }),
    attempts: withMeta(z.optional(z.number().check(z.int())), { description: 'Publishing attempts so far' }),
    retryAt: withMeta(z.optional(InstantOut), {
      description: 'When the next publishing attempt is due after a retryable failure',
    }),
    lastError: withMeta(z.optional(z.string()), { description: 'The error of the last failed attempt' }),
    awaiting: withMeta(z.optional(z.literal('person')), {
      description: 'A manual-channel post whose reminder went out, waiting to be marked published',
    }),
    outcomeUnknownSince: withMeta(z.optional(InstantOut), {
      description:
        'An attempt was sent but its answer was lost, so the post may already be live: it cannot be edited or canceled until a retry settles the outcome',
    }),
    warnings: withMeta(z.optional(z.array(z.string())), {
      description:
        'Said once, in the answer to the change that caused it: e.g. an edit that needs a new approval before the post is due',
    }),
    recordedBy: withMeta(z.optional(z.object({ keyId: z.string(), voiceId: z.optional(z.string()) })), {
      description: 'A manual publication: the API key that recorded it, and its person for a personal key',
    }),
    createdAt: InstantOut,
    updatedAt: InstantOut,
  }),
  {
    id: 'Post',
    description: 'A post of one account, authored by a voice, due at an instant',
    example: {
      id: 'pst_01jd8x3k2m9q4r7s0t1v2w3x4y',
      accountId: 'acc_01jd8x3k2m9q4r7s0t1v2w3x4y',
      voiceId: 'vce_01jd8x3k2m9q4r7s0t1v2w3x4y',
      text: 'Our autumn blend is back. ☕',
      media: [],
      scheduledAt: '2026-11-25T08:30:00.000Z',
      scheduledLocal: '2026-11-25T09:30:00+01:00[Europe/Paris]',
      slot: true,
      status: 'scheduled',
      approvals: [{ voiceId: 'vce_01jd8x3k2m9q4r7s0t1v2w3x4z', at: '2026-11-23T10:00:00.000Z' }],
      createdAt: '2026-11-23T10:00:00.000Z',
      updatedAt: '2026-11-23T10:00:00.000Z',
    },
  },
);
export type Post = z.infer<typeof Post>;

export const PostListQuery = z.object({
  from: withMeta(z.optional(Instant), { description: 'Posts scheduled at or after this instant' }),
  to: withMeta(z.optional(Instant), { description: 'Posts scheduled before this instant' }),
  status: z.optional(PostStatus),
  limit: z._default(z.coerce.number().check(z.int(), z.minimum(1), z.maximum(200)), 50),
  cursor: z.optional(z.string().check(z.maxLength(1024))),
});
