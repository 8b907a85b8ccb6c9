import type { VoiceRecord } from '../../records.js';
import type { PageRequest, RecordPage } from './page.js';

/** Voices (the people posts are attributed to). */
export interface VoiceRepository {
  /** Stores a new voice; Conflict if the id exists. */
  create(ws: string, record: VoiceRecord): Promise<void>;
  find(ws: string, id: string): Promise<VoiceRecord | undefined>;
  /** The voice, or NotFound. */
  get(ws: string, id: string): Promise<VoiceRecord>;
  list(ws: string, page: PageRequest): Promise<RecordPage<VoiceRecord>>;
  /** Replaces a voice read at `expectedVersion`; Conflict if someone wrote it since. */
  replace(ws: string, record: VoiceRecord, expectedVersion: number): Promise<void>;
  /** Records that the voice has written a post (idempotent; does not bump the version). */
  markHasPosts(ws: string, id: string): Promise<void>;
  /** Deletes a voice unless it has written a post. */
  removeUnlessPosted(ws: string, id: string): Promise<void>;
}
