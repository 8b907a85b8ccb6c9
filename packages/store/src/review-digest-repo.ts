import { DeleteCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { getItem, conditionalWrite, versionIs, type Db } from './db.js';
import type { ReviewDigestEntry, ReviewDigestRecord, ReviewDigestRepository } from '@drumbeat/core';
import { reviewDigestKey } from './table/review-digest-keys.js';

export type { ReviewDigestEntry, ReviewDigestRecord };

/**
 * An approver's review digest, at `REVIEWDIGEST#<voiceId>` in the workspace's
 * partition; every change is one conditional write on `version` (a new one:
 * on its absence), so concurrent additions and a sending round never lose
 * one another's entries.
 */
export class ReviewDigestRepo implements ReviewDigestRepository {
  constructor(private readonly db: Db) {}

  /** The digest gathering for `voice`, if any. */
  async find(ws: string, voice: string): Promise<ReviewDigestRecord | undefined> {
    return getItem<ReviewDigestRecord>(this.db, reviewDigestKey(ws, voice));
  }

  /** Stores `record` if the stored version is still `expected` (undefined: none stored); false when another writer got there first. */
  async put(record: ReviewDigestRecord, expected: number | undefined): Promise<boolean> {
    const { sending, attempts, ...rest } = record;
    return conditionalWrite(
      this.db.doc.send(
        new PutCommand({
          TableName: this.db.table,
          Item: {
            ...reviewDigestKey(record.workspaceId, record.voiceId),
            type: 'REVIEW_DIGEST',
            ...rest,
            ...(sending ? { sending } : {}),
            ...(attempts ? { attempts } : {}),
          },
          ...versionIs(expected),
        }),
      ),
    );
  }

  /** Removes the digest if its version is still `expected`; false when it changed (or is gone). */
  async remove(ws: string, voice: string, expected: number): Promise<boolean> {
    return conditionalWrite(
      this.db.doc.send(
        new DeleteCommand({
          TableName: this.db.table,
          Key: reviewDigestKey(ws, voice),
          ...versionIs(expected),
        }),
      ),
    );
  }
}
