import type { KeyRecord } from '../../records.js';
import type { PageRequest, RecordPage } from './page.js';

/** API keys of a workspace (hashes only). */
export interface ApiKeyRepository {
  /** Stores a new key; Conflict if the id exists. */
  create(ws: string, record: KeyRecord): Promise<void>;
  find(ws: string, id: string): Promise<KeyRecord | undefined>;
  list(ws: string, page: PageRequest): Promise<RecordPage<KeyRecord>>;
  /** Marks a key revoked at `at`; returns the revoked record. Revoking twice keeps the first instant. */
  revoke(ws: string, id: string, at: Date): Promise<KeyRecord>;
}
