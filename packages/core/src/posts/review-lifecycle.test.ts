import { describe, expect, it } from 'vitest';
import type { DecisionRecord, PostRecord } from '../records.js';
import { decidePost } from './post-lifecycle.js';
import { decideReview, reviewRule, type ReviewEvent } from './review-lifecycle.js';
import { testPost } from './test-post.js';

const T0 = '2026-05-01T10:00:00.000Z';
const LATER = '2026-05-01T11:00:00.000Z';

const pending = (over: Partial<PostRecord> = {}): PostRecord =>
  testPost({ scheduledAt: LATER, status: 'pending_approval', createdAt: T0, updatedAt: T0, ...over });

const decision: DecisionRecord = { voiceId: 'vce_2', at: T0, enteredBy: 'key_2', onBehalf: false };
const approve: ReviewEvent = { type: 'approve', version: 1, decision, answer: false };
const reject: ReviewEvent = { type: 'reject', version: 1, decision: { ...decision, note: 'tone it down' } };

describe('review lifecycle (machine alone, no engine)', () => {
  it('pending_approval —approve→ scheduled, the decision (who decided, which key, on whose behalf) appended', () => {
    const d = decideReview(pending(), approve, T0);
    expect(d.ok && d.next).toMatchObject({
      status: 'scheduled',
      approvals: [decision],
      scheduledAt: LATER,
      version: 2,
    });
    expect(d.ok && d.effects).toEqual([{ do: 'announce', event: 'post.approved' }, { do: 'watchdog' }]);
  });

  it('an approved answer (a post with conversationId) is scheduled now and its timer armed at once', () => {
    const d = decideReview(pending({ conversationId: 'cnv_1' }), { ...approve, answer: true }, T0);
    expect(d.ok && d.next).toMatchObject({ status: 'scheduled', scheduledAt: T0 });
    expect(d.ok && d.effects).toEqual([
      { do: 'arm-timer', at: T0 },
      { do: 'announce', event: 'post.approved' },
      { do: 'watchdog' },
    ]);
  });

  it('pending_approval —reject→ pending_approval, the request for changes recorded after earlier ones', () => {
    const earlier = { ...decision, voiceId: 'vce_3' };
    const d = decideReview(pending({ rejections: [earlier] }), reject, T0);
    expect(d.ok && d.next).toMatchObject({ status: 'pending_approval', rejections: [earlier, reject.decision] });
    expect(d.ok && d.effects).toEqual([{ do: 'announce', event: 'post.rejected' }, { do: 'watchdog' }]);
  });

  it('a decision is refused on a post not pending, on another version, and once its time has come', () => {
    for (const e of [approve, reject]) {
      const refused = (p: PostRecord) => {
        const d = decideReview(p, e, T0);
        return d.ok ? undefined : d.refused;
      };
      expect(refused(pending({ status: 'scheduled' }))).toEqual({ field: 'status', eq: 'pending_approval' });
      expect(refused(pending({ version: 2 }))).toEqual({ field: 'version', eq: 1 });
      expect(refused(pending({ scheduledAt: T0 }))).toEqual({ field: 'scheduledAt', above: T0 });
    }
  });

  it('a duplicate approval (the same link clicked twice) is refused: the post is no longer pending', () => {
    const first = decideReview(pending(), approve, T0);
    if (!first.ok) throw new Error('refused');
    expect(decideReview(first.next, { ...approve, version: first.next.version }, T0).ok).toBe(false);
  });

  it('the rule reads no state: the decision is appended, never a copy of the list read', () => {
    expect(reviewRule(approve, T0).change.append).toEqual({ approvals: [decision] });
  });

  it('an edit that needs approval starts a new round (lives in the post lifecycle): pending_approval, approvals reset', () => {
    const d = decidePost(
      pending({ status: 'scheduled', approvals: [decision] }),
      {
        type: 'edit',
        version: 1,
        text: 'Hello again',
        content: { editedBy: 'vce_1', source: { kind: 'mcp' }, reviewAgain: true },
      },
      T0,
    );
    expect(d.ok && d.next).toMatchObject({ status: 'pending_approval', approvals: [] });
  });

  it('time passing unapproved makes it missed (lives in the post lifecycle)', () => {
    const d = decidePost(pending({ scheduledAt: T0 }), { type: 'miss' }, T0);
    expect(d.ok && d.next.status).toBe('missed');
  });
});
