import * as z from 'zod/mini';
import { Instant, InstantOut } from './common.js';
import { Post } from './post.js';
import { withMeta } from './with-meta.js';

/** The longest calendar window one request may ask for. */
export const MAX_CALENDAR_DAYS = 92;

export const CalendarQuery = z.object({
  from: withMeta(z.optional(Instant), { description: 'Window start (default: now)' }),
  to: withMeta(z.optional(Instant), {
    description: `Window end, exclusive (default: from + the cadence lookahead, up to ${MAX_CALENDAR_DAYS} days; at most ${MAX_CALENDAR_DAYS} days after from)`,
  }),
});

const LocalInstant = z.object({
  at: InstantOut,
  local: withMeta(z.string(), {
    description: 'The same instant in the account time zone',
    example: '2026-12-02T09:30:00+01:00[Europe/Paris]',
  }),
});

export const Calendar = withMeta(
  z.object({
    accountId: z.string(),
    timezone: z.string(),
    from: InstantOut,
    to: InstantOut,
    slots: withMeta(z.array(z.extend(LocalInstant, { postId: z.nullable(z.string()) })), {
      description: 'Every slot of the window with the post filling it, or null',
    }),
    posts: withMeta(z.array(Post), { description: 'Posts of the window (not canceled), on a slot or not' }),
    gaps: withMeta(z.array(LocalInstant), { description: 'The empty slots' }),
    lapses: withMeta(
      z.array(z.object({ from: InstantOut, to: InstantOut, fromLocal: z.string(), toLocal: z.string() })),
      {
        description: 'Stretches longer than maxGap with nothing scheduled or published',
      },
    ),
  }),
  {
    id: 'Calendar',
    description:
      "An account's calendar for a window: every slot, filled or empty, the posts, the gaps and the lapses, in UTC and local time",
    example: {
      accountId: 'acc_01jd8x3k2m9q4r7s0t1v2w3x4y',
      timezone: 'Europe/Paris',
      from: '2026-11-23T00:00:00.000Z',
      to: '2026-11-26T00:00:00.000Z',
      slots: [
        { at: '2026-11-23T08:30:00.000Z', local: '2026-11-23T09:30:00+01:00[Europe/Paris]', postId: null },
        {
          at: '2026-11-25T08:30:00.000Z',
          local: '2026-11-25T09:30:00+01:00[Europe/Paris]',
          postId: 'pst_01jd8x3k2m9q4r7s0t1v2w3x4y',
        },
      ],
      posts: [],
      gaps: [{ at: '2026-11-23T08:30:00.000Z', local: '2026-11-23T09:30:00+01:00[Europe/Paris]' }],
      lapses: [],
    },
  },
);
export type Calendar = z.infer<typeof Calendar>;
