import type { AlertCondition } from './condition.js';
import { humanDuration } from './human-duration.js';

/** An open inbound item with a response deadline, as the SLA sees it. */
export interface OpenItem {
  id: string;
  dueAt: Date;
  receivedAt: Date;
  author: string;
  text: string;
}

/**
 * The overdue answers (issue 18, "Response SLA"): one condition per open item
 * past its deadline, and the earliest deadline still ahead. Pure.
 */
export function checkReplies(
  now: Date,
  sla: string,
  open: OpenItem[],
): { conditions: AlertCondition[]; next: Date | null } {
  const conditions: AlertCondition[] = [];
  let next = Infinity;
  for (const it of open) {
    if (it.dueAt.getTime() > now.getTime()) {
      next = Math.min(next, it.dueAt.getTime());
      continue;
    }
    conditions.push({
      kind: 'reply_overdue',
      conversationId: it.id,
      details: {
        summary: `a question from ${it.author} has waited ${humanDuration(now.getTime() - it.receivedAt.getTime())} for an answer`,
        conversationId: it.id,
        receivedAt: it.receivedAt.toISOString(),
        dueAt: it.dueAt.toISOString(),
        author: it.author,
        text: it.text.length > 280 ? `${it.text.slice(0, 279)}…` : it.text,
        sla,
      },
    });
  }
  return { conditions, next: next === Infinity ? null : new Date(next) };
}
