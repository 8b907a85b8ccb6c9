import * as z from 'zod/mini';
import { Post, PostListQuery } from './post.js';
import { withMeta } from './with-meta.js';

/** A query flag: `true` or `false` (absent: false). */
const flag = (description: string) => withMeta(z.optional(z.enum(['true', 'false'])), { description });

export const ImportQuery = z.strictObject({
  shareSlots: flag('true: a row may plan a post at a slot instant another live post already fills (refused otherwise)'),
});

export const ImportReport = withMeta(
  z.object({
    row: z.int(),
    outcome: withMeta(z.enum(['duplicate', 'unchanged', 'skipped']), {
      description:
        'duplicate: a live post of the account has this text at this time; unchanged: the post the row id names already says this (or went out); skipped: a published, failed or missed row (history is not imported)',
    }),
    postId: z.optional(z.string()),
    reason: z.string(),
  }),
  {
    id: 'ImportReport',
    description: 'A row that created and changed nothing, and why',
    example: {
      row: 3,
      outcome: 'duplicate',
      postId: 'pst_01jd8x3k2m9q4r7s0t1v2w3x4y',
      reason: 'post pst_01jd8x3k2m9q4r7s0t1v2w3x4y already has this text at this time',
    },
  },
);

export const ImportResult = withMeta(
  z.object({
    created: z.int(),
    updated: withMeta(z.int(), { description: 'Posts changed (or canceled) by a row whose id names them' }),
    unchanged: z.int(),
    posts: withMeta(z.array(Post), { description: 'The posts created or updated, in row order' }),
    report: z.array(ImportReport),
  }),
  {
    id: 'ImportResult',
    description: 'What an import did',
    example: {
      created: 0,
      updated: 0,
      unchanged: 0,
      posts: [],
      report: [
        {
          row: 2,
          outcome: 'duplicate',
          postId: 'pst_01jd8x3k2m9q4r7s0t1v2w3x4y',
          reason: 'post pst_01jd8x3k2m9q4r7s0t1v2w3x4y already has this text at this time',
        },
      ],
    },
  },
);

export const ExportQuery = z.extend(z.pick(PostListQuery, { from: true, to: true, status: true }), {
  bom: flag(
    'true: start the file with a UTF-8 byte order mark (for spreadsheets that otherwise guess another encoding)',
  ),
});
