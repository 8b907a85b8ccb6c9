import { lapseDeadline, type LapsePolicy } from '../cadence/lapses.js';
import { durationMs } from '@drumbeat/standards/time';
import type { AlertCondition } from './condition.js';
import { humanDuration } from './human-duration.js';

/** What the lapse check needs: the policy, when the cadence was set, and the publications known (at least the latest, and those of the last minPosts.per). */
export interface LapseInput {
  now: Date;
  policy: LapsePolicy;
  since: Date;
  publications: Date[];
}

/**
 * Whether the cadence is lapsed now (DESIGN.md "cadence lapse", as
 * `lapseDeadline` counts it) and, if not, when it will be unless something is
 * published. A lapse clears only by a publication, so a lapsed cadence needs
 * no timer: the publication re-arms the watchdog.
 */
export function checkLapse(input: LapseInput): { condition?: AlertCondition; next: Date | null } {
  const { now, policy, since } = input;
  const deadline = lapseDeadline(policy, since, input.publications);
  if (!deadline) return { next: null };
  if (deadline.getTime() > now.getTime()) return { next: deadline };

  const counted = input.publications.filter((p) => p.getTime() >= since.getTime()).map((p) => p.getTime());
  const last = counted.length ? Math.max(...counted) : undefined;
  const silentSince = new Date(last ?? since.getTime());
  const gapDeadline = policy.maxGap !== undefined ? silentSince.getTime() + durationMs(policy.maxGap) : Infinity;
  const byGap = gapDeadline <= now.getTime() && gapDeadline <= deadline.getTime();
  const base = {
    lastPublishedAt: last !== undefined ? new Date(last).toISOString() : null,
    silentSince: silentSince.toISOString(),
    lapsedAt: deadline.toISOString(),
    ...(policy.maxGap !== undefined ? { maxGap: policy.maxGap } : {}),
    ...(policy.minPosts !== undefined ? { minPosts: policy.minPosts } : {}),
  };
  if (byGap || !policy.minPosts) {
    const silence = humanDuration(now.getTime() - silentSince.getTime());
    return lapsed({
      ...base,
      reason: 'max_gap',
      summary: last !== undefined ? `no post for ${silence}` : `no post for ${silence} since the cadence was set`,
    });
  }
  const per = durationMs(policy.minPosts.per);
  const inWindow = input.publications.filter(
    (p) => p.getTime() > now.getTime() - per && p.getTime() <= now.getTime(),
  ).length;
  return lapsed({
    ...base,
    reason: 'min_posts',
    publishedInWindow: inWindow,
    summary: `${inWindow} post${inWindow === 1 ? '' : 's'} in ${humanDuration(per)}, fewer than ${policy.minPosts.count}`,
  });
}

/** A lapsed cadence: the alert condition, and no timer (a publication re-arms the watchdog). */
function lapsed(details: AlertCondition['details']): { condition: AlertCondition; next: null } {
  return { next: null, condition: { kind: 'cadence_lapsed', details } };
}
