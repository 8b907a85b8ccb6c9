import { Conflict } from '../errors.js';
import type { OutsideReply } from '../ports/conversation-source.js';
import type { ConversationRecord } from './record.js';

/**
 * The life of a conversation, as pure transitions (the store applies each
 * with one conditional write on the version read):
 *
 *   open ──assign──▶ open (assignee set; reassigning is allowed)
 *   open ──answer started──▶ open (answerPostId set: its post is on its way)
 *   open ──answer failed for good──▶ open (answerPostId cleared: awaiting an answer again)
 *   open ──answer published──▶ answered
 *   open ──answered outside drumbeat──▶ answered (outsideAnswer)
 *   open ──dismiss──▶ dismissed (reason)
 *
 * answered and dismissed are final.
 */

const bump = (c: ConversationRecord, now: Date): ConversationRecord => ({
  ...c,
  updatedAt: now.toISOString(),
  version: c.version + 1,
});

function mustBeOpen(c: ConversationRecord, what: string): void {
  if (c.status !== 'open')
    throw new Conflict(`conversation ${c.id} is ${c.status}; only an open conversation can be ${what}`);
}

/** Assigns an open item to a voice (again, if it was assigned). */
export function assigned(
  c: ConversationRecord,
  a: { voiceId: string; note?: string | undefined; by: string },
  now: Date,
): ConversationRecord {
  mustBeOpen(c, 'assigned');
  const next: ConversationRecord = {
    ...bump(c, now),
    assigneeId: a.voiceId,
    assignedAt: now.toISOString(),
    assignedBy: a.by,
  };
  if (a.note) next.assignNote = a.note;
  else delete next.assignNote;
  return next;
}

/** Dismisses an open item that needs no answer; refused once an answer is on its way. */
export function dismissed(c: ConversationRecord, reason: string, now: Date): ConversationRecord {
  mustBeOpen(c, 'dismissed');
  if (c.answerPostId)
    throw new Conflict(
      `conversation ${c.id} is being answered (post ${c.answerPostId}); it can no longer be dismissed`,
    );
  return { ...bump(c, now), status: 'dismissed', dismissReason: reason };
}

/** An answer through drumbeat starts: its post exists. */
export function answerStarted(
  c: ConversationRecord,
  a: { postId: string; voiceId: string },
  now: Date,
): ConversationRecord {
  mustBeOpen(c, 'answered');
  return { ...bump(c, now), answerPostId: a.postId, answeredBy: a.voiceId };
}

/**
 * The answer's post failed for good (or was never published): the item
 * awaits an answer again, and may get another (undefined when nothing
 * changes: another answer, or none, is linked).
 */
export function answerFailed(
  c: ConversationRecord,
  f: { postId: string; reason: string },
  now: Date,
): ConversationRecord | undefined {
  if (c.status !== 'open' || c.answerPostId !== f.postId) return undefined;
  const next: ConversationRecord = {
    ...bump(c, now),
    answerFailures: (c.answerFailures ?? 0) + 1,
    failedAnswer: { postId: f.postId, reason: f.reason.slice(0, 500), at: now.toISOString() },
  };
  delete next.answerPostId;
  delete next.answeredBy;
  return next;
}

/** The answer post was published: the item is answered (undefined when nothing changes). */
export function answerPublished(c: ConversationRecord, at: string, now: Date): ConversationRecord | undefined {
  if (c.status === 'answered') return undefined;
  return { ...bump(c, now), status: 'answered', answeredAt: at };
}

/** Our account replied on the network outside drumbeat: an open item is answered (undefined when nothing changes). */
export function answeredOutside(c: ConversationRecord, r: OutsideReply, now: Date): ConversationRecord | undefined {
  if (c.status !== 'open' || c.answerPostId) return undefined;
  return {
    ...bump(c, now),
    status: 'answered',
    answeredAt: r.at,
    outsideAnswer: { externalId: r.externalId, ...(r.url ? { url: r.url } : {}), at: r.at },
  };
}
