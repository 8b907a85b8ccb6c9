import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  Conflict,
  decidePost,
  decideReview,
  postRule,
  reviewRule,
  type PostEvent,
  type PostRecord,
  type ReviewEvent,
} from '@drumbeat/core';
import type { Store } from '@drumbeat/store';
import { startTestStore } from '../support/store.js';

let store: Store;
let close: () => Promise<void>;
beforeAll(async () => ({ store, close } = await startTestStore()));
afterAll(() => close());

const T0 = '2026-05-01T10:00:00.000Z';
const BEFORE = '2026-05-01T09:00:00.000Z';
const LATER = '2026-05-01T11:00:00.000Z';
let n = 0;

const post = (over: Partial<PostRecord> = {}): PostRecord => ({
  id: `post_rules_${n++}`,
  workspaceId: 'ws_rules',
  accountId: 'acc_1',
  voiceId: 'vce_1',
  text: 'Hello',
  media: [],
  scheduledAt: T0,
  status: 'scheduled',
  approvals: [],
  createdAt: BEFORE,
  updatedAt: BEFORE,
  version: 1,
  ...over,
});

const publishing: Partial<PostRecord> = { status: 'publishing', claimedAt: BEFORE, claimedBy: 'i1', attempts: 1 };

/** Every row of the post lifecycle's table that PostRepo.apply writes, with a post it applies to and one it refuses. */
const applied: [string, Partial<PostRecord>, PostEvent, Partial<PostRecord>][] = [
  ['claim', {}, { type: 'claim', by: 'i1' }, { retryAt: LATER }],
  [
    'reclaim',
    publishing,
    { type: 'reclaim', claimedAt: BEFORE, staleBefore: T0, by: 'i2' },
    { ...publishing, awaiting: 'person' },
  ],
  [
    'published (channel)',
    publishing,
    { type: 'published', by: 'channel', publishedAt: T0, lateness: 0, externalUrl: 'https://x/1' },
    {},
  ],
  [
    'published (person)',
    {},
    { type: 'published', by: 'person', publishedAt: T0, lateness: 0, recordedBy: { keyId: 'k' } },
    { status: 'failed' },
  ],
  ['claimRecording', {}, { type: 'claimRecording', publishedAt: BEFORE, staleBefore: BEFORE }, { recordingAt: T0 }],
  [
    'retry',
    { ...publishing, outcomeUnknownSince: BEFORE, sentText: 'x' },
    { type: 'retry', retryAt: LATER, error: 'e', outcomeUnknown: { at: T0, text: 'y' } },
    {},
  ],
  ['fail', { ...publishing, retryAt: BEFORE }, { type: 'fail', reason: 'r' }, {}],
  ['awaitPerson', publishing, { type: 'awaitPerson' }, {}],
  ['miss', { status: 'pending_approval' }, { type: 'miss' }, { status: 'pending_approval', scheduledAt: LATER }],
];

describe('post rules: what the machine decides is what PostRepo writes (against the engine)', () => {
  it.each(applied)(
    '%s: applied where the machine applies it, refused where it refuses',
    async (_, from, event, refusedFrom) => {
      const ok = post(from);
      await store.posts.create(ok);
      const decided = decidePost(ok, event, T0);
      expect(decided.ok).toBe(true);
      const written = await store.posts.apply(ok.workspaceId, ok.id, postRule(event, T0));
      expect(written).toEqual(decided.ok && decided.next);
      expect(await store.posts.get(ok.workspaceId, ok.id)).toEqual(written);

      const no = post(refusedFrom);
      await store.posts.create(no);
      expect(decidePost(no, event, T0).ok).toBe(false);
      expect(await store.posts.apply(no.workspaceId, no.id, postRule(event, T0))).toBeUndefined();
      expect(await store.posts.get(no.workspaceId, no.id)).toEqual(no);
    },
  );

  it('a duplicate delivery: the second claim of one post writes nothing', async () => {
    const p = post();
    await store.posts.create(p);
    const rule = postRule({ type: 'claim', by: 'i1' }, T0);
    const [a, b] = await Promise.all([
      store.posts.apply(p.workspaceId, p.id, rule),
      store.posts.apply(p.workspaceId, p.id, rule),
    ]);
    expect([a, b].filter(Boolean)).toHaveLength(1);
    expect((await store.posts.get(p.workspaceId, p.id)).attempts).toBe(1);
  });

  it('an edit that moves the post is committed whole (its index key follows), once per version read', async () => {
    const p = post({ slotAt: T0 });
    await store.posts.create(p);
    const rule = postRule({ type: 'edit', version: 1, move: { scheduledAt: LATER, slotAt: null } }, BEFORE);
    const decided = decidePost(p, { type: 'edit', version: 1, move: { scheduledAt: LATER, slotAt: null } }, BEFORE);
    if (!decided.ok) throw new Error('refused');
    await store.posts.commit(decided.next, rule.when);
    expect(await store.posts.get(p.workspaceId, p.id)).toEqual(decided.next);
    const listed = await store.posts.listByAccount(p.workspaceId, p.accountId, { from: LATER, limit: 10 });
    expect(listed.items.map((i) => i.id)).toContain(p.id);
    await expect(store.posts.commit(decided.next, rule.when)).rejects.toThrow(Conflict);
  });

  it('a decision appends to the approvals stored, and an approved answer moves to now', async () => {
    const p = post({ status: 'pending_approval', scheduledAt: LATER, conversationId: 'cnv_1' });
    await store.posts.create(p);
    const event: ReviewEvent = {
      type: 'approve',
      version: 1,
      decision: { voiceId: 'vce_2', at: T0, enteredBy: 'key_2', onBehalf: true },
      answer: true,
    };
    const decided = decideReview(p, event, T0);
    if (!decided.ok) throw new Error('refused');
    expect(decided.next).toMatchObject({ status: 'scheduled', scheduledAt: T0, approvals: [event.decision] });
    // A rule that moves the post is never applied as an update (its index key would stay behind).
    const viaUpdate = post({ ...p, id: `${p.id}_u` });
    await store.posts.create(viaUpdate);
    expect(() => store.posts.apply(viaUpdate.workspaceId, viaUpdate.id, reviewRule(event, T0))).toThrow(/committed/);
    await store.posts.commit(decided.next, reviewRule(event, T0).when);
    expect(await store.posts.get(p.workspaceId, p.id)).toEqual(decided.next);
  });
});
