import {
  durationMs,
  findLapses,
  invalidField,
  isAnswer,
  MAX_CALENDAR_DAYS,
  slotsBetween,
  toLocal,
  toPost,
  WIRE_INSTANT_END_MS,
  type AccountRecord,
  type Calendar,
  type PostRecord,
  type PostStatus,
  type VoiceRecord,
} from '@drumbeat/core';
import type { ServiceDeps } from './deps.js';
import { cadenceSpec } from './slot-claims.js';

/** Statuses of posts that occupy their time: they fill a slot and keep the cadence alive. */
export const LIVE_STATUSES: readonly PostStatus[] = ['pending_approval', 'scheduled', 'publishing', 'published'];

const DAY = 86_400_000;

/** The calendar view: slots filled or empty, posts, gaps and lapses of a window. */
export class CalendarService {
  constructor(private readonly deps: ServiceDeps) {}

  /**
   * Resolves and checks a window: defaults to [now, now + lookahead), the
   * default end at most 92 days after the start and within the years the wire
   * carries (so a client can send it back as its next `from`); an explicit
   * window is at most 92 days. An end that is not an instant is a 400 naming
   * it (a NaN would pass both comparisons below and fail deep in the slot engine).
   */
  window(account: AccountRecord, q: { from?: string | undefined; to?: string | undefined }): { from: Date; to: Date } {
    const from = q.from ? new Date(q.from) : this.deps.clock.now();
    if (!Number.isFinite(from.getTime())) throw invalidField('from', 'must be a valid instant');
    if (from.getTime() >= WIRE_INSTANT_END_MS - 1)
      throw invalidField('from', 'must be before 9999-12-31T23:59:59.999Z');
    const ahead = Math.min(durationMs(account.cadence?.lookahead ?? 'P7D'), MAX_CALENDAR_DAYS * DAY);
    const to = q.to ? new Date(q.to) : new Date(Math.min(from.getTime() + ahead, WIRE_INSTANT_END_MS - 1));
    if (!Number.isFinite(to.getTime())) throw invalidField('to', 'must be a valid instant');
    if (to.getTime() <= from.getTime()) throw invalidField('to', 'must be after from');
    if (to.getTime() - from.getTime() > MAX_CALENDAR_DAYS * DAY)
      throw invalidField('to', `the window is at most ${MAX_CALENDAR_DAYS} days`);
    return { from, to };
  }

  /** The account's calendar for a window. */
  async calendar(
    ws: string,
    accountId: string,
    q: { from?: string | undefined; to?: string | undefined },
  ): Promise<Calendar> {
    const account = await this.deps.store.accounts.get(ws, accountId);
    const { from, to } = this.window(account, q);
    const posts = (await this.deps.store.posts.allInWindow(ws, accountId, from.toISOString(), to.toISOString())).filter(
      (p) => p.status !== 'canceled',
    );
    return this.assemble(account, from, to, posts, await this.lastActivityBefore(account, from));
  }

  /**
   * The calendar with what a feed shows besides: the account and the voices of
   * its posts, and the instant of the latest change (a stable DTSTAMP/ETag).
   * Its gaps start when the cadence was set; `allAhead` adds every post
   * planned after the window.
   */
  async withVoices(
    ws: string,
    accountId: string,
    q: { from?: string | undefined; to?: string | undefined },
    opts: { allAhead?: boolean } = {},
  ) {
    const account = await this.deps.store.accounts.get(ws, accountId);
    const calendar = await this.calendar(ws, accountId, q);
    // A feed's events are the plan: an empty slot from before the cadence was set was never one anyone could fill.
    const setAt = account.cadenceSetAt ?? account.createdAt;
    calendar.gaps = calendar.gaps.filter((g) => g.at >= setAt);
    if (opts.allAhead) {
      // An export of "the calendar" holds every post planned, not only those of the window's slots.
      const later = await this.deps.store.posts.allInWindow(
        ws,
        accountId,
        calendar.to,
        new Date(WIRE_INSTANT_END_MS - 1).toISOString(),
      );
      calendar.posts.push(...later.filter((p) => p.status !== 'canceled').map((p) => toPost(p, account.timezone)));
    }
    const voices = new Map<string, VoiceRecord>();
    for (const id of new Set(calendar.posts.map((p) => p.voiceId))) {
      const v = await this.deps.store.voices.find(ws, id);
      if (v) voices.set(id, v);
    }
    const changed = [account.updatedAt, ...calendar.posts.map((p) => p.updatedAt)].sort().at(-1)!;
    return { account, calendar, voices, changedAt: new Date(changed) };
  }

  /** When the cadence clock runs from at `from`: the last live post before it, or when the cadence was set. */
  async lastActivityBefore(account: AccountRecord, from: Date): Promise<Date> {
    const last = await this.deps.store.posts.lastBefore(
      account.workspaceId,
      account.id,
      from.toISOString(),
      LIVE_STATUSES,
    );
    const set = new Date(account.cadenceSetAt ?? account.createdAt);
    const at = last ? new Date(last.publishedAt ?? last.scheduledAt) : undefined;
    return at && at > set ? at : set;
  }

  /** Builds the view from its parts (pure: the posts of the window and the clock's start). */
  assemble(account: AccountRecord, from: Date, to: Date, posts: PostRecord[], since: Date): Calendar {
    const zone = account.timezone;
    // An answer (a reply through a conversation) is listed, but neither fills a slot nor keeps the cadence alive.
    const live = posts.filter((p) => LIVE_STATUSES.includes(p.status) && !isAnswer(p));
    const byTime = new Map<number, string>();
    for (const p of live) if (!byTime.has(Date.parse(p.scheduledAt))) byTime.set(Date.parse(p.scheduledAt), p.id);
    const slots = slotsBetween(cadenceSpec(account), from, to).map((s) => ({
      at: s.toISOString(),
      local: toLocal(s, zone),
      postId: byTime.get(s.getTime()) ?? null,
    }));
    const activity = live.map((p) => new Date(p.publishedAt ?? p.scheduledAt));
    const lapses = findLapses(
      { ...(account.cadence?.maxGap ? { maxGap: account.cadence.maxGap } : {}) },
      from,
      to,
      activity,
      since,
    );
    return {
      accountId: account.id,
      timezone: zone,
      from: from.toISOString(),
      to: to.toISOString(),
      slots,
      posts: posts.map((p) => toPost(p, zone)),
      gaps: slots.filter((s) => s.postId === null).map(({ at, local }) => ({ at, local })),
      lapses: lapses.map((l) => ({
        from: l.from.toISOString(),
        to: l.to.toISOString(),
        fromLocal: toLocal(l.from, zone),
        toLocal: toLocal(l.to, zone),
      })),
    };
  }
}
