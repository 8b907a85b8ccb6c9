import { z } from 'zod';
import { Instant, InstantOut } from './common.js';
import { Post } from './post.js';

/** The longest calendar window one request may ask for. */
export const MAX_CALENDAR_DAYS = 92;

export const CalendarQuery = z.object({
  from: Instant.optional().meta({ description: 'Window start (default: now)' }),
  to: Instant.optional().meta({ description: `Window end, exclusive (default: from + the cadence lookahead; at most ${MAX_CALENDAR_DAYS} days after from)` }),
});

const LocalInstant = z.object({
  at: InstantOut,
  local: z.string().meta({ description: 'The same instant in the account time zone', example: '2026-12-02T09:30:00+01:00[Europe/Paris]' }),
});

export const Calendar = z
  .object({
    accountId: z.string(),
    timezone: z.string(),
    from: InstantOut,
    to: InstantOut,
    slots: z.array(LocalInstant.extend({ postId: z.string().nullable() })).meta({ description: 'Every slot of the window with the post filling it, or null' }),
    posts: z.array(Post).meta({ description: 'Posts of the window (not canceled), on a slot or not' }),
    gaps: z.array(LocalInstant).meta({ description: 'The empty slots' }),
    lapses: z
      .array(z.object({ from: InstantOut, to: InstantOut, fromLocal: z.string(), toLocal: z.string() }))
      .meta({ description: 'Stretches longer than maxGap with nothing scheduled or published' }),
  })
  .meta({ id: 'Calendar' });
export type Calendar = z.infer<typeof Calendar>;
