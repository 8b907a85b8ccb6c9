import type { PostRecord } from '../../records.js';

/** A post claimed for publishing. */
export type ClaimedPost = PostRecord & { attempts: number; claimedAt: string };

/**
 * The publishing state machine as single-item conditional writes: each
 * transition names the state it starts from and answers undefined when the
 * post is no longer there.
 */
export interface PostTransitionRepository {
  /** scheduled → publishing, once its time (and any retry time) has come. */
  claim(ws: string, id: string, now: string, by: string): Promise<ClaimedPost | undefined>;
  /** Takes over a claim that has not finished since `claimedAt` (its holder died). */
  reclaim(ws: string, id: string, claimedAt: string, now: string, by: string): Promise<ClaimedPost | undefined>;
  /** publishing (or, for manual channels, scheduled) → published, with where and when. */
  published(
    ws: string,
    id: string,
    f: {
      publishedAt: string;
      now: string;
      externalUrl?: string | undefined;
      externalId?: string | undefined;
      lateness: number;
      recordedBy?: { keyId: string; voiceId?: string } | undefined;
    },
    from?: ('publishing' | 'scheduled')[],
  ): Promise<PostRecord | undefined>;
  /** Claims the recording of a manual publication at `publishedAt`. */
  claimRecording(
    ws: string,
    id: string,
    f: { now: string; staleBefore: string; publishedAt: string },
  ): Promise<PostRecord | undefined>;
  /** publishing → scheduled again, to be retried at `retryAt`; `unknown` marks an attempt that may have gone through. */
  retry(
    ws: string,
    id: string,
    retryAt: string,
    error: string,
    now: string,
    unknown?: { at: string; text: string },
  ): Promise<PostRecord | undefined>;
  /** publishing → failed, with the reason. */
  failed(ws: string, id: string, reason: string, now: string): Promise<PostRecord | undefined>;
  /** Marks a claimed manual post as waiting for a person to post it and say so. */
  awaitingPerson(ws: string, id: string, at: string): Promise<PostRecord | undefined>;
  /** pending_approval → missed, once its time has passed without approval. */
  missed(ws: string, id: string, now: string): Promise<PostRecord | undefined>;
}
