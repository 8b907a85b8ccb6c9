import { GENESIS_HASH, hashEntry, verifyChain, type LedgerEntry } from '@drumbeat/core';
import type { Page } from '@drumbeat/store';
import type { ServiceDeps } from './deps.js';

/** What a publication contributes to its ledger entry; the ledger adds seq, prevHash and hash. */
export type LedgerDraft = Omit<LedgerEntry, 'seq' | 'prevHash' | 'hash'>;

/**
 * The attribution ledger: append-only and hash-chained per workspace. Appends
 * in this process are serialised per workspace and start from a cached head,
 * so the usual append is one conditional put; another writer taking the
 * number first (another process) makes it re-read the head and try the next
 * number: no gaps, no forks.
 */
export class LedgerService {
  private readonly heads = new Map<string, { seq: number; hash: string }>();
  private readonly queues = new Map<string, Promise<unknown>>();

  constructor(private readonly deps: ServiceDeps) {}

  /** Appends an entry for a publication and returns it. */
  append(ws: string, draft: LedgerDraft): Promise<LedgerEntry> {
    const run = (this.queues.get(ws) ?? Promise.resolve()).then(() => this.appendNow(ws, draft));
    const tail = run.catch(() => undefined);
    this.queues.set(ws, tail);
    void tail.then(() => {
      if (this.queues.get(ws) === tail) this.queues.delete(ws);
    });
    return run;
  }

  private async appendNow(ws: string, draft: LedgerDraft): Promise<LedgerEntry> {
    for (let attempt = 0; attempt < 200; attempt++) {
      let head = this.heads.get(ws);
      if (!head) {
        const h = await this.deps.store.ledger.head(ws);
        head = h ? { seq: h.seq, hash: h.hash } : { seq: 0, hash: GENESIS_HASH };
      }
      const unsigned = { ...draft, seq: head.seq + 1, prevHash: head.hash };
      const entry: LedgerEntry = { ...unsigned, hash: await hashEntry(unsigned) };
      if (await this.deps.store.ledger.append(ws, entry)) {
        this.heads.set(ws, { seq: entry.seq, hash: entry.hash });
        return entry;
      }
      this.heads.delete(ws); // someone else took the number: read the head again
      // Back off a little, with jitter, so contending writers stop colliding in lockstep.
      await new Promise((r) => setTimeout(r, Math.random() * Math.min(50, 2 * (attempt + 1))));
    }
    throw new Error(`ledger of ${ws}: could not append after 200 attempts`);
  }

  /** A page of entries, in sequence order, of the workspace or one account. */
  list(ws: string, q: { accountId?: string | undefined; limit: number; cursor?: string | undefined }): Promise<Page<LedgerEntry>> {
    return this.deps.store.ledger.list(ws, q);
  }

  /** Recomputes the whole chain of the workspace and names the first broken entry. */
  async verify(ws: string): Promise<{ ok: boolean; entries: number; firstBroken?: { seq: number; reason: string } }> {
    const all: LedgerEntry[] = [];
    let cursor: string | undefined;
    do {
      const page = await this.deps.store.ledger.list(ws, { limit: 500, cursor });
      all.push(...page.items);
      cursor = page.nextCursor ?? undefined;
    } while (cursor);
    return verifyChain(all);
  }
}
