/**
 * Cadence lapses (DESIGN.md "Words"): no post published for longer than
 * `maxGap`, or fewer than `minPosts.count` publications in a window of
 * `minPosts.per`, counted from the last publication, or from `since` (when the
 * cadence was set) if nothing was published since. Durations are measured on
 * the time line (a day is 24 h), not the wall clock.
 */
import { memoized } from '@drumbeat/standards/memoized';
import { durationMs } from '@drumbeat/standards/time';

/** durationMs, remembered: a policy's few durations are parsed once, not on every call. */
const ms = memoized(durationMs);

/** What a cadence promises about publications. */
export interface LapsePolicy {
  maxGap?: string;
  minPosts?: { count: number; per: string };
}

/** A stretch of time during which the cadence is lapsed: [from, to). */
export interface Lapse {
  from: Date;
  to: Date;
}

/**
 * The instant the cadence lapses given publications so far: min(last
 * publication or `since` + maxGap, the instant the minPosts window would be
 * short). Null when no policy.
 *
 * Publications before `since` do not reset the maxGap clock. minPosts judges
 * the window (t − per, t] only once a whole window has passed since `since`,
 * so it lapses at max(since, the count-th latest publication) + per. The result
 * may be in the past: the cadence is lapsed from then on unless more is published.
 */
export function lapseDeadline(policy: LapsePolicy, since: Date, published: Date[]): Date | null {
  let deadline = Infinity;
  const sinceMs = since.getTime();
  if (policy.maxGap !== undefined) {
    let last = sinceMs;
    for (const p of published) last = Math.max(last, p.getTime());
    deadline = last + ms(policy.maxGap);
  }
  if (policy.minPosts !== undefined) {
    const { count, per } = policy.minPosts;
    const times = published.map((p) => p.getTime()).sort((a, b) => b - a);
    const kth = times[count - 1] ?? -Infinity;
    deadline = Math.min(deadline, Math.max(sinceMs, kth) + ms(per));
  }
  return deadline === Infinity ? null : new Date(deadline);
}

/**
 * Stretches in [from, to) longer than maxGap with no instant in `activity`
 * (published or scheduled posts), counting from `since` (the last activity
 * before `from`, or when the cadence was set).
 *
 * Each lapse runs from the instant the silence exceeds maxGap (last activity +
 * maxGap) to the next activity, or `to`, clipped to [from, to); a silence of
 * exactly maxGap is no lapse. Activity before `since` is ignored; activity
 * between `since` and `from` counts. Empty when there is no maxGap.
 */
export function findLapses(policy: { maxGap?: string }, from: Date, to: Date, activity: Date[], since: Date): Lapse[] {
  if (policy.maxGap === undefined) return [];
  const gap = ms(policy.maxGap);
  const fromMs = from.getTime();
  const toMs = to.getTime();
  const lapses: Lapse[] = [];
  const push = (start: number, end: number) => {
    const a = Math.max(start, fromMs);
    const b = Math.min(end, toMs);
    if (a < b) lapses.push({ from: new Date(a), to: new Date(b) });
  };
  let last = since.getTime();
  for (const t of activity.map((d) => d.getTime()).sort((a, b) => a - b)) {
    if (t <= last) continue;
    if (last >= toMs) break;
    push(last + gap, t);
    last = t;
  }
  push(last + gap, toMs);
  return lapses;
}
