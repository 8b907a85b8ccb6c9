import { decide, type Decision, type Guard, type Rule } from '../lifecycle/rule.js';
import type { DecisionRecord, PostRecord } from '../records.js';
import type { PostEffect } from './post-effect.js';

/**
 * A post's review (approval), in one place. A post of an account that
 * requires approval waits in pending_approval; one approval by an allowed
 * voice schedules it, a rejection (a request for changes) is recorded and
 * keeps it pending. Who may decide (never the author or the last editor; the
 * account's approvers when it names them; a personal key only as its own
 * voice) is the approval service's to check: this file is what a decision
 * does to the post.
 *
 * | from             | event                           | guard                                                   | to                                                   | effects                                               | lives in           |
 * |------------------|---------------------------------|---------------------------------------------------------|------------------------------------------------------|-------------------------------------------------------|--------------------|
 * | pending_approval | approve                         | status pending_approval; version = the one read; scheduledAt still ahead | scheduled (the decision appended to approvals) | announce post.approved, watchdog               | here               |
 * | pending_approval | approve (an answer: conversationId) | as approve                                          | scheduled now (scheduledAt = now)                    | arm-timer now, announce post.approved, watchdog       | here               |
 * | pending_approval | reject (request changes)        | as approve                                              | pending_approval (the decision appended to rejections) | announce post.rejected, watchdog                    | here               |
 * | pending_approval, scheduled | edit whose text or media needs a review | version = the one read; no attempt of unknown outcome | pending_approval, approvals reset (REVIEW_AGAIN) | announce post.review_requested, watchdog         | post-lifecycle.ts (edit) |
 * | pending_approval | time passes (its timer fires)   | scheduledAt ≤ now                                       | missed                                               | announce post.missed, reopen-conversation, open-alert, watchdog | post-lifecycle.ts (miss) |
 *
 * The text a decider saw (an action link's postRev, a hash of text and media)
 * is checked by the service on the version read; the write is conditional on
 * that version, so no edit slips in between.
 */

export type ReviewEvent =
  | {
      type: 'approve';
      version: number;
      decision: DecisionRecord;
      /** An answer (issue 18) waited only for this approval: it goes out now. */
      answer: boolean;
    }
  | { type: 'reject'; version: number; decision: DecisionRecord };

/** What an edit that needs a review sets: a new round, with no approval of the old text left standing. */
export const REVIEW_AGAIN = { status: 'pending_approval', approvals: [] } as const;

/** The guards every decision shares, in the order their refusals are reported. */
export const reviewGuards = (version: number, now: string): Guard[] => [
  { field: 'status', eq: 'pending_approval' },
  { field: 'version', eq: version },
  { field: 'scheduledAt', above: now },
];

/** The rule of a decision at `now`: reads no state (the decision is appended, not copied into a list read). */
export function reviewRule(event: ReviewEvent, now: string): Rule<PostEffect> {
  const when = reviewGuards(event.version, now);
  if (event.type === 'reject')
    return {
      when,
      change: { set: { updatedAt: now }, append: { rejections: [event.decision] } },
      effects: [{ do: 'announce', event: 'post.rejected' }, { do: 'watchdog' }],
    };
  return {
    when,
    change: {
      set: { status: 'scheduled', updatedAt: now, ...(event.answer ? { scheduledAt: now } : {}) },
      append: { approvals: [event.decision] },
    },
    effects: [
      ...(event.answer ? [{ do: 'arm-timer', at: now } as const] : []),
      { do: 'announce', event: 'post.approved' },
      { do: 'watchdog' },
    ],
  };
}

/** Decides a decision on a post as read. */
export function decideReview(state: PostRecord, event: ReviewEvent, now: string): Decision<PostRecord, PostEffect> {
  return decide(state, reviewRule(event, now));
}
