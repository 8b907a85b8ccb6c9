import type { AccountRecord, VoiceRecord } from '../../records.js';
import type { PageRequest, RecordPage } from './page.js';

/** Accounts (a workspace's channels and their cadence). */
export interface AccountRepository {
  /** Stores a new account; Conflict if the id exists. */
  create(ws: string, record: AccountRecord): Promise<void>;
  find(ws: string, id: string): Promise<AccountRecord | undefined>;
  /** The account, or NotFound. */
  get(ws: string, id: string): Promise<AccountRecord>;
  list(ws: string, page: PageRequest): Promise<RecordPage<AccountRecord>>;
  /** Replaces an account read at `expectedVersion`; Conflict if someone wrote it since. */
  replace(ws: string, record: AccountRecord, expectedVersion: number): Promise<void>;
  /** An account and a voice of one workspace in one read (the publish path's and post creation's). */
  findWithVoice(
    ws: string,
    accountId: string,
    voiceId: string,
  ): Promise<{ account?: AccountRecord; voice?: VoiceRecord }>;
}
