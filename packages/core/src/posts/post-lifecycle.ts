import { decide, type Decision, type Guard, type Rule } from '../lifecycle/rule.js';
import type { PostRecord } from '../records.js';
import type { Media, PostSource } from '../schemas/post.js';
import { EDITABLE_STATUSES } from '../schemas/post.js';
import type { PostEffect } from './post-effect.js';
import { REVIEW_AGAIN } from './review-lifecycle.js';

/**
 * A post's publishing lifecycle, in one place. Every transition is a rule
 * (guards, change, effects) that core decides in memory (`decidePost`) and
 * the store applies as one conditional write (`applyRule`, or `putIfRule`
 * when a key derives from a changed field), so a duplicate or concurrent
 * delivery finds its guard no longer holds and changes nothing.
 *
 * | from                        | event                        | guard                                                        | to                                             | effects                                                                   |
 * |-----------------------------|------------------------------|--------------------------------------------------------------|------------------------------------------------|---------------------------------------------------------------------------|
 * | scheduled                   | claim (timer)                | no retry ahead (retryAt absent or ≤ now); scheduledAt ≤ now  | publishing (claimedAt/By, attempts + 1)        | arm-recovery, flush                                                       |
 * | publishing                  | reclaim (holder died)        | not awaiting a person; claimedAt = the one read, ≤ stale     | publishing (a new claim, attempts + 1)         | arm-recovery, flush                                                       |
 * | publishing                  | published (by the channel)   | —                                                            | published (where, when, lateness)              | disarm-recovery, announce post.published, mark-answered, watchdog         |
 * | scheduled, publishing       | published (by a person)      | —                                                            | published (recordedBy)                         | cancel-timer, announce post.published, mark-answered, watchdog            |
 * | scheduled, publishing       | claimRecording (person)      | no recording under way (recordingAt absent or stale)         | same (recordingAt, recordingPublishedAt)       | —                                                                         |
 * | publishing                  | retry                        | —                                                            | scheduled (retryAt, lastError; an outcome-unknown mark is kept, never replaced) | arm-timer at retryAt                         |
 * | publishing                  | fail                         | —                                                            | failed (failure)                               | disarm-recovery, announce post.failed, reopen-conversation, open-alert, watchdog |
 * | publishing                  | awaitPerson (manual channel) | —                                                            | publishing (awaiting: person)                  | disarm-recovery                                                           |
 * | pending_approval            | miss (time passes)           | scheduledAt ≤ now                                            | missed                                         | announce post.missed, reopen-conversation, open-alert, watchdog           |
 * | pending_approval, scheduled | edit (text, media, time)     | version = the one read; no attempt of unknown outcome        | same; pending_approval (approvals reset) when its content needs a review | arm-timer at scheduledAt and release-slot when moved; announce post.review_requested when reviewed again; watchdog |
 * | pending_approval, scheduled | cancel                       | version = the one read; no attempt of unknown outcome        | canceled                                       | release-slot, cancel-timer, reopen-conversation, watchdog                 |
 * | pending_approval            | approve, reject              | see review-lifecycle.ts                                      | scheduled; pending_approval                    | see review-lifecycle.ts                                                   |
 *
 * published, failed, canceled and missed are final. A post is created
 * pending_approval (its account requires approval) or scheduled, or canceled
 * by an import (no slot, no timer). "By a person" is the manual channel:
 * someone posts by hand and says so, early or after the reminder.
 */

/** Why the alert of a missed post opened. */
export const MISSED_REASON = 'missed: its time came while it was still awaiting approval';

export type PostEvent =
  | { type: 'claim'; by: string }
  | { type: 'reclaim'; claimedAt: string; staleBefore: string; by: string }
  | {
      type: 'published';
      /** A channel's answer, or a person's report (manual channel; the post may still be scheduled). */
      by: 'channel' | 'person';
      publishedAt: string;
      lateness: number;
      externalUrl?: string | undefined;
      externalId?: string | undefined;
      recordedBy?: { keyId: string; voiceId?: string } | undefined;
    }
  | { type: 'claimRecording'; publishedAt: string; staleBefore: string }
  | {
      type: 'retry';
      retryAt: string;
      error: string;
      /** The attempt may have gone through (its answer was lost): since when, and the text sent. */
      outcomeUnknown?: { at: string; text: string } | undefined;
    }
  | { type: 'fail'; reason: string }
  | { type: 'awaitPerson' }
  | { type: 'miss' }
  | {
      type: 'edit';
      /** The version read (or the one a page showed). */
      version: number;
      text?: string | undefined;
      media?: Media[] | undefined;
      /** Set when the text or media changes: who, from where, and whether it goes back to review. */
      content?: { editedBy: string; source: PostSource; reviewAgain: boolean } | undefined;
      /** Set when the post moves: its new time, and the slot it now holds (null: none). */
      move?: { scheduledAt: string; slotAt: string | null } | undefined;
    }
  | { type: 'cancel'; version: number };

export type PostEventType = PostEvent['type'];

/** The guards edit and cancel share: the version read, still editable, and not possibly live already. */
export const editGuards = (version: number): Guard[] => [
  { field: 'version', eq: version },
  { field: 'status', in: EDITABLE_STATUSES },
  { field: 'outcomeUnknownSince', absent: true },
];

/** What a published post no longer needs: publishing bookkeeping. */
const PUBLISHING_LEFTOVERS = [
  'retryAt',
  'lastError',
  'awaiting',
  'recordingAt',
  'recordingPublishedAt',
  'outcomeUnknownSince',
  'sentText',
];

/**
 * The rule of an event at `now` (an ISO instant). It reads no state, so a
 * service can apply it blind: the claim is one conditional write, no read.
 */
export function postRule(event: PostEvent, now: string): Rule<PostEffect> {
  switch (event.type) {
    case 'claim':
      return {
        when: [
          { field: 'status', eq: 'scheduled' },
          {
            anyOf: [
              { field: 'retryAt', absent: true },
              { field: 'retryAt', atMost: now },
            ],
          },
          { field: 'scheduledAt', atMost: now },
        ],
        change: {
          set: { status: 'publishing', claimedAt: now, claimedBy: event.by, updatedAt: now },
          add: { attempts: 1 },
        },
        effects: [{ do: 'arm-recovery' }, { do: 'flush' }],
      };
    case 'reclaim':
      return {
        when: [
          { field: 'status', eq: 'publishing' },
          // A manual post awaiting its person is nobody's abandoned claim.
          { field: 'awaiting', absent: true },
          { field: 'claimedAt', eq: event.claimedAt },
          { field: 'claimedAt', atMost: event.staleBefore },
        ],
        change: { set: { claimedAt: now, claimedBy: event.by, updatedAt: now }, add: { attempts: 1 } },
        effects: [{ do: 'arm-recovery' }, { do: 'flush' }],
      };
    case 'published':
      return {
        when: [{ field: 'status', in: event.by === 'person' ? ['scheduled', 'publishing'] : ['publishing'] }],
        change: {
          set: {
            status: 'published',
            publishedAt: event.publishedAt,
            lateness: event.lateness,
            updatedAt: now,
            recordedBy: event.recordedBy,
            // An empty url or id is no url or id.
            externalUrl: event.externalUrl || undefined,
            externalId: event.externalId || undefined,
          },
          remove: PUBLISHING_LEFTOVERS,
        },
        effects: [
          // A person's report ends the post's only timer; a channel's, the recovery timer of the claim.
          event.by === 'person' ? { do: 'cancel-timer' } : { do: 'disarm-recovery' },
          { do: 'announce', event: 'post.published' },
          { do: 'mark-answered' },
          { do: 'watchdog' },
        ],
      };
    case 'claimRecording':
      return {
        when: [
          { field: 'status', in: ['scheduled', 'publishing'] },
          {
            anyOf: [
              { field: 'recordingAt', absent: true },
              { field: 'recordingAt', below: event.staleBefore },
            ],
          },
        ],
        change: { set: { recordingAt: now, recordingPublishedAt: event.publishedAt } },
        effects: [],
      };
    case 'retry':
      return {
        when: [{ field: 'status', eq: 'publishing' }],
        change: {
          set: { status: 'scheduled', retryAt: event.retryAt, lastError: event.error, updatedAt: now },
          // The first attempt of unknown outcome is the one that may be live: its mark stays until published.
          ...(event.outcomeUnknown
            ? { setIfAbsent: { outcomeUnknownSince: event.outcomeUnknown.at, sentText: event.outcomeUnknown.text } }
            : {}),
        },
        effects: [{ do: 'arm-timer', at: event.retryAt }],
      };
    case 'fail':
      return {
        when: [{ field: 'status', eq: 'publishing' }],
        change: { set: { status: 'failed', failure: event.reason, updatedAt: now }, remove: ['retryAt'] },
        effects: [
          { do: 'disarm-recovery' },
          { do: 'announce', event: 'post.failed', reason: event.reason },
          { do: 'reopen-conversation', reason: event.reason },
          { do: 'open-alert', reason: event.reason },
          { do: 'watchdog' },
        ],
      };
    case 'awaitPerson':
      return {
        when: [{ field: 'status', eq: 'publishing' }],
        change: { set: { awaiting: 'person', remindedAt: now, updatedAt: now } },
        effects: [{ do: 'disarm-recovery' }],
      };
    case 'miss':
      return {
        when: [
          { field: 'status', eq: 'pending_approval' },
          { field: 'scheduledAt', atMost: now },
        ],
        change: { set: { status: 'missed', updatedAt: now } },
        effects: [
          { do: 'announce', event: 'post.missed' },
          // A missed post went out to nobody: a failed publication as far as people are concerned.
          { do: 'reopen-conversation', reason: MISSED_REASON },
          { do: 'open-alert', reason: MISSED_REASON },
          { do: 'watchdog' },
        ],
      };
    case 'edit':
      return editRule(event, now);
    case 'cancel':
      return {
        when: editGuards(event.version),
        change: { set: { status: 'canceled', updatedAt: now } },
        effects: [
          { do: 'release-slot' },
          { do: 'cancel-timer' },
          // A canceled answer answers nothing.
          { do: 'reopen-conversation', reason: 'the answer was canceled' },
          { do: 'watchdog' },
        ],
      };
  }
}

function editRule(event: Extract<PostEvent, { type: 'edit' }>, now: string): Rule<PostEffect> {
  const { content, move } = event;
  const effects: PostEffect[] = [];
  if (move)
    effects.push({ do: 'release-slot', keep: move.slotAt ?? undefined }, { do: 'arm-timer', at: move.scheduledAt });
  effects.push({ do: 'watchdog' });
  if (content?.reviewAgain) effects.push({ do: 'announce', event: 'post.review_requested' });
  return {
    when: editGuards(event.version),
    change: {
      set: {
        text: event.text,
        media: event.media,
        ...(content ? { editedBy: content.editedBy, editedAt: now, editSource: content.source } : {}),
        ...(content?.reviewAgain ? REVIEW_AGAIN : {}),
        ...(move ? { scheduledAt: move.scheduledAt } : {}),
        ...(move?.slotAt ? { slotAt: move.slotAt } : {}),
        updatedAt: now,
      },
      ...(move && move.slotAt === null ? { remove: ['slotAt'] } : {}),
    },
    effects,
  };
}

/** Decides an event on a post as read: the post after it and what follows, or the guard that refused it. */
export function decidePost(state: PostRecord, event: PostEvent, now: string): Decision<PostRecord, PostEffect> {
  return decide(state, postRule(event, now));
}
