import { z } from 'zod';
import { Id, Instant, InstantOut, Url } from './common.js';

export const POST_STATUSES = ['pending_approval', 'scheduled', 'publishing', 'published', 'failed', 'canceled', 'missed'] as const;
export const PostStatus = z.enum(POST_STATUSES).meta({
  description: 'pending_approval → scheduled → publishing → published | failed; also canceled, missed (its time passed while awaiting approval)',
});
export type PostStatus = z.infer<typeof PostStatus>;

/** Statuses in which a post may still be edited, rescheduled or canceled. */
export const EDITABLE_STATUSES: readonly PostStatus[] = ['pending_approval', 'scheduled'];

export const Media = z.strictObject({
  url: Url.meta({ example: 'https://cdn.acme.example/launch.jpg' }),
  alt: z.string().max(1500).optional().meta({ description: 'Alternative text' }),
});
export type Media = z.infer<typeof Media>;

const text = z.string().min(1).max(10_000).meta({ example: 'Our autumn blend is back. ☕' });
const when = {
  at: Instant.optional().meta({ description: 'An explicit future instant' }),
  slot: z.literal('next').optional().meta({ description: 'Take the earliest future slot with no post' }),
};

export const PostCreate = z
  .strictObject({
    text,
    media: z.array(Media).max(4).default([]),
    voiceId: Id('voice').meta({ description: 'The author voice' }),
    ...when,
  })
  .superRefine((v, ctx) => {
    if ((v.at === undefined) === (v.slot === undefined)) {
      ctx.addIssue({ code: 'custom', path: ['at'], message: 'give exactly one of at (an instant) or slot: "next"' });
    }
  })
  .meta({
    id: 'PostCreate',
    description: 'A new post: its text, media and author voice, at an explicit instant or in the next free slot',
    example: { text: 'Our autumn blend is back. ☕', voiceId: 'vce_01jd8x3k2m9q4r7s0t1v2w3x4y', slot: 'next' },
  });
export type PostCreate = z.infer<typeof PostCreate>;

export const PostPatch = z
  .strictObject({
    text: text.optional(),
    media: z.array(Media).max(4).optional(),
    ...when,
    editorVoiceId: Id('voice').optional().meta({ description: 'The voice making the edit (recorded; defaults to the author)' }),
  })
  .superRefine((v, ctx) => {
    if (v.at !== undefined && v.slot !== undefined) ctx.addIssue({ code: 'custom', path: ['at'], message: 'give at or slot, not both' });
  })
  .meta({ id: 'PostPatch', description: 'Edit or reschedule a post before it is published', example: { text: 'Our autumn blend is back, now in 250 g bags. ☕', at: '2026-12-02T08:30:00.000Z' } });
export type PostPatch = z.infer<typeof PostPatch>;

export const PostApproval = z.object({ voiceId: z.string(), at: InstantOut, note: z.string().optional() }).meta({ id: 'PostApproval', description: 'One approval or rejection: who decided, when, with what note', example: { voiceId: 'vce_01jd8x3k2m9q4r7s0t1v2w3x4z', at: '2026-11-23T10:00:00.000Z', note: 'Good to go' } });

export const Post = z
  .object({
    id: z.string(),
    accountId: z.string(),
    voiceId: z.string(),
    text: z.string(),
    media: z.array(Media),
    scheduledAt: InstantOut,
    scheduledLocal: z.string().meta({ description: 'scheduledAt in the account time zone', example: '2026-12-01T10:30:00+01:00[Europe/Paris]' }),
    slot: z.boolean().meta({ description: 'Whether the post fills a cadence slot' }),
    status: PostStatus,
    approvals: z.array(PostApproval),
    rejections: z.array(PostApproval).optional(),
    editedBy: z.string().optional(),
    publishedAt: InstantOut.optional(),
    externalUrl: z.string().optional(),
    externalId: z.string().optional(),
    lateness: z.number().optional().meta({ description: 'How late it was published, ms' }),
    failure: z.string().optional().meta({ description: 'Why publishing failed' }),
    attempts: z.number().int().optional().meta({ description: 'Publishing attempts so far' }),
    retryAt: InstantOut.optional().meta({ description: 'When the next publishing attempt is due after a retryable failure' }),
    lastError: z.string().optional().meta({ description: 'The error of the last failed attempt' }),
    awaiting: z.literal('person').optional().meta({ description: 'A manual-channel post whose reminder went out, waiting to be marked published' }),
    createdAt: InstantOut,
    updatedAt: InstantOut,
  })
  .meta({
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
  });
export type Post = z.infer<typeof Post>;

export const PostListQuery = z.object({
  from: Instant.optional().meta({ description: 'Posts scheduled at or after this instant' }),
  to: Instant.optional().meta({ description: 'Posts scheduled before this instant' }),
  status: PostStatus.optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  cursor: z.string().max(1024).optional(),
});
