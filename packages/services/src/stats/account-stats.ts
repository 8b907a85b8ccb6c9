import { isAnswer, localToInstant, toLocal, type AccountStats, type PostRecord } from '@drumbeat/core';

/** Weeks the stats cover: the current local week and the 11 before it. */
export const STATS_WEEKS = 12;
const DAY = 86_400_000;

/** The instants of local Monday 00:00 of the current week in `zone` and of the `n - 1` weeks before it, oldest first (DST-proof: each is a local midnight). */
export function weekStarts(now: Date, zone: string, n = STATS_WEEKS): Date[] {
  const [y, m, d] = toLocal(now, zone).slice(0, 10).split('-').map(Number) as [number, number, number];
  const today = Date.UTC(y, m - 1, d);
  const monday = today - ((new Date(today).getUTCDay() + 6) % 7) * DAY;
  return Array.from({ length: n }, (_, i) => {
    const date = new Date(monday - (n - 1 - i) * 7 * DAY).toISOString().slice(0, 10);
    return localToInstant(`${date}T00:00`, zone);
  });
}

/** Nearest-rank percentile of ascending values; null when empty. */
export function percentile(sorted: number[], p: number): number | null {
  if (sorted.length === 0) return null;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;
}

/** What the stats are computed from: the posts scheduled since the first week began (and later), the past slots of those weeks, the open alerts. */
export interface StatsInput {
  accountId: string;
  timezone: string;
  now: Date;
  weeks: Date[];
  posts: PostRecord[];
  pastSlots: Date[];
  openAlerts: number;
}

/**
 * An account's publishing health over the last 12 local weeks (pure):
 * publications per week; the longest stretch without one (between
 * publications, and from the last one to now); the streak of past slots,
 * counted back from now, each filled by a published post; and the time from a
 * post's creation (or its last edit, when the record says when) to its first
 * approval, median and p90.
 */
export function accountStats(input: StatsInput): AccountStats {
  const { now, weeks } = input;
  const from = weeks[0]!;
  // Answers (replies through a conversation) are not the cadence's: they count in neither the weeks, the gap nor the streak.
  const cadencePosts = input.posts.filter((p) => !isAnswer(p));
  const published = cadencePosts
    .filter((p) => p.status === 'published' && p.publishedAt)
    .map((p) => Date.parse(p.publishedAt!))
    .filter((t) => t >= from.getTime() && t <= now.getTime())
    .sort((a, b) => a - b);

  const perWeek = weeks.map((start, i) => {
    const end = (weeks[i + 1] ?? new Date(now.getTime() + 1)).getTime();
    return {
      start: start.toISOString(),
      startLocal: toLocal(start, input.timezone),
      published: published.filter((t) => t >= start.getTime() && t < end).length,
    };
  });

  let longestGap: AccountStats['longestGap'] = null;
  const points = [...published, now.getTime()];
  for (let i = 1; i < points.length; i++) {
    const ms = points[i]! - points[i - 1]!;
    if (!longestGap || ms > longestGap.ms)
      longestGap = { ms, from: new Date(points[i - 1]!).toISOString(), to: new Date(points[i]!).toISOString() };
  }

  const filled = new Set(cadencePosts.filter((p) => p.status === 'published').map((p) => Date.parse(p.scheduledAt)));
  let streak = 0;
  for (let i = input.pastSlots.length - 1; i >= 0 && filled.has(input.pastSlots[i]!.getTime()); i--) streak++;

  const waits = input.posts
    .filter((p) => p.approvals.length > 0)
    .map((p) => {
      const first = Math.min(...p.approvals.map((a) => Date.parse(a.at)));
      const editedAt = p.editedAt;
      const base = Date.parse(editedAt && Date.parse(editedAt) <= first ? editedAt : p.createdAt);
      return Math.max(0, first - base);
    })
    .sort((a, b) => a - b);

  return {
    accountId: input.accountId,
    timezone: input.timezone,
    from: from.toISOString(),
    to: now.toISOString(),
    weeks: perWeek,
    longestGap,
    streak: { slots: streak, capped: streak > 0 && streak === input.pastSlots.length },
    timeToApproval: { count: waits.length, medianMs: percentile(waits, 50), p90Ms: percentile(waits, 90) },
    openAlerts: input.openAlerts,
  };
}
