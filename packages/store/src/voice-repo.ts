import { DeleteCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { Conflict, NotFound, type VoiceRecord, type VoiceRepository } from '@drumbeat/core';
import { Collection } from './collection.js';
import { isConditionFailed, type Db } from './db.js';
import { voiceKey, VOICE_PREFIX } from './table/voice-keys.js';

/** Voices, with the marker that keeps a voice that wrote posts from being deleted. */
export class VoiceRepo extends Collection<VoiceRecord> implements VoiceRepository {
  constructor(private readonly dbh: Db) {
    super(dbh, VOICE_PREFIX, 'voice');
  }

  /** Records that the voice has written a post (idempotent; does not bump the version). */
  async markHasPosts(ws: string, id: string): Promise<void> {
    await this.dbh.doc.send(
      new UpdateCommand({
        TableName: this.dbh.table,
        Key: voiceKey(ws, id),
        UpdateExpression: 'SET hasPosts = :t',
        ConditionExpression: 'attribute_exists(pk)',
        ExpressionAttributeValues: { ':t': true },
      }),
    );
  }

  /** Deletes a voice unless it has written a post, checked in the same conditional write. */
  async removeUnlessPosted(ws: string, id: string): Promise<void> {
    try {
      await this.dbh.doc.send(
        new DeleteCommand({
          TableName: this.dbh.table,
          Key: voiceKey(ws, id),
          ConditionExpression: 'attribute_exists(pk) AND attribute_not_exists(hasPosts)',
        }),
      );
    } catch (err) {
      if (!isConditionFailed(err)) throw err;
      if (await this.find(ws, id))
        throw new Conflict(
          `voice ${id} has posts; archive it instead (PATCH {"archived": true}) so attribution stays intact`,
        );
      throw new NotFound(`voice ${id} not found`);
    }
  }
}
