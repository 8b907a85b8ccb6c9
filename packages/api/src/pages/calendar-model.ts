import * as z from 'zod/mini';
import {
  localToInstant,
  NotFound,
  slotsAfter,
  toLocal,
  type Account,
  type AccountRecord,
  type Affiliation,
  type Calendar,
  type Post,
} from '@drumbeat/core';
import { postRev, type Principal, type Services } from '@drumbeat/services';
import { throwValidationError } from '../validation-error.js';
import {
  addDays,
  calendarRange,
  isLocalDate,
  weekdayIndex,
  type CalendarRange,
  type CalendarViewKind,
} from './calendar-range.js';

/** The query of the calendar page: `?view=week|month&date=YYYY-MM-DD`. */
export const CalendarPageQuery = z.object({
  view: z._default(z.enum(['week', 'month']), 'week'),
  date: z.optional(z.string().check(z.refine(isLocalDate, 'must be a date YYYY-MM-DD'))),
  /** What a form of the page just did (after its redirect), said at the top. */
  done: z.optional(z.enum(['approved', 'changes', 'rescheduled', 'canceled'])),
});

/**
 * What the signed-in person may do to one post from its card: decide on it
 * (a personal approver or owner key that may approve it, never its author or
 * last editor), or move and cancel it (an editor or owner, scheduled posts).
 * The forms carry the version they were drawn for: a change since is a 409.
 */
export interface PostActions {
  decide?: { rev: string };
  edit?: { version: number; localAt: string };
}

/** The author or approver of a post as the page names them. */
export interface VoiceBadge {
  name: string;
  affiliation: Affiliation;
  organization?: string | undefined;
  /** The voice's sign-off, so a card counts the text as it will be published. */
  signature?: string | undefined;
}

/** One thing on a day: a post (on its slot or off any slot) or an empty slot. */
export type DayItem =
  | { kind: 'post'; at: string; time: string; post: Post; onSlot: boolean }
  | { kind: 'gap'; at: string; time: string; past: boolean };

/** One day of the grid. */
export interface CalendarDay {
  date: string;
  today: boolean;
  /** False for the days of the neighbouring months a month view shows to complete its weeks. */
  inMonth: boolean;
  /** Whether part of the day falls in a cadence lapse. */
  lapse: boolean;
  items: DayItem[];
}

/** Everything the calendar page shows. */
export interface CalendarModel {
  account: Account;
  range: CalendarRange;
  today: string;
  /** Set when no date was asked and this week has no slot left: the week view opened on the next slot's day instead. */
  openedOnNextSlot?: string;
  days: CalendarDay[];
  voices: Map<string, VoiceBadge>;
  /** Lapses of the window; `ongoing` when one runs past the window's end. */
  lapses: { fromLocal: string; toLocal: string; ongoing: boolean }[];
  counts: { slots: number; filled: number; empty: number; posts: number };
  /** The forms each post's card shows, by post id (none for a viewer). */
  actions: Map<string, PostActions>;
  done?: 'approved' | 'changes' | 'rescheduled' | 'canceled' | undefined;
}

/** The forms the principal gets on each post still ahead: Approve / Request changes, Reschedule / Cancel. */
async function actionsFor(
  services: Services,
  principal: Principal,
  accountId: string,
  posts: Post[],
  now: Date,
): Promise<Map<string, PostActions>> {
  const out = new Map<string, PostActions>();
  const ws = principal.workspaceId;
  const me = principal.voiceId;
  const decides = me !== undefined && (principal.role === 'approver' || principal.role === 'owner');
  const edits = principal.role === 'editor' || principal.role === 'owner';
  let account: AccountRecord | undefined;
  for (const p of posts) {
    if (Date.parse(p.scheduledAt) <= now.getTime()) continue;
    if (decides && p.status === 'pending_approval') {
      const record = await services.posts.record(ws, p.id);
      account ??= await services.accounts.record(ws, accountId);
      if (await services.actionLinks.mayReview(account, record, me))
        out.set(p.id, { decide: { rev: postRev(record) } });
    } else if (edits && p.status === 'scheduled') {
      const record = await services.posts.record(ws, p.id);
      out.set(p.id, { edit: { version: record.version, localAt: p.scheduledLocal.slice(0, 16) } });
    }
  }
  return out;
}

/** "HH:MM" of a local ISO string such as 2026-11-23T09:30:00+01:00[Europe/Paris]. */
export const localTime = (local: string) => local.slice(11, 16);
/** "YYYY-MM-DD" of a local ISO string. */
export const localDate = (local: string) => local.slice(0, 10);

/**
 * Lays a calendar window out by local day (pure): each slot filled by its post
 * or shown as a gap, posts off any slot at their time, days touched by a lapse
 * marked. `dayStarts` holds the instant each day begins and, last, the end.
 */
export function layOutDays(
  cal: Calendar,
  range: CalendarRange,
  dayStarts: number[],
  now: Date,
  today: string,
): CalendarDay[] {
  const posts = new Map(cal.posts.map((p) => [p.id, p]));
  const onSlot = new Set<string>();
  const byDate = new Map<string, DayItem[]>(range.days.map((d) => [d, []]));
  const add = (date: string, item: DayItem) => byDate.get(date)?.push(item);
  for (const s of cal.slots) {
    const post = s.postId ? posts.get(s.postId) : undefined;
    if (post) {
      onSlot.add(post.id);
      add(localDate(s.local), { kind: 'post', at: s.at, time: localTime(s.local), post, onSlot: true });
    } else {
      add(localDate(s.local), {
        kind: 'gap',
        at: s.at,
        time: localTime(s.local),
        past: Date.parse(s.at) <= now.getTime(),
      });
    }
  }
  for (const p of cal.posts) {
    if (!onSlot.has(p.id))
      add(localDate(p.scheduledLocal), {
        kind: 'post',
        at: p.scheduledAt,
        time: localTime(p.scheduledLocal),
        post: p,
        onSlot: false,
      });
  }
  const lapses = cal.lapses.map((l) => [Date.parse(l.from), Date.parse(l.to)] as const);
  return range.days.map((date, i) => {
    const [start, end] = [dayStarts[i]!, dayStarts[i + 1]!];
    return {
      date,
      today: date === today,
      inMonth: range.month === undefined || date.startsWith(range.month),
      lapse: lapses.some(([from, to]) => from < end && to > start),
      items: byDate.get(date)!.sort((a, b) => Date.parse(a.at) - Date.parse(b.at) || (a.kind === 'post' ? -1 : 1)),
    };
  });
}

/** The voices a calendar names (authors, approvers, rejecters), each read once; an unknown one is left out. */
async function voicesOf(services: Services, ws: string, cal: Calendar): Promise<Map<string, VoiceBadge>> {
  const ids = new Set<string>();
  for (const p of cal.posts) {
    ids.add(p.voiceId);
    for (const a of [...p.approvals, ...(p.rejections ?? [])]) ids.add(a.voiceId);
  }
  const found = await Promise.all(
    [...ids].map(async (id) => {
      try {
        const v = await services.voices.get(ws, id);
        return [
          id,
          { name: v.name, affiliation: v.affiliation, organization: v.organization, signature: v.signature },
        ] as const;
      } catch (err) {
        if (err instanceof NotFound) return undefined;
        throw err;
      }
    }),
  );
  return new Map(found.filter((v) => v !== undefined));
}

/** How far ahead the week view looks for the next slot when this week's are over. */
const NEXT_SLOT_HORIZON_MS = 366 * 86_400_000;

/**
 * The local day of the account's next slot when it falls after this week
 * (the caller has seen no slot and no post ahead this week), so the week view
 * opens where the next post goes; undefined when none comes within a year.
 */
function weekOverNextSlotDay(account: Account, today: string, now: Date): string | undefined {
  if (!account.cadence?.slots.length) return undefined;
  const spec = { slots: account.cadence.slots, timezone: account.timezone };
  const next = slotsAfter(spec, new Date(now.getTime() - 1), 1, new Date(now.getTime() + NEXT_SLOT_HORIZON_MS))[0];
  if (!next) return undefined;
  const weekEnd = localToInstant(`${addDays(today, 7 - weekdayIndex(today))}T00:00`, account.timezone);
  return next.getTime() >= weekEnd.getTime() ? localDate(toLocal(next, account.timezone)) : undefined;
}

/** Reads what the calendar page of an account shows for a view and date (default: this week, in the account's zone). */
export async function loadCalendarPage(
  services: Services,
  principal: Principal,
  accountId: string,
  query: Record<string, string>,
): Promise<CalendarModel> {
  const parsed = z.safeParse(CalendarPageQuery, query);
  if (!parsed.success) throwValidationError('query', parsed.error, query);
  const ws = principal.workspaceId;
  const account = await services.accounts.get(ws, accountId);
  const zone = account.timezone;
  const now = services.deps.clock.now();
  const today = localDate(toLocal(now, zone));
  const view = parsed.data.view as CalendarViewKind;
  const window = async (date: string) => {
    const range = calendarRange(view, date);
    const dayStarts = [...range.days, range.end].map((d) => localToInstant(`${d}T00:00`, zone).getTime());
    const cal = await services.calendar.calendar(ws, accountId, {
      from: new Date(dayStarts[0]!).toISOString(),
      to: new Date(dayStarts.at(-1)!).toISOString(),
    });
    return { range, dayStarts, cal };
  };
  let { range, dayStarts, cal } = await window(parsed.data.date ?? today);
  // This week over (no slot and no post ahead in it): open on the week of the next slot instead.
  const ahead = (iso: string) => new Date(iso).getTime() >= now.getTime();
  let nextSlotDay: string | undefined;
  if (
    !parsed.data.date &&
    view === 'week' &&
    !cal.slots.some((x) => ahead(x.at)) &&
    !cal.posts.some((p) => ahead(p.scheduledAt))
  ) {
    nextSlotDay = weekOverNextSlotDay(account, today, now);
    if (nextSlotDay) ({ range, dayStarts, cal } = await window(nextSlotDay));
  }
  const filled = cal.slots.filter((s) => s.postId !== null).length;
  return {
    account,
    range,
    today,
    ...(nextSlotDay ? { openedOnNextSlot: nextSlotDay } : {}),
    days: layOutDays(cal, range, dayStarts, now, today),
    voices: await voicesOf(services, ws, cal),
    lapses: cal.lapses.map((l) => ({ fromLocal: l.fromLocal, toLocal: l.toLocal, ongoing: l.to === cal.to })),
    counts: { slots: cal.slots.length, filled, empty: cal.slots.length - filled, posts: cal.posts.length },
    actions: await actionsFor(services, principal, accountId, cal.posts, now),
    done: parsed.data.done,
  };
}
