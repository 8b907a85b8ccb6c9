import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { PostRecord } from '@drumbeat/core';
import { fromItem, isConditionFailed, type Db } from './db.js';
import { postKey as key } from './table/post-keys.js';

/**
 * The publishing state machine as single-item conditional updates. Each
 * transition names the state it starts from, so a duplicate or concurrent
 * delivery of the same timer finds nothing to do: exactly one caller moves a
 * post from `scheduled` to `publishing`, and only the holder of that claim
 * records the outcome.
 */
export class PostTransitions {
  constructor(private readonly db: Db) {}

  /** Applies `set` (assignments, comma-separated) and `remove` (attribute names) if `condition` holds; undefined when it does not. */
  private async update(
    ws: string,
    id: string,
    set: string,
    condition: string,
    values: Record<string, unknown>,
    remove: string[] = [],
  ): Promise<PostRecord | undefined> {
    try {
      const r = await this.db.doc.send(
        new UpdateCommand({
          TableName: this.db.table,
          Key: key(ws, id),
          UpdateExpression: `SET ${set}, #v = #v + :one${remove.length ? ` REMOVE ${remove.join(', ')}` : ''}`,
          ConditionExpression: condition,
          ExpressionAttributeNames: { '#s': 'status', '#v': 'version' },
          ExpressionAttributeValues: { ':one': 1, ...values },
          ReturnValues: 'ALL_NEW',
        }),
      );
      return fromItem<PostRecord>(r.Attributes!);
    } catch (err) {
      if (isConditionFailed(err)) return undefined;
      throw err;
    }
  }

  /** scheduled → publishing, once its time (and any retry time) has come. Returns the claimed post, or undefined. */
  claim(
    ws: string,
    id: string,
    now: string,
    by: string,
  ): Promise<(PostRecord & { attempts: number; claimedAt: string }) | undefined> {
    return this.update(
      ws,
      id,
      '#s = :publishing, claimedAt = :now, claimedBy = :by, attempts = if_not_exists(attempts, :zero) + :one, updatedAt = :now',
      '#s = :scheduled AND scheduledAt <= :now AND (attribute_not_exists(retryAt) OR retryAt <= :now)',
      { ':publishing': 'publishing', ':scheduled': 'scheduled', ':now': now, ':zero': 0, ':by': by },
    ) as Promise<(PostRecord & { attempts: number; claimedAt: string }) | undefined>;
  }

  /** Takes over a claim that has not finished since `claimedAt` (its holder died): the same idempotency key is reused. */
  reclaim(
    ws: string,
    id: string,
    claimedAt: string,
    now: string,
    by: string,
  ): Promise<(PostRecord & { attempts: number; claimedAt: string }) | undefined> {
    return this.update(
      ws,
      id,
      'claimedAt = :now, claimedBy = :by, attempts = attempts + :one, updatedAt = :now',
      '#s = :publishing AND claimedAt = :old',
      { ':publishing': 'publishing', ':old': claimedAt, ':now': now, ':by': by },
    ) as Promise<(PostRecord & { attempts: number; claimedAt: string }) | undefined>;
  }

  /** publishing (or, for manual channels, scheduled) → published, with where and when; `now` is when it is recorded (the post's updatedAt). */
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
    from: ('publishing' | 'scheduled')[] = ['publishing'],
  ) {
    const values: Record<string, unknown> = {
      ':published': 'published',
      ':at': f.publishedAt,
      ':late': f.lateness,
      ':now': f.now,
    };
    let set = '#s = :published, publishedAt = :at, lateness = :late, updatedAt = :now';
    if (f.recordedBy) (set += ', recordedBy = :rb'), (values[':rb'] = f.recordedBy);
    if (f.externalUrl) (set += ', externalUrl = :url'), (values[':url'] = f.externalUrl);
    if (f.externalId) (set += ', externalId = :xid'), (values[':xid'] = f.externalId);
    for (const [i, s] of from.entries()) values[`:from${i}`] = s;
    return this.update(ws, id, set, `#s IN (${from.map((_, i) => `:from${i}`).join(', ')})`, values, [
      'retryAt',
      'lastError',
      'awaiting',
      'recordingAt',
      'recordingPublishedAt',
      'outcomeUnknownSince',
      'sentText',
    ]);
  }

  /**
   * Claims the recording of a manual publication at `publishedAt` (scheduled
   * or publishing, and no other recording under way since `staleBefore`), so
   * two concurrent "it is out" reports cannot both write to the ledger.
   */
  claimRecording(ws: string, id: string, f: { now: string; staleBefore: string; publishedAt: string }) {
    return this.update(
      ws,
      id,
      'recordingAt = :now, recordingPublishedAt = :at',
      '#s IN (:scheduled, :publishing) AND (attribute_not_exists(recordingAt) OR recordingAt < :stale)',
      {
        ':scheduled': 'scheduled',
        ':publishing': 'publishing',
        ':now': f.now,
        ':stale': f.staleBefore,
        ':at': f.publishedAt,
      },
    );
  }

  /**
   * publishing → scheduled again, to be retried at `retryAt`. `unknown` marks an
   * attempt that may have gone through: the first such mark (its instant and the
   * text sent) stays until the post is published.
   */
  retry(ws: string, id: string, retryAt: string, error: string, now: string, unknown?: { at: string; text: string }) {
    const values: Record<string, unknown> = {
      ':scheduled': 'scheduled',
      ':publishing': 'publishing',
      ':r': retryAt,
      ':e': error,
      ':now': now,
    };
    let set = '#s = :scheduled, retryAt = :r, lastError = :e, updatedAt = :now';
    if (unknown) {
      set += ', outcomeUnknownSince = if_not_exists(outcomeUnknownSince, :ua), sentText = if_not_exists(sentText, :ut)';
      Object.assign(values, { ':ua': unknown.at, ':ut': unknown.text });
    }
    return this.update(ws, id, set, '#s = :publishing', values);
  }

  /** publishing → failed, with the reason. */
  failed(ws: string, id: string, reason: string, now: string) {
    return this.update(
      ws,
      id,
      '#s = :failed, failure = :reason, updatedAt = :now',
      '#s = :publishing',
      { ':failed': 'failed', ':publishing': 'publishing', ':reason': reason, ':now': now },
      ['retryAt'],
    );
  }

  /** Marks a claimed manual post as waiting for a person to post it and say so. */
  awaitingPerson(ws: string, id: string, at: string) {
    return this.update(ws, id, 'awaiting = :person, remindedAt = :at, updatedAt = :at', '#s = :publishing', {
      ':publishing': 'publishing',
      ':person': 'person',
      ':at': at,
    });
  }

  /** pending_approval → missed, once its time has passed without approval. */
  missed(ws: string, id: string, now: string) {
    return this.update(ws, id, '#s = :missed, updatedAt = :now', '#s = :pending AND scheduledAt <= :now', {
      ':missed': 'missed',
      ':pending': 'pending_approval',
      ':now': now,
    });
  }
}
