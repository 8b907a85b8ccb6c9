import type { AccountRecord, AccountRepository, VoiceRecord } from '@drumbeat/core';
import { getAccountAndVoice } from './batch-get.js';
import { Collection } from './collection.js';
import type { Db } from './db.js';
import { ACCOUNT_PREFIX } from './table/account-keys.js';

/** Accounts, and the one read of an account with a voice that the publish path and post creation make. */
export class AccountRepo extends Collection<AccountRecord> implements AccountRepository {
  constructor(private readonly dbh: Db) {
    super(dbh, ACCOUNT_PREFIX, 'account');
  }

  /** The account and the voice in a single BatchGetItem. */
  findWithVoice(
    ws: string,
    accountId: string,
    voiceId: string,
  ): Promise<{ account?: AccountRecord; voice?: VoiceRecord }> {
    return getAccountAndVoice(this.dbh, ws, accountId, voiceId);
  }
}
