import { verifyChain, type LedgerEntry } from './ledger.js';
import { verifyCheckpoint, type Checkpoint } from './checkpoint.js';

/** What an audit found wrong, naming the entry. */
export interface AuditFinding {
  kind: 'broken_chain' | 'rewritten' | 'rolled_back' | 'bad_signature' | 'forked_checkpoints' | 'key_mismatch';
  /** The sequence number the finding is about. */
  seq: number;
  message: string;
}

/** The result of checking a ledger export against checkpoints held elsewhere. */
export interface AuditReport {
  ok: boolean;
  workspace: string | null;
  entries: number;
  /** The export's last entry. */
  head: { seq: number; hash: string } | null;
  checkpoints: {
    /** Checkpoints of this workspace that were given. */
    total: number;
    /** Of those, how many carry a valid signature (under the pinned key, when one is given). */
    verified: number;
    /** Of the verified ones, how many the export still contains. */
    matched: number;
    /** Checkpoints of other workspaces, ignored. */
    ignored: number;
  };
  /** In sequence order; empty when ok. */
  findings: AuditFinding[];
}

/**
 * Checks a ledger (all of a workspace's entries, in any order) against
 * checkpoints collected by someone else: the chain must hold from the
 * genesis, every verified checkpoint's head must be in it (else the entries
 * up to it were rewritten), and none may lie beyond its end (else it was
 * rolled back). `workspace` defaults to the checkpoints' own; `publicKey`
 * pins the key that must have signed them (else each is checked against the
 * key it carries, and all must carry the same one).
 */
export async function auditLedger(
  entries: LedgerEntry[],
  checkpoints: Checkpoint[],
  opts: { workspace?: string; publicKey?: string } = {},
): Promise<AuditReport> {
  const sorted = [...entries].sort((a, b) => a.seq - b.seq);
  const findings: AuditFinding[] = [];
  const chain = await verifyChain(sorted);
  if (chain.firstBroken)
    findings.push({
      kind: 'broken_chain',
      seq: chain.firstBroken.seq,
      message: `entry ${chain.firstBroken.seq}: ${chain.firstBroken.reason}`,
    });
  const last = sorted.at(-1);
  const workspace = opts.workspace ?? checkpoints[0]?.workspace ?? null;
  const mine = checkpoints.filter((c) => c.workspace === workspace);
  const pinned = opts.publicKey ?? mine[0]?.publicKey;

  const verified: Checkpoint[] = [];
  for (const cp of mine) {
    if (pinned !== undefined && cp.publicKey !== pinned) {
      findings.push({
        kind: 'key_mismatch',
        seq: cp.seq,
        message: `checkpoint ${cp.seq} (${cp.at}) is signed by another key (${cp.publicKey}) than ${pinned}; ignored`,
      });
    } else if (await verifyCheckpoint(cp, pinned)) {
      verified.push(cp);
    } else {
      findings.push({
        kind: 'bad_signature',
        seq: cp.seq,
        message: `checkpoint ${cp.seq} (${cp.at}): the signature does not verify; ignored`,
      });
    }
  }

  const bySeq = new Map(sorted.map((e) => [e.seq, e]));
  const seen = new Map<number, Checkpoint>();
  let lastMatched = 0;
  let rewritten: Checkpoint | undefined;
  let laterMismatches = 0;
  let rolledBack: Checkpoint | undefined;
  let matched = 0;
  for (const cp of [...verified].sort((a, b) => a.seq - b.seq || a.at.localeCompare(b.at))) {
    const twin = seen.get(cp.seq);
    if (twin && twin.hash !== cp.hash) {
      findings.push({
        kind: 'forked_checkpoints',
        seq: cp.seq,
        message: `two signed checkpoints for entry ${cp.seq} disagree (${twin.at}: ${twin.hash}, ${cp.at}: ${cp.hash}): the ledger was forked`,
      });
    }
    seen.set(cp.seq, cp);
    const entry = bySeq.get(cp.seq);
    if (!entry) {
      if (!last || cp.seq > last.seq) {
        if (!rolledBack || cp.seq > rolledBack.seq) rolledBack = cp;
      }
      continue;
    }
    if (entry.hash === cp.hash) {
      matched++;
      if (!rewritten) lastMatched = cp.seq;
    } else if (!rewritten) {
      rewritten = cp;
    } else {
      laterMismatches++;
    }
  }
  if (rewritten) {
    const from = lastMatched + 1;
    const span =
      from === rewritten.seq
        ? `entry ${rewritten.seq} was rewritten`
        : `an entry between ${from} and ${rewritten.seq} was rewritten`;
    const more = laterMismatches
      ? ` (${laterMismatches} later checkpoint${laterMismatches > 1 ? 's' : ''} no longer match either)`
      : '';
    findings.push({
      kind: 'rewritten',
      seq: rewritten.seq,
      message: `${span}: the checkpoint signed at ${rewritten.at} says entry ${rewritten.seq} had hash ${rewritten.hash}, the export has ${bySeq.get(rewritten.seq)!.hash}${more}`,
    });
  }
  if (rolledBack) {
    const end = last?.seq ?? 0;
    const missing =
      end + 1 === rolledBack.seq
        ? `entry ${rolledBack.seq} is missing`
        : `entries ${end + 1} to ${rolledBack.seq} are missing`;
    findings.push({
      kind: 'rolled_back',
      seq: rolledBack.seq,
      message: `the ledger was rolled back: the checkpoint signed at ${rolledBack.at} says entry ${rolledBack.seq} existed, the export ends at ${end === 0 ? 'nothing' : `entry ${end}`}; ${missing}`,
    });
  }
  findings.sort((a, b) => a.seq - b.seq);
  return {
    ok: findings.length === 0,
    workspace,
    entries: sorted.length,
    head: last ? { seq: last.seq, hash: last.hash } : null,
    checkpoints: { total: mine.length, verified: verified.length, matched, ignored: checkpoints.length - mine.length },
    findings,
  };
}
