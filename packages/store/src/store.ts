import type { AccountRecord, VoiceRecord } from '@drumbeat/core';
import { Collection } from './collection.js';
import type { Db } from './db.js';
import { WorkspaceRepo } from './workspace-repo.js';
import { ApiKeyRepo } from './api-key-repo.js';
import { IdempotencyRepo } from './idempotency-repo.js';

/** Every repository over one table: what services receive. */
export class Store {
  readonly workspaces: WorkspaceRepo;
  readonly apiKeys: ApiKeyRepo;
  readonly voices: Collection<VoiceRecord>;
  readonly accounts: Collection<AccountRecord>;
  readonly idempotency: IdempotencyRepo;

  constructor(readonly db: Db) {
    this.workspaces = new WorkspaceRepo(db);
    this.apiKeys = new ApiKeyRepo(db);
    this.voices = new Collection<VoiceRecord>(db, 'VOICE', 'voice');
    this.accounts = new Collection<AccountRecord>(db, 'ACCOUNT', 'account');
    this.idempotency = new IdempotencyRepo(db);
  }
}
