import type { RecordPage as Page, StoredCheckpoint } from '@drumbeat/core';
import { loggerOf } from './logger.js';
import {
  auditLedger,
  GENESIS_HASH,
  hashEntry,
  tornTail,
  type AuditFinding,
  type Checkpoint,
  type LedgerEntry,
} from '@drumbeat/core';
import { allPages } from '@drumbeat/store';
import type { ServiceDeps } from './deps.js';
import { SigningKeys } from './signing-keys.js';

/** What a publication contributes to its ledger entry; the ledger adds seq, prevHash and hash. */
export type LedgerDraft = Omit<LedgerEntry, 'seq' | 'prevHash' | 'hash'>;

/** What `verify` answers: the chain walk and the check of the checkpoints stored with it. */
export interface LedgerVerification {
  ok: boolean;
  entries: number;
  firstBroken?: { seq: number; reason: string };
  checkpoints: { stored: number; verified: number };
  findings: AuditFinding[];
}

/** Most appends written together by the only writer (also how far back a torn group can reach). */
const GROUP = 25;

interface Waiting {
  draft: LedgerDraft;
  attempts: number;
  resolve(entry: LedgerEntry): void;
  reject(err: unknown): void;
}

/**
 * The attribution ledger: append-only and hash-chained per workspace. Appends
 * in this process are serialised per workspace and start from a cached head,
 * so the usual append is one conditional put; another writer taking the
 * number first (another process) makes it re-read the head and try the next
 * number: no gaps, no forks.
 *
 * Where this process is the table's only writer (the embedded runtime), the
 * appends waiting for a workspace go out as one group: chained in memory,
 * written by concurrent conditional puts, each acknowledged once the whole
 * group is written (one round trip for up to 25, instead of one each). A crash
 * can then leave a group torn, written past a gap; the first read of the
 * workspace's head withdraws that unacknowledged end before anything builds
 * on it or recovers from it (`entryOf`), so the chain stays whole.
 *
 * Every write (a group, or a single append) ends with a checkpoint: the new
 * head signed with the workspace's Ed25519 key, stored on the last entry's
 * item in the same put, and handed to `post.published` events and the
 * transparency page so people outside drumbeat hold copies.
 */
export class LedgerService {
  private readonly heads = new Map<string, { seq: number; hash: string }>();
  private readonly readingHeads = new Map<string, Promise<{ seq: number; hash: string }>>();
  /** Reads of recent entries under way (entryOf), with the count of ledger writes (appends, withdrawals) begun or ended when each began. */
  private readonly recentReads = new Map<string, { appends: number; read: Promise<Map<string, LedgerEntry>> }>();
  private appends = 0;
  private readonly queues = new Map<string, Promise<unknown>>();
  private readonly waiting = new Map<string, Waiting[]>();
  private readonly draining = new Set<string>();
  /** The newest checkpoint this process signed, per workspace. */
  private readonly latest = new Map<string, Checkpoint>();
  /** Absent until the composition root gives a sealer (the private keys are kept sealed). */
  readonly signing: SigningKeys | undefined;

  constructor(private readonly deps: ServiceDeps) {
    this.signing = deps.sealer ? new SigningKeys(deps.store, deps.sealer, deps.clock) : undefined;
  }

  /**
   * Signs the head at `entry`. A failure to sign is logged, never thrown: the
   * entry is the record of a publication and must be written regardless.
   */
  private async checkpointAt(ws: string, entry: LedgerEntry): Promise<Checkpoint | undefined> {
    if (!this.signing) return undefined;
    try {
      return await this.signing.sign({
        workspace: ws,
        seq: entry.seq,
        hash: entry.hash,
        at: this.deps.clock.now().toISOString(),
      });
    } catch (err) {
      loggerOf(this.deps).error({ workspace: ws, seq: entry.seq, err: String(err) }, 'ledger checkpoint not signed');
      return undefined;
    }
  }

  private remember(cp: Checkpoint | undefined): void {
    if (!cp) return;
    const known = this.latest.get(cp.workspace);
    if (!known || known.seq < cp.seq) this.latest.set(cp.workspace, cp);
  }

  /** The newest stored checkpoint of the workspace: this process's own when it is the only writer, else read. */
  async latestCheckpoint(ws: string): Promise<Checkpoint | undefined> {
    const known = this.latest.get(ws);
    if (known && this.deps.singleWriter) return known;
    const signed = await this.deps.store.ledger.latestSigned(ws);
    const key = signed?.checkpoint ? await this.deps.store.signingKeys.find(ws) : undefined;
    if (!signed?.checkpoint || !key) return known;
    const cp = stored(ws, signed.entry, signed.checkpoint, key.publicKey);
    this.remember(cp);
    return known && known.seq > cp.seq ? known : cp;
  }

  /** A checkpoint at or after entry `seq` (what a `post.published` event carries), if one was signed. */
  async checkpointFor(ws: string, seq: number): Promise<Checkpoint | undefined> {
    const known = this.latest.get(ws);
    if (known && known.seq >= seq) return known;
    const cp = await this.latestCheckpoint(ws);
    return cp && cp.seq >= seq ? cp : undefined;
  }

  /** The workspace's checkpoint public key (base64url Ed25519), when signing is set up. */
  async publicKey(ws: string): Promise<string | undefined> {
    return this.signing ? this.signing.publicKey(ws) : (await this.deps.store.signingKeys.find(ws))?.publicKey;
  }

  /** Appends an entry for a publication and returns it. */
  append(ws: string, draft: LedgerDraft): Promise<LedgerEntry> {
    if (this.deps.singleWriter) {
      return new Promise((resolve, reject) => {
        const q = this.waiting.get(ws) ?? [];
        q.push({ draft, attempts: 0, resolve, reject });
        this.waiting.set(ws, q);
        void this.drain(ws);
      });
    }
    const run = (this.queues.get(ws) ?? Promise.resolve()).then(() => this.appendNow(ws, draft));
    const tail = run.catch(() => undefined);
    this.queues.set(ws, tail);
    void tail.then(() => {
      if (this.queues.get(ws) === tail) this.queues.delete(ws);
    });
    return run;
  }

  /** The entry of `postId` among those published since `since`, after any torn end is withdrawn (publish recovery). */
  async entryOf(ws: string, postId: string, since: string): Promise<LedgerEntry | undefined> {
    await this.head(ws);
    if (!this.deps.singleWriter) return this.deps.store.ledger.findByPost(ws, postId, since);
    // The only writer's posts recovered together (a restart's first round) share one read of the recent
    // entries, but only while no ledger write has begun or ended since it began: a joiner then sees what a
    // read of its own would.
    const key = `${ws}\n${since}`;
    let shared = this.recentReads.get(key);
    if (!shared || shared.appends !== this.appends) {
      const entry = { appends: this.appends, read: this.deps.store.ledger.recentByPost(ws, since) };
      const drop = () => void (this.recentReads.get(key) === entry && this.recentReads.delete(key));
      entry.read.then(drop, drop);
      this.recentReads.set(key, entry);
      shared = entry;
    }
    return (await shared.read).get(postId);
  }

  /**
   * The head to chain onto: cached, or read. Callers that miss together share
   * one read (a restart's first round asks for it from every recovering
   * publish at once); a read that a forgetHead() overtook hands its callers
   * what it found but is not kept.
   */
  private head(ws: string): Promise<{ seq: number; hash: string }> {
    const cached = this.heads.get(ws);
    if (cached) return Promise.resolve(cached);
    const pending = this.readingHeads.get(ws);
    if (pending) return pending;
    const reading: Promise<{ seq: number; hash: string }> = this.readHead(ws).then(
      (head) => {
        if (this.readingHeads.get(ws) === reading) {
          this.readingHeads.delete(ws);
          this.heads.set(ws, head);
        }
        return head;
      },
      (err: unknown) => {
        if (this.readingHeads.get(ws) === reading) this.readingHeads.delete(ws);
        throw err;
      },
    );
    this.readingHeads.set(ws, reading);
    return reading;
  }

  /** Drops the head known or being read: the next append reads it again. */
  private forgetHead(ws: string): void {
    this.heads.delete(ws);
    this.readingHeads.delete(ws);
  }

  /** Reads the head (for the only writer, after withdrawing a torn end). */
  private async readHead(ws: string): Promise<{ seq: number; hash: string }> {
    if (this.deps.singleWriter) {
      const newest = await this.deps.store.ledger.tail(ws, GROUP + 1);
      const { sound, torn } = tornTail(newest, newest.length <= GROUP);
      if (torn.length) this.appends++; // a change to the entries, as an append is (see entryOf)
      try {
        for (const e of torn) await this.deps.store.ledger.withdraw(ws, e);
      } finally {
        if (torn.length) this.appends++;
      }
      const last = sound.at(-1);
      return last ? { seq: last.seq, hash: last.hash } : { seq: 0, hash: GENESIS_HASH };
    }
    const h = await this.deps.store.ledger.head(ws);
    return h ? { seq: h.seq, hash: h.hash } : { seq: 0, hash: GENESIS_HASH };
  }

  /** Writes the workspace's waiting appends, a group at a time (only writer). */
  private async drain(ws: string): Promise<void> {
    if (this.draining.has(ws)) return;
    this.draining.add(ws);
    try {
      for (;;) {
        const group = (this.waiting.get(ws) ?? []).splice(0, GROUP);
        if (group.length === 0) break;
        await this.writeGroup(ws, group);
      }
    } finally {
      this.draining.delete(ws);
      this.waiting.delete(ws);
    }
  }

  private async writeGroup(ws: string, group: Waiting[]): Promise<void> {
    let entries: LedgerEntry[];
    try {
      let prev = await this.head(ws);
      entries = [];
      for (const w of group) {
        const unsigned = { ...w.draft, seq: prev.seq + 1, prevHash: prev.hash };
        const entry: LedgerEntry = { ...unsigned, hash: await hashEntry(unsigned) };
        entries.push(entry);
        prev = entry;
      }
    } catch (err) {
      for (const w of group) w.reject(err);
      return;
    }
    const cp = await this.checkpointAt(ws, entries.at(-1)!);
    this.appends++;
    const written = await Promise.allSettled(
      entries.map((e, i) => this.deps.store.ledger.append(ws, e, i === entries.length - 1 ? storable(cp) : undefined)),
    );
    this.appends++;
    const cut = written.findIndex((r) => r.status === 'rejected' || !r.value);
    if (cut === -1) {
      this.remember(cp);
      this.heads.set(ws, { seq: entries.at(-1)!.seq, hash: entries.at(-1)!.hash });
      await this.settleDurably(ws, group, entries);
      return;
    }
    // Torn: the prefix before the first failure stands; what was written after it is withdrawn on the next head read.
    this.forgetHead(ws);
    await this.settleDurably(ws, group.slice(0, cut), entries.slice(0, cut));
    const failure = written[cut]!;
    const rest = group.slice(cut);
    if (failure.status === 'rejected') {
      for (const w of rest) w.reject(failure.reason);
      return;
    }
    // Someone else took the number: chain the rest again from the new head.
    const retry = rest.filter((w) => ++w.attempts < 200);
    for (const w of rest.filter((w) => w.attempts >= 200))
      w.reject(new Error(`ledger of ${ws}: could not append after 200 attempts`));
    this.waiting.set(ws, [...retry, ...(this.waiting.get(ws) ?? [])]);
  }

  /**
   * Acknowledges written entries once they are durable and their head is
   * recorded outside the store (where the runtime asks for it): no
   * publication is announced on an entry a power loss could take back.
   */
  private async settleDurably(ws: string, group: Waiting[], entries: LedgerEntry[]): Promise<void> {
    if (group.length === 0) return;
    try {
      await this.witness(ws, entries.at(-1)!);
    } catch (err) {
      for (const w of group) w.reject(err);
      return;
    }
    for (const [i, w] of group.entries()) w.resolve(entries[i]!);
  }

  private async witness(ws: string, head: LedgerEntry): Promise<void> {
    const d = this.deps.durability;
    if (!d) return;
    await d.flush();
    await d.ledgerHead(ws, { seq: head.seq, hash: head.hash });
  }

  private async appendNow(ws: string, draft: LedgerDraft): Promise<LedgerEntry> {
    for (let attempt = 0; attempt < 200; attempt++) {
      const head = await this.head(ws);
      const unsigned = { ...draft, seq: head.seq + 1, prevHash: head.hash };
      const entry: LedgerEntry = { ...unsigned, hash: await hashEntry(unsigned) };
      const cp = await this.checkpointAt(ws, entry);
      this.appends++;
      const appended = await this.deps.store.ledger.append(ws, entry, storable(cp)).finally(() => this.appends++);
      if (appended) {
        this.remember(cp);
        this.heads.set(ws, { seq: entry.seq, hash: entry.hash });
        await this.witness(ws, entry);
        return entry;
      }
      this.forgetHead(ws); // someone else took the number: read the head again
      // Back off a little, with jitter, so contending writers stop colliding in lockstep.
      await new Promise((r) => setTimeout(r, Math.random() * Math.min(50, 2 * (attempt + 1))));
    }
    throw new Error(`ledger of ${ws}: could not append after 200 attempts`);
  }

  /** A page of entries, in sequence order, of the workspace or one account. */
  list(
    ws: string,
    q: { accountId?: string | undefined; limit: number; cursor?: string | undefined },
  ): Promise<Page<LedgerEntry>> {
    return this.deps.store.ledger.list(ws, q);
  }

  /**
   * The whole ledger of the workspace with its public key: what an auditor
   * checks against checkpoints collected elsewhere (`npx drumbeat-verify`).
   */
  async export(ws: string): Promise<{ workspace: string; publicKey: string | null; entries: LedgerEntry[] }> {
    const entries = await allPages((o) => this.deps.store.ledger.list(ws, o), 500);
    return { workspace: ws, publicKey: (await this.publicKey(ws)) ?? null, entries };
  }

  /**
   * Recomputes the whole chain of the workspace and checks every checkpoint
   * stored with it against the workspace's public key and the entry it signs;
   * names the first broken entry.
   */
  async verify(ws: string): Promise<LedgerVerification> {
    const all = await allPages((o) => this.deps.store.ledger.signedPage(ws, o), 500);
    const key = await this.deps.store.signingKeys.find(ws);
    const signed = all.filter((s) => s.checkpoint);
    // Without a key, stored signatures cannot verify: checked against an empty key, each is named.
    const checkpoints = signed.map((s) => stored(ws, s.entry, s.checkpoint!, key?.publicKey ?? ''));
    const report = await auditLedger(
      all.map((s) => s.entry),
      checkpoints,
      { workspace: ws, publicKey: key?.publicKey ?? '' },
    );
    const first = report.findings[0];
    return {
      ok: report.ok,
      entries: report.entries,
      ...(first
        ? {
            firstBroken: {
              seq: first.seq,
              reason: first.kind === 'broken_chain' ? first.message.replace(/^entry \d+: /, '') : first.message,
            },
          }
        : {}),
      checkpoints: { stored: checkpoints.length, verified: report.checkpoints.verified },
      findings: report.findings,
    };
  }
}

/** What is stored of a checkpoint on its entry's item. */
function storable(cp: Checkpoint | undefined): StoredCheckpoint | undefined {
  return cp ? { at: cp.at, signature: cp.signature } : undefined;
}

/** A checkpoint rebuilt from what is stored on an entry's item. */
function stored(ws: string, entry: LedgerEntry, cp: StoredCheckpoint, publicKey: string): Checkpoint {
  return { workspace: ws, seq: entry.seq, hash: entry.hash, at: cp.at, publicKey, signature: cp.signature };
}
