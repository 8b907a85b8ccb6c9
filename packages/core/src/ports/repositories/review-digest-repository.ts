/** One post waiting in an approver's digest, and when it joined. */
export interface ReviewDigestEntry {
  postId: string;
  at: string;
}

/**
 * The approval requests gathering for one approver (a voice): the posts that
 * started waiting since the first of them, when the email is due, and the
 * claim of the round sending it. Exists only while something waits.
 */
export interface ReviewDigestRecord {
  workspaceId: string;
  voiceId: string;
  entries: ReviewDigestEntry[];
  /** When the email goes out: the window's end after the first entry, or a retry. */
  dueAt: string;
  /** The round sending it: when it claimed, how many entries it took (the first `count`; later ones wait for the next round), and the Message-ID a takeover reuses. */
  sending?: { at: string; count: number; messageId: string } | undefined;
  /** Failed sends so far in this round. */
  attempts?: number | undefined;
  version: number;
}

/** An approver's review digest; every change is one conditional write on `version`. */
export interface ReviewDigestRepository {
  /** The digest gathering for `voice`, if any. */
  find(ws: string, voice: string): Promise<ReviewDigestRecord | undefined>;
  /** Stores `record` if the stored version is still `expected` (undefined: none stored); false when another writer got there first. */
  put(record: ReviewDigestRecord, expected: number | undefined): Promise<boolean>;
  /** Removes the digest if its version is still `expected`; false when it changed (or is gone). */
  remove(ws: string, voice: string, expected: number): Promise<boolean>;
}
