import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { conditionalWrite, getItem, versionIs, type Db } from './db.js';
import { listenStateKey } from './table/account-keys.js';

/**
 * Where a listening account's polling stands (issue 18): the source's cursor
 * (moved only after the inbox took the items it covers), failures in a row,
 * and when the next poll is due. One item per account, at `LISTEN#<account>`.
 */
export interface ListenState {
  /** Opaque: the source's cursor; absent before the first successful poll. */
  cursor?: string;
  /** Polls in a row that failed (any failure); 0 after a success. */
  failures: number;
  /** A fingerprint of the channel settings the last poll used: new credentials are tried at once. */
  channelKey?: string;
  /** Set while the network refuses the credentials (401/403): the first such refusal. */
  failingSince?: string;
  lastError?: string;
  /** True once the inbox indexed the account's items awaiting an answer (those stored before the index existed). */
  openIndexed?: boolean;
  /** Successful polls since our own posts were last read (outside-reply detection); absent: never read. */
  sinceOwnLook?: number;
  polledAt?: string;
  nextPollAt?: string;
  /** Bumped by every write: the conditional write of the next one. */
  version: number;
  updatedAt: string;
}

/** The listen state of accounts; replaced only by a conditional write on its version, so an older poll never rolls a newer cursor back. */
export class ListenStateRepo {
  constructor(private readonly db: Db) {}

  /** The account's listen state, or undefined before its first poll. */
  async get(ws: string, account: string): Promise<ListenState | undefined> {
    return getItem<ListenState>(this.db, listenStateKey(ws, account));
  }

  /** Stores `state` (its version one above `expected`, undefined: none stored yet); false when another poll wrote first. */
  async put(
    ws: string,
    account: string,
    state: Omit<ListenState, 'version'>,
    expected: number | undefined,
  ): Promise<boolean> {
    return conditionalWrite(
      this.db.doc.send(
        new PutCommand({
          TableName: this.db.table,
          Item: { ...listenStateKey(ws, account), type: 'LISTEN_STATE', ...state, version: (expected ?? 0) + 1 },
          ...versionIs(expected),
        }),
      ),
    );
  }
}
