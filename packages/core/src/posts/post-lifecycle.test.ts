import { describe, expect, it } from 'vitest';
import type { PostRecord } from '../records.js';
import { decidePost, MISSED_REASON, postRule, type PostEvent } from './post-lifecycle.js';
import { testPost } from './test-post.js';

const T0 = '2026-05-01T10:00:00.000Z';
const BEFORE = '2026-05-01T09:00:00.000Z';
const LATER = '2026-05-01T11:00:00.000Z';

const post = (over: Partial<PostRecord> = {}): PostRecord =>
  testPost({ scheduledAt: T0, createdAt: BEFORE, updatedAt: BEFORE, ...over });

/** The post after an event, or fails the test naming the guard that refused it. */
function after(state: PostRecord, event: PostEvent, now = T0) {
  const d = decidePost(state, event, now);
  if (!d.ok) throw new Error(`refused by ${JSON.stringify(d.refused)}`);
  return d;
}

const refusedBy = (state: PostRecord, event: PostEvent, now = T0) => {
  const d = decidePost(state, event, now);
  return d.ok ? undefined : d.refused;
};

const publishing = post({ status: 'publishing', claimedAt: BEFORE, claimedBy: 'i1', attempts: 1 });

describe('post lifecycle (machine alone, no engine)', () => {
  it('scheduled —claim→ publishing at its time: claimed, counted, the recovery timer armed, then flushed', () => {
    const d = after(post(), { type: 'claim', by: 'i1' });
    expect(d.next).toMatchObject({ status: 'publishing', claimedAt: T0, claimedBy: 'i1', attempts: 1, version: 2 });
    expect(d.effects).toEqual([{ do: 'arm-recovery' }, { do: 'flush' }]);
  });

  it('a claim is refused before its time, while a retry is ahead, and of a post not scheduled', () => {
    expect(refusedBy(post({ scheduledAt: LATER }), { type: 'claim', by: 'i1' })).toEqual({
      field: 'scheduledAt',
      atMost: T0,
    });
    expect(refusedBy(post({ retryAt: LATER }), { type: 'claim', by: 'i1' })).toHaveProperty('anyOf');
    expect(after(post({ retryAt: BEFORE }), { type: 'claim', by: 'i1' }).next.status).toBe('publishing');
    for (const status of ['pending_approval', 'published', 'failed', 'canceled', 'missed'] as const)
      expect(refusedBy(post({ status }), { type: 'claim', by: 'i1' })).toEqual({ field: 'status', eq: 'scheduled' });
  });

  it('a duplicate delivery of the timer finds nothing to do: the second claim is refused', () => {
    const first = after(post(), { type: 'claim', by: 'i1' });
    expect(refusedBy(first.next, { type: 'claim', by: 'i2' })).toEqual({ field: 'status', eq: 'scheduled' });
  });

  it('the claim is a blind write: its rule reads no state (the same rule whatever the post)', () => {
    expect(postRule({ type: 'claim', by: 'i1' }, T0)).toEqual(postRule({ type: 'claim', by: 'i1' }, T0));
    expect(JSON.stringify(postRule({ type: 'claim', by: 'i1' }, T0))).not.toContain('post_1');
  });

  it('publishing —reclaim→ publishing: a stale claim is taken over (once), never a fresh one or one awaiting a person', () => {
    const reclaim: PostEvent = { type: 'reclaim', claimedAt: BEFORE, staleBefore: T0, by: 'i2' };
    const d = after(publishing, reclaim);
    expect(d.next).toMatchObject({ status: 'publishing', claimedAt: T0, claimedBy: 'i2', attempts: 2 });
    expect(d.effects).toEqual([{ do: 'arm-recovery' }, { do: 'flush' }]);
    expect(refusedBy(d.next, reclaim)).toEqual({ field: 'claimedAt', eq: BEFORE });
    expect(refusedBy(publishing, { ...reclaim, staleBefore: '2026-05-01T08:00:00.000Z' })).toMatchObject({
      field: 'claimedAt',
    });
    expect(refusedBy({ ...publishing, awaiting: 'person' }, reclaim)).toEqual({ field: 'awaiting', absent: true });
    expect(refusedBy(post(), reclaim)).toEqual({ field: 'status', eq: 'publishing' });
  });

  it('publishing —published (channel)→ published: where and when; the publishing bookkeeping goes', () => {
    const d = after(
      { ...publishing, lastError: 'x', outcomeUnknownSince: BEFORE, sentText: 'Hello' },
      { type: 'published', by: 'channel', publishedAt: T0, lateness: 0, externalUrl: 'https://x/1', externalId: '1' },
    );
    expect(d.next).toMatchObject({ status: 'published', publishedAt: T0, externalUrl: 'https://x/1', externalId: '1' });
    expect(d.next).not.toHaveProperty('lastError');
    expect(d.next).not.toHaveProperty('outcomeUnknownSince');
    expect(d.next).not.toHaveProperty('sentText');
    expect(d.effects).toEqual([
      { do: 'disarm-recovery' },
      { do: 'announce', event: 'post.published' },
      { do: 'mark-answered' },
      { do: 'watchdog' },
    ]);
    expect(refusedBy(post(), { type: 'published', by: 'channel', publishedAt: T0, lateness: 0 })).toMatchObject({
      field: 'status',
    });
  });

  it('scheduled or publishing —published (person)→ published, with who recorded it; its timer is canceled', () => {
    const recordedBy = { keyId: 'key_1', voiceId: 'vce_2' };
    const d = after(post(), { type: 'published', by: 'person', publishedAt: BEFORE, lateness: 0, recordedBy });
    expect(d.next).toMatchObject({ status: 'published', recordedBy });
    expect(d.next).not.toHaveProperty('externalUrl');
    expect(d.effects[0]).toEqual({ do: 'cancel-timer' });
    expect(after(publishing, { type: 'published', by: 'person', publishedAt: T0, lateness: 0 }).next.status).toBe(
      'published',
    );
    expect(
      refusedBy(post({ status: 'published' }), { type: 'published', by: 'person', publishedAt: T0, lateness: 0 }),
    ).toMatchObject({ field: 'status' });
  });

  it('claimRecording: one report at a time records a manual publication (a stale one is taken over)', () => {
    const claim: PostEvent = { type: 'claimRecording', publishedAt: BEFORE, staleBefore: '2026-05-01T09:59:00.000Z' };
    const d = after(post(), claim);
    expect(d.next).toMatchObject({ status: 'scheduled', recordingAt: T0, recordingPublishedAt: BEFORE });
    expect(d.effects).toEqual([]);
    expect(refusedBy(d.next, claim)).toHaveProperty('anyOf');
    expect(after({ ...d.next, recordingAt: BEFORE }, claim).next.recordingAt).toBe(T0);
    expect(refusedBy(post({ status: 'canceled' }), claim)).toMatchObject({ field: 'status' });
  });

  it('publishing —retry→ scheduled, its timer armed at the retry; the first outcome-unknown mark stays', () => {
    const d = after(publishing, {
      type: 'retry',
      retryAt: LATER,
      error: 'timeout',
      outcomeUnknown: { at: BEFORE, text: 'Hello — sent' },
    });
    expect(d.next).toMatchObject({
      status: 'scheduled',
      retryAt: LATER,
      lastError: 'timeout',
      outcomeUnknownSince: BEFORE,
      sentText: 'Hello — sent',
    });
    expect(d.effects).toEqual([{ do: 'arm-timer', at: LATER }]);
    const again = after(
      { ...d.next, status: 'publishing' },
      {
        type: 'retry',
        retryAt: LATER,
        error: 'timeout',
        outcomeUnknown: { at: T0, text: 'other' },
      },
    );
    expect(again.next).toMatchObject({ outcomeUnknownSince: BEFORE, sentText: 'Hello — sent' });
    expect(refusedBy(post(), { type: 'retry', retryAt: LATER, error: 'x' })).toEqual({
      field: 'status',
      eq: 'publishing',
    });
  });

  it("publishing —fail→ failed: the reason kept, an alert opened, an answer's conversation reopened", () => {
    const d = after({ ...publishing, retryAt: BEFORE }, { type: 'fail', reason: 'rejected' });
    expect(d.next).toMatchObject({ status: 'failed', failure: 'rejected' });
    expect(d.next).not.toHaveProperty('retryAt');
    expect(d.effects).toEqual([
      { do: 'disarm-recovery' },
      { do: 'announce', event: 'post.failed', reason: 'rejected' },
      { do: 'reopen-conversation', reason: 'rejected' },
      { do: 'open-alert', reason: 'rejected' },
      { do: 'watchdog' },
    ]);
    expect(refusedBy(post(), { type: 'fail', reason: 'x' })).toEqual({ field: 'status', eq: 'publishing' });
  });

  it('publishing —awaitPerson→ publishing, awaiting its person (manual channel)', () => {
    const d = after(publishing, { type: 'awaitPerson' });
    expect(d.next).toMatchObject({ status: 'publishing', awaiting: 'person', remindedAt: T0 });
    expect(d.effects).toEqual([{ do: 'disarm-recovery' }]);
    expect(refusedBy(post(), { type: 'awaitPerson' })).toEqual({ field: 'status', eq: 'publishing' });
  });

  it('pending_approval —miss→ missed once its time has come, never before, never once approved', () => {
    const d = after(post({ status: 'pending_approval' }), { type: 'miss' });
    expect(d.next.status).toBe('missed');
    expect(d.effects).toEqual([
      { do: 'announce', event: 'post.missed' },
      { do: 'reopen-conversation', reason: MISSED_REASON },
      { do: 'open-alert', reason: MISSED_REASON },
      { do: 'watchdog' },
    ]);
    expect(refusedBy(post({ status: 'pending_approval' }), { type: 'miss' }, BEFORE)).toEqual({
      field: 'scheduledAt',
      atMost: BEFORE,
    });
    expect(refusedBy(post(), { type: 'miss' })).toEqual({ field: 'status', eq: 'pending_approval' });
  });

  it('edit: new text by another voice; a post needing review goes back to pending_approval, its approvals reset', () => {
    const approved = post({ approvals: [{ voiceId: 'vce_2', at: BEFORE }] });
    const d = after(approved, {
      type: 'edit',
      version: 1,
      text: 'Hello again',
      content: { editedBy: 'vce_3', source: { kind: 'api' }, reviewAgain: true },
    });
    expect(d.next).toMatchObject({
      status: 'pending_approval',
      approvals: [],
      text: 'Hello again',
      editedBy: 'vce_3',
      editedAt: T0,
      editSource: { kind: 'api' },
    });
    expect(d.effects).toEqual([{ do: 'watchdog' }, { do: 'announce', event: 'post.review_requested' }]);
    const kept = after(approved, {
      type: 'edit',
      version: 1,
      text: 'Hello again',
      content: { editedBy: 'vce_3', source: { kind: 'api' }, reviewAgain: false },
    });
    expect(kept.next).toMatchObject({ status: 'scheduled', approvals: approved.approvals });
  });

  it('edit: a move takes the new time (and slot, or none), frees the old slot and rearms the timer', () => {
    const held = post({ slotAt: T0 });
    const d = after(held, { type: 'edit', version: 1, move: { scheduledAt: LATER, slotAt: null } }, BEFORE);
    expect(d.next.scheduledAt).toBe(LATER);
    expect(d.next).not.toHaveProperty('slotAt');
    expect(d.effects).toEqual([
      { do: 'release-slot', keep: undefined },
      { do: 'arm-timer', at: LATER },
      { do: 'watchdog' },
    ]);
    const slotted = after(held, { type: 'edit', version: 1, move: { scheduledAt: LATER, slotAt: LATER } }, BEFORE);
    expect(slotted.next.slotAt).toBe(LATER);
    expect(slotted.effects[0]).toEqual({ do: 'release-slot', keep: LATER });
  });

  it('edit and cancel are refused on another version, once out of reach, and while an attempt may be live', () => {
    for (const type of ['edit', 'cancel'] as const) {
      expect(refusedBy(post({ version: 2 }), { type, version: 1 })).toEqual({ field: 'version', eq: 1 });
      for (const status of ['publishing', 'published', 'failed', 'canceled', 'missed'] as const)
        expect(refusedBy(post({ status }), { type, version: 1 })).toMatchObject({ field: 'status' });
      expect(refusedBy(post({ outcomeUnknownSince: BEFORE }), { type, version: 1 })).toEqual({
        field: 'outcomeUnknownSince',
        absent: true,
      });
    }
  });

  it("pending_approval or scheduled —cancel→ canceled: slot freed, timer gone, an answer's conversation reopened", () => {
    for (const status of ['pending_approval', 'scheduled'] as const) {
      const d = after(post({ status }), { type: 'cancel', version: 1 });
      expect(d.next.status).toBe('canceled');
      expect(d.effects).toEqual([
        { do: 'release-slot' },
        { do: 'cancel-timer' },
        { do: 'reopen-conversation', reason: 'the answer was canceled' },
        { do: 'watchdog' },
      ]);
    }
  });

  it('published, failed, canceled and missed are final: no event moves them', () => {
    const events: PostEvent[] = [
      { type: 'claim', by: 'i1' },
      { type: 'reclaim', claimedAt: BEFORE, staleBefore: T0, by: 'i1' },
      { type: 'published', by: 'person', publishedAt: T0, lateness: 0 },
      { type: 'claimRecording', publishedAt: T0, staleBefore: T0 },
      { type: 'retry', retryAt: LATER, error: 'x' },
      { type: 'fail', reason: 'x' },
      { type: 'awaitPerson' },
      { type: 'miss' },
      { type: 'edit', version: 1 },
      { type: 'cancel', version: 1 },
    ];
    for (const status of ['published', 'failed', 'canceled', 'missed'] as const)
      for (const e of events) expect(decidePost(post({ status, claimedAt: BEFORE }), e, T0).ok).toBe(false);
  });
});
