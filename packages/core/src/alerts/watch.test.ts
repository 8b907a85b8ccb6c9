import { describe, expect, it } from 'vitest';
import type { PostRecord } from '../records.js';
import { checkApprovals, overdueAt, pendingSince } from './approval-check.js';
import { detailsFingerprint } from './condition.js';
import { checkEmptySlots, planSlots, SLOTS_BEYOND } from './empty-slot-check.js';
import { humanDuration } from './human-duration.js';
import { checkLapse } from './lapse-check.js';
import { watch, watchPolicy } from './watch.js';
import { accountRecord } from '../../../../test/support/account-record.js';

const H = 3_600_000;
const D = 24 * H;
const t = (iso: string) => new Date(iso);

const account = accountRecord;

describe('the lapse check', () => {
  const since = t('2026-11-20T10:00:00Z');
  it('is due maxGap after the last publication, and lapsed from that instant on (not a millisecond before)', () => {
    const pubs = [t('2026-11-21T10:00:00Z')];
    expect(
      checkLapse({ now: t('2026-11-23T09:59:59.999Z'), policy: { maxGap: 'PT48H' }, since, publications: pubs }),
    ).toEqual({ next: t('2026-11-23T10:00:00Z') });
    const r = checkLapse({ now: t('2026-11-23T10:00:00Z'), policy: { maxGap: 'PT48H' }, since, publications: pubs });
    expect(r.next).toBeNull();
    expect(r.condition?.details).toMatchObject({
      reason: 'max_gap',
      summary: 'no post for 2 days',
      lastPublishedAt: '2026-11-21T10:00:00.000Z',
      lapsedAt: '2026-11-23T10:00:00.000Z',
    });
  });

  it('counts from when the cadence was set when nothing was published since, ignoring older publications', () => {
    const r = checkLapse({
      now: t('2026-11-20T10:00:30Z'),
      policy: { maxGap: 'PT30S' },
      since,
      publications: [t('2026-11-19T10:00:00Z')],
    });
    expect(r.condition?.details).toMatchObject({
      lastPublishedAt: null,
      silentSince: '2026-11-20T10:00:00.000Z',
      summary: 'no post for 30 seconds since the cadence was set',
    });
  });

  it('says how many posts the minPosts window holds when that is what lapsed', () => {
    const pubs = [t('2026-11-21T10:00:00Z'), t('2026-11-24T10:00:00Z')];
    const policy = { maxGap: 'P10D', minPosts: { count: 3, per: 'P7D' } };
    expect(checkLapse({ now: t('2026-11-26T10:00:00Z'), policy, since, publications: pubs }).next).toEqual(
      t('2026-11-27T10:00:00Z'),
    );
    const r = checkLapse({ now: t('2026-11-27T10:00:00Z'), policy, since, publications: pubs });
    expect(r.condition?.details).toMatchObject({
      reason: 'min_posts',
      publishedInWindow: 2,
      summary: '2 posts in 7 days, fewer than 3',
    });
  });
});

describe('the empty-slot check', () => {
  const spec = { slots: ['FREQ=WEEKLY;BYDAY=MO,WE,FR;BYHOUR=9;BYMINUTE=30'], timezone: 'Europe/Paris' };
  const now = t('2026-11-23T10:00:00Z'); // Monday 11:00 in Paris

  it('lists the empty slots of (now, now + lookahead] in local time, and wakes when the first one passes', () => {
    const plan = planSlots(spec, now, 7 * D);
    const r = checkEmptySlots(plan, [], 'Europe/Paris', 'P7D');
    expect(r.condition?.details.emptySlots?.map((s) => s.local)).toEqual([
      '2026-11-25T09:30:00+01:00[Europe/Paris]',
      '2026-11-27T09:30:00+01:00[Europe/Paris]',
      '2026-11-30T09:30:00+01:00[Europe/Paris]',
    ]);
    expect(r.condition?.details.summary).toBe('3 empty slots in the next 7 days');
    expect(r.next).toEqual(t('2026-11-25T08:30:00Z'));
  });

  it('when every slot in view is filled, wakes only when the next empty slot enters the lookahead', () => {
    const plan = planSlots(spec, now, 7 * D);
    const filled = [...plan.inWindow, ...plan.beyond.slice(0, 4)];
    const r = checkEmptySlots(plan, filled, 'Europe/Paris', 'P7D');
    expect(r.condition).toBeUndefined();
    expect(r.next).toEqual(new Date(plan.beyond[4]!.getTime() - 7 * D));
  });

  it('with everything filled as far as it looks, wakes when the end of what it looked at comes into view', () => {
    const plan = planSlots(spec, now, 7 * D);
    expect(plan.beyond).toHaveLength(SLOTS_BEYOND);
    const r = checkEmptySlots(plan, [...plan.inWindow, ...plan.beyond], 'Europe/Paris', 'P7D');
    expect(r.next).toEqual(new Date(plan.horizon.getTime() - 7 * D));
    expect(r.next!.getTime() - now.getTime()).toBeGreaterThan(100 * D);
  });
});

describe('the approval SLA', () => {
  const now = t('2026-11-23T10:00:00Z');
  it('is overdue sla after the round started, or sla before the post is due, whichever comes first', () => {
    expect(overdueAt({ id: 'p', since: now, scheduledAt: t('2026-11-30T10:00:00Z') }, 4 * H)).toEqual(
      t('2026-11-23T14:00:00Z'),
    );
    expect(overdueAt({ id: 'p', since: now, scheduledAt: t('2026-11-23T13:00:00Z') }, 4 * H)).toEqual(
      t('2026-11-23T09:00:00Z'),
    );
  });

  it('opens one condition per overdue post and wakes at the next one', () => {
    const pending = [
      { id: 'pst_late', since: t('2026-11-23T05:00:00Z'), scheduledAt: t('2026-12-01T00:00:00Z') },
      { id: 'pst_soon', since: t('2026-11-23T09:00:00Z'), scheduledAt: t('2026-12-01T00:00:00Z') },
    ];
    const r = checkApprovals(now, 'PT4H', 4 * H, pending, 'Europe/Paris');
    expect(r.conditions.map((c) => c.postId)).toEqual(['pst_late']);
    expect(r.conditions[0]!.details.summary).toBe('a post has waited 5 hours for approval');
    expect(r.next).toEqual(t('2026-11-23T13:00:00Z'));
  });

  it('counts a round from the last edit when the record says when, else from creation', () => {
    const p = { createdAt: '2026-11-20T00:00:00.000Z', updatedAt: '2026-11-22T00:00:00.000Z' } as PostRecord;
    expect(pendingSince(p)).toEqual(t('2026-11-20T00:00:00Z'));
    expect(pendingSince({ ...p, editedBy: 'vce_1' })).toEqual(t('2026-11-22T00:00:00Z'));
    expect(pendingSince({ ...p, editedBy: 'vce_1', editedAt: '2026-11-21T00:00:00.000Z' } as PostRecord)).toEqual(
      t('2026-11-21T00:00:00Z'),
    );
  });
});

describe('watch', () => {
  it('watches nothing without a cadence rule or an approval SLA, or once archived', () => {
    expect(watchPolicy(account())).toBeNull();
    expect(watchPolicy(account({ cadence: { slots: [], lookahead: 'P7D' } }))).toBeNull();
    expect(
      watchPolicy(
        account({ cadence: { slots: [], maxGap: 'PT30S', lookahead: 'P7D' }, archivedAt: '2026-11-02T00:00:00Z' }),
      ),
    ).toBeNull();
    expect(watchPolicy(account({ approval: { required: true, sla: 'PT4H' } }))?.approval).toEqual({
      sla: 'PT4H',
      slaMs: 4 * H,
    });
  });

  it('takes the earliest deadline of its checks, with the lapse clock from cadenceSetAt', () => {
    const policy = watchPolicy(
      account({
        cadence: { slots: [], maxGap: 'PT30S', lookahead: 'P7D' },
        cadenceSetAt: '2026-11-23T10:00:00.000Z',
        approval: { required: true, sla: 'PT4H' },
      }),
    )!;
    const now = t('2026-11-23T10:00:10Z');
    const v = watch({
      now,
      timezone: 'Europe/Paris',
      policy,
      publications: [],
      filled: [],
      pending: [{ id: 'p', since: now, scheduledAt: t('2026-12-01T00:00:00Z') }],
    });
    expect(v).toEqual({ conditions: [], next: t('2026-11-23T10:00:30Z') });
    const later = watch({
      now: t('2026-11-23T10:00:30Z'),
      timezone: 'Europe/Paris',
      policy,
      publications: [],
      filled: [],
      pending: [{ id: 'p', since: now, scheduledAt: t('2026-12-01T00:00:00Z') }],
    });
    expect(later.conditions.map((c) => c.kind)).toEqual(['cadence_lapsed']);
    expect(later.next).toEqual(t('2026-11-23T14:00:10Z'));
  });
});

describe('details that only restate the clock', () => {
  it('do not count as a change', () => {
    const a = {
      summary: 'no post for 2 days',
      reason: 'max_gap',
      silentSince: '2026-11-21T10:00:00.000Z',
      maxGap: 'PT48H',
    };
    expect(detailsFingerprint('cadence_lapsed', a)).toBe(
      detailsFingerprint('cadence_lapsed', { ...a, summary: 'no post for 3 days' }),
    );
    expect(detailsFingerprint('cadence_lapsed', a)).not.toBe(
      detailsFingerprint('cadence_lapsed', { ...a, silentSince: '2026-11-22T10:00:00.000Z' }),
    );
  });
});

describe('humanDuration', () => {
  it('floors to the largest natural unit', () => {
    expect([48 * H, 36 * H, D, 30_000, 90_000, H, 1_000, 500].map(humanDuration)).toEqual([
      '2 days',
      '36 hours',
      '1 day',
      '30 seconds',
      '90 seconds',
      '1 hour',
      '1 second',
      'less than a second',
    ]);
  });
});
