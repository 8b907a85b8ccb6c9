import * as z from 'zod/mini';
import { DurationUpTo } from './common.js';
import { withMeta } from './with-meta.js';

/** Days of the week as iCalendar writes them (the cadence's BYDAY). */
export const WEEKDAYS = ['MO', 'TU', 'WE', 'TH', 'FR', 'SA', 'SU'] as const;
export type Weekday = (typeof WEEKDAYS)[number];

const LocalTime = withMeta(
  z.string().check(z.regex(/^(?:(?:[01]\d|2[0-3]):[0-5]\d|24:00)$/, 'a local time HH:mm, 00:00 to 24:00')),
  { example: '09:00' },
);

/** The minutes since local midnight of an `HH:mm` (24:00 is 1440). */
export function minutesOf(hhmm: string): number {
  return Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5));
}

export const OpeningSpan = withMeta(
  z
    .strictObject({
      days: z.array(z.enum(WEEKDAYS)).check(z.minLength(1), z.maxLength(7)),
      from: LocalTime,
      to: withMeta(LocalTime, {
        description: 'Later than from on the same day (24:00 for midnight); split a span that crosses midnight in two',
      }),
    })
    .check(
      z.superRefine((v, ctx) => {
        if (minutesOf(v.to) <= minutesOf(v.from))
          ctx.addIssue({ code: 'custom', path: ['to'], message: 'must be later than from (24:00 for midnight)' });
      }),
    ),
  {
    id: 'OpeningSpan',
    description: 'Open from `from` to `to` (local wall-clock times in the account time zone) on each of `days`',
    example: { days: ['MO', 'TU', 'WE', 'TH', 'FR'], from: '09:00', to: '17:00' },
  },
);
export type OpeningSpan = z.infer<typeof OpeningSpan>;

export const OpeningHours = withMeta(z.array(OpeningSpan).check(z.minLength(1), z.maxLength(21)), {
  id: 'OpeningHours',
  description: 'Weekly opening hours in the account time zone; spans may overlap',
  example: [{ days: ['MO', 'TU', 'WE', 'TH', 'FR'], from: '09:00', to: '17:00' }],
});
export type OpeningHours = z.infer<typeof OpeningHours>;

/** The response SLA of inbound items (issue 18): a duration, counted only within the opening hours when they are set. */
export const ResponseSettings = withMeta(
  z.strictObject({
    sla: withMeta(DurationUpTo('P30D'), {
      description: 'How long an item may wait for its answer (at most P30D), counted in opening hours when set',
      example: 'PT2H',
    }),
    hours: z.optional(OpeningHours),
  }),
  {
    id: 'ResponseSettings',
    description:
      'How fast an arriving item should be answered: within `sla`, counting only `hours` (weekly, in the account time zone) when set',
    example: { sla: 'PT2H', hours: [{ days: ['MO', 'TU', 'WE', 'TH', 'FR'], from: '09:00', to: '17:00' }] },
  },
);
export type ResponseSettings = z.infer<typeof ResponseSettings>;
