import type { PostRecord } from '../records.js';
import { toLocal } from '@drumbeat/standards/time';
import type { AlertCondition } from './condition.js';
import { humanDuration } from './human-duration.js';

/** A post waiting for approval, as the SLA sees it. */
export interface PendingPost {
  id: string;
  since: Date;
  scheduledAt: Date;
}

/**
 * When a pending post's approval round started: its last edit (`editedAt`
 * when the record carries it; else `updatedAt` once it has been edited, which
 * a later reschedule or rejection also moves), or its creation.
 */
export function pendingSince(p: PostRecord): Date {
  const editedAt = (p as PostRecord & { editedAt?: string }).editedAt;
  return new Date(editedAt ?? (p.editedBy ? p.updatedAt : p.createdAt));
}

/** When a pending post becomes overdue: `sla` after its round started, or `sla` before its time, whichever is first. */
export function overdueAt(p: PendingPost, slaMs: number): Date {
  return new Date(Math.min(p.since.getTime() + slaMs, p.scheduledAt.getTime() - slaMs));
}

/**
 * The overdue approvals (issue 5, "Approval SLA"): one condition per pending
 * post past its overdue instant, and the earliest overdue instant still ahead.
 */
export function checkApprovals(
  now: Date,
  sla: string,
  slaMs: number,
  pending: PendingPost[],
  timezone: string,
): { conditions: AlertCondition[]; next: Date | null } {
  const conditions: AlertCondition[] = [];
  let next = Infinity;
  for (const p of pending) {
    const due = overdueAt(p, slaMs);
    if (due.getTime() > now.getTime()) {
      next = Math.min(next, due.getTime());
      continue;
    }
    const late = p.since.getTime() + slaMs <= now.getTime();
    conditions.push({
      kind: 'approval_overdue',
      postId: p.id,
      details: {
        summary: late
          ? `a post has waited ${humanDuration(now.getTime() - p.since.getTime())} for approval`
          : `a post due in ${humanDuration(Math.max(0, p.scheduledAt.getTime() - now.getTime()))} still awaits approval`,
        postId: p.id,
        scheduledAt: p.scheduledAt.toISOString(),
        scheduledLocal: toLocal(p.scheduledAt, timezone),
        pendingSince: p.since.toISOString(),
        overdueAt: due.toISOString(),
        sla,
      },
    });
  }
  return { conditions, next: next === Infinity ? null : new Date(next) };
}
