import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { PostRecord } from '@drumbeat/core';
import { fromItem, isConditionFailed, type Db } from './db.js';
import { wsPk } from './keys.js';

const key = (ws: string, id: string) => ({ pk: wsPk(ws), sk: `POST#${id}` });

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
  claim(ws: string, id: string, now: string, by: string): Promise<(PostRecord & { attempts: number; claimedAt: string }) | undefined> {
    return this.update(
      ws,
      id,
      '#s = :publishing, claimedAt = :now, claimedBy = :by, attempts = if_not_exists(attempts, :zero) + :one',
      '#s = :scheduled AND scheduledAt <= :now AND (attribute_not_exists(retryAt) OR retryAt <= :now)',
      { ':publishing': 'publishing', ':scheduled': 'scheduled', ':now': now, ':zero': 0, ':by': by },
    ) as Promise<(PostRecord & { attempts: number; claimedAt: string }) | undefined>;
  }

  /** Takes over a claim that has not finished since `claimedAt` (its holder died): the same idempotency key is reused. */
  reclaim(ws: string, id: string, claimedAt: string, now: string, by: string): Promise<(PostRecord & { attempts: number; claimedAt: string }) | undefined> {
    return this.update(
      ws,
      id,
      'claimedAt = :now, claimedBy = :by, attempts = attempts + :one',
      '#s = :publishing AND claimedAt = :old',
      { ':publishing': 'publishing', ':old': claimedAt, ':now': now, ':by': by },
    ) as Promise<(PostRecord & { attempts: number; claimedAt: string }) | undefined>;
  }

  /** publishing (or, for manual channels, scheduled) → published, with where and when. */
  published(
    ws: string,
    id: string,
    f: { publishedAt: string; externalUrl?: string | undefined; externalId?: string | undefined; lateness: number; recordedBy?: { keyId: string; voiceId?: string } | undefined },
    from: ('publishing' | 'scheduled')[] = ['publishing'],
  ) {
    const values: Record<string, unknown> = { ':published': 'published', ':at': f.publishedAt, ':late': f.lateness };
    let set = '#s = :published, publishedAt = :at, lateness = :late';
    if (f.recordedBy) (set += ', recordedBy = :rb'), (values[':rb'] = f.recordedBy);
    if (f.externalUrl) (set += ', externalUrl = :url'), (values[':url'] = f.externalUrl);
    if (f.externalId) (set += ', externalId = :xid'), (values[':xid'] = f.externalId);
    from.forEach((s, i) => (values[`:from${i}`] = s));
    return this.update(ws, id, set, `#s IN (${from.map((_, i) => `:from${i}`).join(', ')})`, values, ['retryAt', 'lastError', 'awaiting', 'recordingAt', 'recordingPublishedAt']);
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
      { ':scheduled': 'scheduled', ':publishing': 'publishing', ':now': f.now, ':stale': f.staleBefore, ':at': f.publishedAt },
    );
  }

  /** publishing → scheduled again, to be retried at `retryAt`. */
  retry(ws: string, id: string, retryAt: string, error: string) {
    return this.update(ws, id, '#s = :scheduled, retryAt = :r, lastError = :e', '#s = :publishing', {
      ':scheduled': 'scheduled',
      ':publishing': 'publishing',
      ':r': retryAt,
      ':e': error,
    });
  }

  /** publishing → failed, with the reason. */
  failed(ws: string, id: string, reason: string) {
    return this.update(ws, id, '#s = :failed, failure = :reason', '#s = :publishing', { ':failed': 'failed', ':publishing': 'publishing', ':reason': reason }, [
      'retryAt',
    ]);
  }

  /** Marks a claimed manual post as waiting for a person to post it and say so. */
  awaitingPerson(ws: string, id: string, at: string) {
    return this.update(ws, id, 'awaiting = :person, remindedAt = :at', '#s = :publishing', { ':publishing': 'publishing', ':person': 'person', ':at': at });
  }

  /** pending_approval → missed, once its time has passed without approval. */
  missed(ws: string, id: string, now: string) {
    return this.update(ws, id, '#s = :missed', '#s = :pending AND scheduledAt <= :now', { ':missed': 'missed', ':pending': 'pending_approval', ':now': now });
  }
}
