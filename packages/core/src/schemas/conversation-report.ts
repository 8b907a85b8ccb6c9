import * as z from 'zod/mini';
import { Instant, InstantOut } from './common.js';
import { AFFILIATIONS } from './voice.js';
import { CONVERSATION_STATUSES } from './conversation.js';
import { withMeta } from './with-meta.js';

/** The range of a conversation report; the defaults (the last 90 days) and the range checks need the clock, so the service applies them. */
export const ConversationReportQuery = z.object({
  from: withMeta(z.optional(Instant), {
    description: 'Start of the range (items received at or after it); default: 90 days before `to`',
  }),
  to: withMeta(z.optional(Instant), {
    description: 'End of the range (items received before it); default: now. At most 366 days after `from`',
  }),
});

const ms = (description: string) => withMeta(z.nullable(z.number()), { description: `${description} (milliseconds)` });

export const ConversationReport = withMeta(
  z.object({
    from: InstantOut,
    to: InstantOut,
    timezone: withMeta(z.string(), { description: "The account's zone: weeks are its ISO weeks" }),
    countedIn: withMeta(z.enum(['opening_hours', 'elapsed']), {
      description:
        'Waits count only the opening hours when the account sets them (`responses.hours`), else all elapsed time',
    }),
    received: z.number(),
    answered: z.number(),
    dismissed: z.number(),
    unanswered: withMeta(z.number(), { description: 'Items of the range still open' }),
    weeks: withMeta(
      z.array(
        z.object({
          week: withMeta(z.string(), { example: '2026-W49' }),
          start: withMeta(z.string(), { description: 'The Monday, local date', example: '2026-11-30' }),
          received: z.number(),
          answered: z.number(),
          dismissed: z.number(),
          unanswered: z.number(),
        }),
      ),
      { description: 'Every ISO week of the range, empty ones included, by when the items were received' },
    ),
    firstResponse: z.object({
      count: z.number(),
      medianMs: ms('Median first-response time'),
      p90Ms: ms('90th percentile (nearest rank)'),
    }),
    sla: withMeta(
      z.nullable(
        z.object({ sla: z.string(), judged: z.number(), withinSla: z.number(), share: z.nullable(z.number()) }),
      ),
      {
        description:
          'Null without `responses`. Judged: the answered items and the open ones already past the SLA; share = withinSla / judged',
      },
    ),
    answersByVoice: z.array(
      z.object({
        voiceId: z.string(),
        name: z.nullable(z.string()),
        affiliation: z.nullable(z.enum(AFFILIATIONS)),
        answers: z.number(),
      }),
    ),
    answersByAffiliation: withMeta(
      z.array(z.object({ affiliation: z.enum([...AFFILIATIONS, 'outside_drumbeat', 'unknown']), answers: z.number() })),
      {
        description: '`outside_drumbeat`: answered by the account on the network, not through drumbeat',
      },
    ),
    longestWaits: withMeta(
      z.array(
        z.object({
          conversationId: z.string(),
          author: z.object({ handle: z.string(), displayName: z.optional(z.string()) }),
          text: z.string(),
          receivedAt: InstantOut,
          status: z.enum(CONVERSATION_STATUSES),
          answeredAt: z.nullable(InstantOut),
          waitMs: z.number(),
        }),
      ),
      { description: 'The five longest waits (an open item waits until now), dismissed items aside' },
    ),
  }),
  {
    id: 'ConversationReport',
    description: 'How fast an account answers over a range (issue 18)',
    example: {
      from: '2026-11-30T00:00:00.000Z',
      to: '2026-12-14T00:00:00.000Z',
      timezone: 'Europe/Paris',
      countedIn: 'opening_hours',
      received: 7,
      answered: 4,
      dismissed: 1,
      unanswered: 2,
      weeks: [
        { week: '2026-W49', start: '2026-11-30', received: 3, answered: 3, dismissed: 0, unanswered: 0 },
        { week: '2026-W50', start: '2026-12-07', received: 4, answered: 1, dismissed: 1, unanswered: 2 },
      ],
      firstResponse: { count: 4, medianMs: 5_400_000, p90Ms: 10_800_000 },
      sla: { sla: 'PT2H', judged: 5, withinSla: 3, share: 0.6 },
      answersByVoice: [
        { voiceId: 'vce_01jd8x3k2m9q4r7s0t1v2w3x4z', name: 'Anna Bell', affiliation: 'agency', answers: 2 },
      ],
      answersByAffiliation: [
        { affiliation: 'agency', answers: 2 },
        { affiliation: 'outside_drumbeat', answers: 1 },
      ],
      longestWaits: [
        {
          conversationId: 'cnv_01jd8x3k2m9q4r7s0t1v2w3x4y',
          author: { handle: '@jo@mastodon.social', displayName: 'Jo' },
          text: '@acme are you hiring?',
          receivedAt: '2026-12-09T08:00:00.000Z',
          status: 'open',
          answeredAt: null,
          waitMs: 39_600_000,
        },
      ],
    },
  },
);
export type ConversationReport = z.infer<typeof ConversationReport>;
