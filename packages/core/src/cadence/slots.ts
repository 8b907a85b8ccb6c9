/**
 * Slots: the occurrences of an account's cadence rules, as UTC instants.
 *
 * Policy (RFC 5545 §3.3.10, DESIGN.md "Time"):
 * - Every rule is read in the account's IANA zone with DTSTART at local
 *   midnight of the anchor date, 2001-01-01 by default (a Monday, the 1st of a
 *   month and of a year). Results never depend on when you ask or on the
 *   host's TZ: INTERVAL=2 counts days or weeks from the anchor, a rule without
 *   BYHOUR/BYMINUTE/BYSECOND fires at 00:00:00, a WEEKLY rule without BYDAY on
 *   the anchor's weekday, and COUNT counts occurrences from the anchor.
 * - A slot keeps its local wall-clock time across DST changes (09:30 stays 09:30).
 * - An occurrence whose local time does not exist (spring-forward gap) is
 *   SKIPPED, not moved, and does not count towards COUNT.
 * - An occurrence whose local time happens twice (fall-back) is ONE slot, at
 *   the first occurrence.
 * - HOURLY and MINUTELY rules step every INTERVAL hours (minutes) on the
 *   clock from DTSTART, as RFC 5545 computes in local time (and
 *   python-dateutil and libical do): "every two hours" stays on the even
 *   hours in summer and winter; a step whose wall times do not exist is
 *   skipped, a repeated one gives its first occurrence, as for other frequencies.
 * - Rules are RFC 5545 only: RSCALE and SKIP (RFC 7529), other parts, and
 *   the combinations RFC 5545 forbids are refused when a rule is checked
 *   (@drumbeat/standards/rrule). Where RFC 5545 leaves a date open, DTSTART fills it: a
 *   YEARLY BYWEEKNO rule without BYDAY falls on the anchor's weekday. Two
 *   date parts that both expand (YEARLY BYYEARDAY and BYMONTHDAY) must both hold.
 * - UNTIL is inclusive. COUNT counts slots from the anchor (a skipped time
 *   does not count, a repeated local time counts once); pass the account's
 *   own anchor (e.g. the local date its cadence was set) for COUNT to mean
 *   "from then".
 * - Several rules are merged and de-duplicated by instant.
 * - Runaway guards: one call returns at most MAX_SLOTS_PER_CALL (10,000)
 *   slots, the earliest ones; COUNT may not exceed 10,000; a rule giving more
 *   than 1,440 slots a day (one a minute), or whose BYWEEKNO, BYYEARDAY or
 *   BYMONTHDAY never falls in its BYMONTH, is refused when checked. Slots are
 *   looked for within 100 years (10 for HOURLY, 1 for MINUTELY) of a
 *   window's start, and a COUNT rule's of the anchor: beyond, a rule has no
 *   more slots. So the work of a query is bounded by the window (capped so),
 *   never by the years since the anchor: BYSETPOS reads only the slots its
 *   positions reach, and HOURLY and MINUTELY rules jump over the periods
 *   BYHOUR and BYMINUTE drop.
 *
 * Every rule is expanded directly, with a per-zone offset table, visiting
 * only the days (hours, minutes) of the window, never the years since the
 * anchor (packages/standards/src/rrule: DAILY and longer in daily-and-longer.ts,
 * HOURLY and MINUTELY in sub-daily.ts); a COUNT rule is turned once into an UNTIL at its COUNT-th
 * slot. Property tests compare the expansion with rrule-temporal (a
 * test-only oracle; for HOURLY and MINUTELY only where its elapsed-time
 * periods are the clock's) and with ical.js (standards' rrule/ical-differential.test.ts),
 * and rrule/rfc-examples.test.ts there checks RFC 5545's own examples.
 */
import { daysInMonth, epochDay, localToInstant } from '@drumbeat/standards/time';
import { expandRule, prepareRule, rulePlan, type AnchorPoint, type PreparedRule } from '@drumbeat/standards/rrule';
import { DEFAULT_ANCHOR, MAX_SLOTS_PER_CALL } from './limits.js';

/** What slot expansion needs of an account: its RRULEs, its IANA zone and, optionally, the local date its rules start from (YYYY-MM-DD, default 2001-01-01). */
export interface CadenceSpec {
  slots: string[];
  timezone: string;
  anchor?: string;
}

/** Per zone and anchor: where rules start, and each rule prepared (parsed, never expanded). */
interface ZoneAnchor {
  point: AnchorPoint;
  rules: Map<string, PreparedRule>;
}

/** Preparation caches keyed by (zone, anchor) then rule text; they never hold results. */
const prepared = new Map<string, Map<string, ZoneAnchor>>();
let preparedRules = 0;

function zoneAnchor(zone: string, anchor: string): ZoneAnchor {
  let byAnchor = prepared.get(zone);
  if (!byAnchor) prepared.set(zone, (byAnchor = new Map()));
  let za = byAnchor.get(anchor);
  if (!za) {
    const day = anchorDay(anchor);
    // DTSTART is the day's first instant: local midnight, or the end of a gap holding it. (Not read
    // from the shared zone table, which would then cover every year since the anchor.)
    za = { point: { day, ms: localToInstant(`${anchor}T00:00`, zone).getTime() }, rules: new Map() };
    byAnchor.set(anchor, za);
  }
  return za;
}

/** The epoch day number of a date YYYY-MM-DD; throws RangeError when it is not one. */
function anchorDay(anchor: string): number {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(anchor);
  const [y, mo, d] = m ? [+m[1]!, +m[2]!, +m[3]!] : [0, 0, 0];
  if (!(mo >= 1 && mo <= 12 && d >= 1 && d <= daysInMonth(y, mo)))
    throw new RangeError(`anchor "${anchor}" is not a date YYYY-MM-DD`);
  return epochDay(y, mo, d);
}

function prepare(za: ZoneAnchor, zone: string, rule: string): PreparedRule {
  let r = za.rules.get(rule);
  if (!r) {
    r = prepareRule(rulePlan(rule), zone, za.point);
    if (++preparedRules > 50_000) {
      // Bounded memory: drop every prepared rule (anchors are few and stay).
      for (const byAnchor of prepared.values()) for (const z of byAnchor.values()) z.rules.clear();
      preparedRules = 1;
    }
    za.rules.set(rule, r);
  }
  return r;
}

/** The first `limit` slot instants (epoch ms) in [fromMs, toMs), ascending and distinct. */
function collect(spec: CadenceSpec, fromMs: number, toMs: number, limit: number): number[] {
  if (Number.isNaN(fromMs) || Number.isNaN(toMs)) throw new RangeError('slot window bounds must be valid dates');
  limit = Math.min(Math.floor(limit), MAX_SLOTS_PER_CALL);
  if (!(fromMs < toMs) || !(limit > 0) || spec.slots.length === 0) return [];
  const za = zoneAnchor(spec.timezone, spec.anchor ?? DEFAULT_ANCHOR);
  let all: number[] = [];
  for (const rule of spec.slots) {
    const out = distinct(expandRule(prepare(za, spec.timezone, rule), fromMs, toMs, limit));
    all = all.length === 0 ? out : merge(all, out, limit);
  }
  return all;
}

/** `xs` ascending and without repeats (each engine yields them so; this only guards). */
function distinct(xs: number[]): number[] {
  for (let i = 1; i < xs.length; i++) {
    if (!(xs[i - 1]! < xs[i]!)) return [...new Set(xs)].sort((a, b) => a - b);
  }
  return xs;
}

/** The first `limit` of the union of two ascending, distinct lists, ascending and distinct. */
function merge(a: number[], b: number[], limit: number): number[] {
  if (b.length === 0) return a;
  const out: number[] = [];
  let i = 0;
  let j = 0;
  while (out.length < limit && (i < a.length || j < b.length)) {
    const x = i < a.length ? a[i]! : Infinity;
    const y = j < b.length ? b[j]! : Infinity;
    out.push(Math.min(x, y));
    if (x <= y) i++;
    if (y <= x) j++;
  }
  return out;
}

/** Slot instants in [from, to), ascending, de-duplicated across rules (at most 10,000, the earliest). */
export function slotsBetween(spec: CadenceSpec, from: Date, to: Date): Date[] {
  return collect(spec, from.getTime(), to.getTime(), MAX_SLOTS_PER_CALL).map((ms) => new Date(ms));
}

/** Every slot instant in [from, to), ascending, however many (read 10,000 at a time; the caller bounds the window). */
export function everySlotBetween(spec: CadenceSpec, from: Date, to: Date): Date[] {
  const out: Date[] = [];
  for (let start = from.getTime(); ; ) {
    const batch = collect(spec, start, to.getTime(), MAX_SLOTS_PER_CALL);
    for (const ms of batch) out.push(new Date(ms));
    if (batch.length < MAX_SLOTS_PER_CALL) return out;
    start = batch.at(-1)! + 1;
  }
}

/** The first `limit` slot instants strictly after `after` and before `horizon`, ascending (limit capped at 10,000). */
export function slotsAfter(spec: CadenceSpec, after: Date, limit: number, horizon: Date): Date[] {
  return collect(spec, after.getTime() + 1, horizon.getTime(), limit).map((ms) => new Date(ms));
}

/** The slots of `slots` with no instant of `filled` (ms-equal) — the empty slots, in the order given. */
export function emptySlots(slots: Date[], filled: Iterable<Date>): Date[] {
  const taken = new Set<number>();
  for (const d of filled) taken.add(d.getTime());
  return taken.size === 0 ? slots.slice() : slots.filter((s) => !taken.has(s.getTime()));
}
