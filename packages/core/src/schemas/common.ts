import { z } from 'zod';
import { parseDurationMs } from '../time/duration.js';
import { canonicalZone } from '../time/zone.js';
import { parseInstant } from '../time/instant.js';
import { idPattern, type IdKind } from '../ids.js';

/** A UTC instant on the wire. Input may carry any offset; it is normalised to `Z`. */
export const Instant = z
  .string()
  .transform((s, ctx) => {
    const d = parseInstant(s);
    if (!d) {
      ctx.addIssue({ code: 'custom', message: 'must be an ISO 8601 instant with Z or an offset, e.g. 2026-03-02T14:30:00Z' });
      return z.NEVER;
    }
    return d.toISOString();
  })
  .meta({ description: 'UTC instant, ISO 8601', example: '2026-12-01T09:30:00.000Z' });

/** An instant as the API returns it. */
export const InstantOut = z.string().meta({ description: 'UTC instant, ISO 8601', example: '2026-12-01T09:30:00.000Z' });

/** An IANA time zone, canonicalised ("europe/paris" → "Europe/Paris"). */
export const TimeZone = z
  .string()
  .max(64)
  .transform((s, ctx) => {
    const zone = canonicalZone(s);
    if (!zone) {
      ctx.addIssue({ code: 'custom', message: `"${s}" is not an IANA time zone (e.g. Europe/Paris)` });
      return z.NEVER;
    }
    return zone;
  })
  .meta({ description: 'IANA time zone', example: 'Europe/Paris' });

/** A positive ISO 8601 duration of fixed length (W, D, H, M, S). */
export const Duration = z
  .string()
  .max(40)
  .superRefine((s, ctx) => {
    const r = parseDurationMs(s);
    if ('error' in r) ctx.addIssue({ code: 'custom', message: r.error });
  })
  .meta({ description: 'ISO 8601 duration (weeks, days, hours, minutes, seconds)', example: 'PT48H' });

export const Email = z.email().max(254).meta({ example: 'anna@acme.example' });

/** A prefixed id of `kind`. */
export function Id(kind: IdKind) {
  return z.string().regex(idPattern(kind), `must be a ${kind} id`);
}

/** A URL; the egress policy (https, public address) is checked where it is used. */
export const Url = z
  .url({ protocol: /^https?$/ })
  .max(2048)
  .meta({ example: 'https://tools.agency.example/hooks/drumbeat' });

/** Query parameters of every list route. */
export const PageQuery = z.object({
  limit: z.coerce.number().int().min(1).max(200).default(50).meta({ description: 'Page size (1-200)' }),
  cursor: z.string().max(1024).optional().meta({ description: 'nextCursor of the previous page' }),
});

/** The envelope of every list response. */
export function Page<T extends z.ZodType>(item: T) {
  return z.object({ items: z.array(item), nextCursor: z.string().nullable() });
}
