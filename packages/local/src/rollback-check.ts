import type { LedgerHead } from '@drumbeat/core';
import type { Store } from '@drumbeat/store';
import { LEDGER_HEADS_FILE } from './ledger-heads-file.js';

/** The store holds less than the ledger heads recorded beside it: it lost writes. */
export class StoreRolledBack extends Error {
  constructor(
    readonly workspaceId: string,
    readonly expected: LedgerHead,
    readonly found: { seq: number; hash?: string | undefined },
    dataDir: string,
  ) {
    const what =
      found.seq >= expected.seq
        ? `its entry ${expected.seq} has hash ${found.hash ?? '(none)'}, not the recorded ${expected.hash}`
        : `expected ledger seq ${expected.seq} (hash ${expected.hash}), found seq ${found.seq}`;
    super(
      [
        `the store in ${dataDir} is behind its ledger checkpoint: workspace ${workspaceId}: ${what}.`,
        'It lost writes it had acknowledged (a power loss, a truncated or restored file).',
        'drumbeat refuses to start so that nothing already published is published again.',
        `Restore the whole data dir from a backup; or, to accept the loss knowingly, move ${LEDGER_HEADS_FILE} aside`,
        '(posts whose publication was in the lost writes may then be published again).',
      ].join(' '),
    );
    this.name = 'StoreRolledBack';
  }
}

/**
 * Checks the store against the ledger heads recorded outside it: each
 * workspace's recorded head must still be in the store, with the same hash.
 * A store ahead of its heads is fine (a crash between an append and its
 * record); one behind or different is refused with StoreRolledBack.
 */
export async function assertNotRolledBack(
  store: Store,
  heads: Record<string, LedgerHead>,
  dataDir: string,
): Promise<void> {
  for (const [ws, expected] of Object.entries(heads)) {
    const entry = await store.ledger.entryAt(ws, expected.seq);
    if (entry?.hash === expected.hash) continue;
    const newest = entry ? undefined : await store.ledger.head(ws);
    throw new StoreRolledBack(
      ws,
      expected,
      entry ? { seq: entry.seq, hash: entry.hash } : { seq: newest?.seq ?? 0 },
      dataDir,
    );
  }
}
