import * as z from 'zod/mini';
import './locale.js';
import { withMeta } from './with-meta.js';
import { canonicalZone, durationMs, parseDurationMs, parseInstant } from '@drumbeat/standards/time';
import { idPattern, type IdKind } from '../ids.js';

/** RFC 3339's date-time (§5.6): a `T`, seconds, an optional fraction, `Z` or a ±HH:MM offset; leap seconds are refused below. */
const RFC3339 = /^\d{4}-\d{2}-\d{2}[Tt]\d{2}:\d{2}:(\d{2})(?:\.\d{1,9})?(?:[Zz]|[+-]\d{2}:\d{2})$/;

/** The first instant past what the wire carries (RFC 3339's years end at 9999). */
export const WIRE_INSTANT_END_MS = Date.UTC(10000, 0, 1);

/**
 * A UTC instant on the wire. Input may carry any offset; it is normalised to `Z`.
 * (A `zod/mini` transform gets the parse payload as its context: a refusal is
 * pushed onto its issues, which is what classic zod's `ctx.addIssue` did.)
 */
export const Instant = withMeta(
  z.pipe(
    z.string(),
    z.transform((s: string, ctx) => {
      const d = parseInstant(s);
      if (!d) {
        ctx.issues.push({
          code: 'custom',
          message: 'must be an ISO 8601 instant with Z or an offset, e.g. 2026-03-02T14:30:00Z',
          input: s,
        });
        return z.NEVER;
      }
      // RFC 3339's years: four digits, and from 0001 to 9999 once in UTC (parseInstant reads Temporal's wider range).
      const year = d.getUTCFullYear();
      if (/^[+-]/.test(s) || year < 1 || d.getTime() >= WIRE_INSTANT_END_MS) {
        ctx.issues.push({
          code: 'custom',
          message: 'must be within the years 0001 to 9999 (four digits, RFC 3339), e.g. 2026-03-02T14:30:00Z',
          input: s,
        });
        return z.NEVER;
      }
      // ISO 8601's other forms (+02, +0200, a space for T) are refused, and so is a leap second (:60), which would silently become :59.
      const rfc = RFC3339.exec(s);
      if (!rfc || rfc[1] === '60') {
        ctx.issues.push({
          code: 'custom',
          message:
            'must be an RFC 3339 instant (a T, seconds, Z or a ±HH:MM offset, no leap second), e.g. 2026-03-02T14:30:00Z',
          input: s,
        });
        return z.NEVER;
      }
      return d.toISOString();
    }),
  ),
  { description: 'UTC instant, ISO 8601', example: '2026-12-01T09:30:00.000Z' },
);

/** An instant as the API returns it. */
export const InstantOut = withMeta(z.string(), {
  description: 'UTC instant, ISO 8601',
  example: '2026-12-01T09:30:00.000Z',
});

/** An IANA time zone, canonicalised ("europe/paris" → "Europe/Paris"). */
/** A BCP 47 language tag, canonicalized (`EN-gb` → `en-GB`), as networks tag posts with it. */
export const Language = withMeta(
  z.pipe(
    z.string().check(z.maxLength(35)),
    z.transform((s: string, ctx) => {
      let tag: string | undefined;
      try {
        tag = Intl.getCanonicalLocales(s)[0];
      } catch {
        tag = undefined;
      }
      if (!tag) {
        ctx.issues.push({ code: 'custom', message: `"${s}" is not a BCP 47 language tag (e.g. fr, en-GB)`, input: s });
        return z.NEVER;
      }
      return tag;
    }),
  ),
  { description: 'BCP 47 language tag', example: 'fr' },
);

export const TimeZone = withMeta(
  z.pipe(
    z.string().check(z.maxLength(64)),
    z.transform((s: string, ctx) => {
      const zone = canonicalZone(s);
      if (!zone) {
        ctx.issues.push({ code: 'custom', message: `"${s}" is not an IANA time zone (e.g. Europe/Paris)`, input: s });
        return z.NEVER;
      }
      return zone;
    }),
  ),
  { description: 'IANA time zone', example: 'Europe/Paris' },
);

/**
 * A positive ISO 8601 duration of fixed length (W, D, H, M, S), at most `max`
 * when given (e.g. P366D), so that what the engine computes from it (slots
 * ahead, windows back) stays bounded.
 */
function durationField(max?: string) {
  const maxMs = max === undefined ? Infinity : durationMs(max);
  return withMeta(
    z.string().check(
      z.maxLength(40),
      z.superRefine((s, ctx) => {
        const r = parseDurationMs(s);
        if ('error' in r) ctx.addIssue({ code: 'custom', message: r.error });
        else if (r.ms > maxMs) ctx.addIssue({ code: 'custom', message: `must be at most ${max}` });
      }),
    ),
    {
      description: `ISO 8601 duration (weeks, days, hours, minutes, seconds)${max === undefined ? '' : `, at most ${max}`}`,
      example: 'PT48H',
    },
  );
}

/** A positive ISO 8601 duration of fixed length (W, D, H, M, S). */
export const Duration = durationField();

/** A Duration of at least `min` and at most `max` (a polling interval: never under a floor that protects the network's rate limits). */
export function DurationBetween(min: string, max: string) {
  const minMs = durationMs(min);
  return withMeta(
    durationField(max).check(
      z.superRefine((s, ctx) => {
        const r = parseDurationMs(s);
        if (!('error' in r) && r.ms < minMs) ctx.addIssue({ code: 'custom', message: `must be at least ${min}` });
      }),
    ),
    { description: `ISO 8601 duration, at least ${min} and at most ${max}`, example: 'PT5M' },
  );
}

/** A Duration of at most `max`. */
export function DurationUpTo(max: string) {
  return durationField(max);
}

/** C0 and C1 controls (NUL, CR, LF, tab, DEL …) and UTF-16 surrogates not in a pair. */
const CONTROL_OR_LONE_SURROGATE =
  /[\u0000-\u001f\u007f-\u009f]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

/**
 * Refuses control characters and lone surrogates in a one-line name or
 * handle: they end up in email headers and bodies, CSV cells and pages (an
 * account named `x\r\nBcc: …` would print a fake header line).
 */
export const noControlChars = z.superRefine((s: string, ctx) => {
  const m = CONTROL_OR_LONE_SURROGATE.exec(s);
  if (m) {
    const code = m[0].charCodeAt(0).toString(16).toUpperCase().padStart(4, '0');
    ctx.addIssue({
      code: 'custom',
      message: `must not contain control characters or lone surrogates (found U+${code} at ${m.index})`,
      input: s,
    });
  }
});

/** A one-line name: trimmed, 1 to `max` characters, no control characters. */
export function NameText(max: number) {
  return z.string().check(z.trim(), z.minLength(1), z.maxLength(max), noControlChars);
}

export const Email = withMeta(z.email().check(z.maxLength(254)), { example: 'anna@acme.example' });

/** A prefixed id of `kind`. */
export function Id(kind: IdKind) {
  return z.string().check(z.regex(idPattern(kind), `must be a ${kind} id`));
}

/** A URL; the egress policy (https, public address) is checked where it is used. */
export const Url = withMeta(z.url({ protocol: /^https?$/ }).check(z.maxLength(2048)), {
  example: 'https://tools.agency.example/hooks/drumbeat',
});

/** Query parameters of every list route. */
export const PageQuery = z.object({
  limit: withMeta(z._default(z.coerce.number().check(z.int(), z.minimum(1), z.maximum(200)), 50), {
    description: 'Page size (1-200)',
  }),
  cursor: withMeta(z.optional(z.string().check(z.maxLength(1024))), { description: 'nextCursor of the previous page' }),
});

/** The envelope of every list response. */
export function Page<T extends z.core.$ZodType>(item: T) {
  return z.object({ items: z.array(item), nextCursor: z.nullable(z.string()) });
}
