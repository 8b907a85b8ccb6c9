import type { LedgerEntry } from '../../ledger.js';
import type { PageRequest, RecordPage } from './page.js';

/** The signature of the ledger head at an entry, stored with that entry. */
export interface StoredCheckpoint {
  at: string;
  signature: string;
}

/** An entry with the checkpoint signed at it, when one was. */
export interface SignedLedgerEntry {
  entry: LedgerEntry;
  checkpoint?: StoredCheckpoint;
}

/** The attribution ledger: entries written once each, at their sequence number. */
export interface LedgerRepository {
  /** Writes the entry (with the checkpoint signed at it, if any); false when that number is taken. */
  append(ws: string, entry: LedgerEntry, checkpoint?: StoredCheckpoint): Promise<boolean>;
  /** The newest `n` entries of the workspace, oldest first. */
  tail(ws: string, n: number): Promise<LedgerEntry[]>;
  /** Removes an entry whose write was never acknowledged (a torn group), if it is still that entry. */
  withdraw(ws: string, entry: LedgerEntry): Promise<void>;
  /** The latest entry of the workspace, if any. */
  head(ws: string): Promise<LedgerEntry | undefined>;
  /** The entry at sequence number `seq`, if held. */
  entryAt(ws: string, seq: number): Promise<LedgerEntry | undefined>;
  /** The entry of `postId` among those published at or after `since` (recovery only). */
  findByPost(ws: string, postId: string, since: string): Promise<LedgerEntry | undefined>;
  /** The entries published at or after `since`, by post (recovery only). */
  recentByPost(ws: string, since: string): Promise<Map<string, LedgerEntry>>;
  /** The account's entries published at or after `since`, newest first. */
  recentByAccount(ws: string, accountId: string, since: string): Promise<LedgerEntry[]>;
  /** A page of the workspace's entries in sequence order, each with the checkpoint signed at it. */
  signedPage(ws: string, q: PageRequest): Promise<RecordPage<SignedLedgerEntry>>;
  /** The newest entry carrying a checkpoint, searching back at most `within` entries from the head. */
  latestSigned(ws: string, within?: number): Promise<SignedLedgerEntry | undefined>;
  /** A page of entries in sequence order: the workspace's, or one account's. */
  list(ws: string, q: PageRequest & { accountId?: string | undefined }): Promise<RecordPage<LedgerEntry>>;
}
