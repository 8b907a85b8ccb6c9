import { describe, expect, it } from 'vitest';
import { generateKeyPairSync, sign } from 'node:crypto';
import { GENESIS_HASH, hashEntry, type LedgerEntry } from './ledger.js';
import { checkpointMessage, toBase64Url, type Checkpoint } from './checkpoint.js';
import { auditLedger } from './ledger-audit.js';

const WS = 'ws_01jd8x3k2m9q4r7s0t1v2w3x4y';
const pair = generateKeyPairSync('ed25519');
const publicKey = pair.publicKey.export({ format: 'jwk' }).x!;

async function chain(n: number, tweak: (i: number) => string = (i) => `Writer ${i}`): Promise<LedgerEntry[]> {
  const out: LedgerEntry[] = [];
  let prev = GENESIS_HASH;
  for (let seq = 1; seq <= n; seq++) {
    const unsigned = {
      seq,
      postId: `pst_${seq}`,
      accountId: 'acc_1',
      voice: { id: 'vce_1', name: tweak(seq), affiliation: 'agency' as const, organization: null },
      approvedBy: [],
      channel: 'webhook' as const,
      externalUrl: null,
      publishedAt: `2026-11-23T10:0${seq}:00.000Z`,
      contentHash: 'c'.repeat(64),
      prevHash: prev,
    };
    const e = { ...unsigned, hash: await hashEntry(unsigned) };
    out.push(e);
    prev = e.hash;
  }
  return out;
}

const checkpoint = (
  e: { seq: number; hash: string },
  key = pair.privateKey,
  pub = publicKey,
  at = '2026-11-23T11:00:00.000Z',
): Checkpoint => {
  const head = { workspace: WS, seq: e.seq, hash: e.hash, at };
  return { ...head, publicKey: pub, signature: toBase64Url(sign(null, checkpointMessage(head), key)) };
};

describe('auditing a ledger against checkpoints', () => {
  it('holds when every checkpoint is in the chain', async () => {
    const entries = await chain(4);
    const r = await auditLedger(
      entries,
      entries.map((e) => checkpoint(e)),
    );
    expect(r).toMatchObject({
      ok: true,
      workspace: WS,
      entries: 4,
      checkpoints: { total: 4, verified: 4, matched: 4, ignored: 0 },
      findings: [],
    });
  });

  it('names the rewritten entry between the last checkpoint that matches and the first that does not', async () => {
    const original = await chain(6);
    const cps = [checkpoint(original[1]!), checkpoint(original[4]!)];
    const forged = await chain(6, (i) => (i === 4 ? 'Someone Else' : `Writer ${i}`));
    const r = await auditLedger(forged, cps);
    expect(r.findings.map((f) => [f.kind, f.seq])).toEqual([['rewritten', 5]]);
    expect(r.findings[0]!.message).toContain('an entry between 3 and 5 was rewritten');
  });

  it('names a rollback, a bad signature, another key and a forked pair of checkpoints', async () => {
    const entries = await chain(5);
    const other = generateKeyPairSync('ed25519');
    const forkedTwin = checkpoint({ seq: 2, hash: 'f'.repeat(64) });
    const badSig = { ...checkpoint(entries[0]!), at: '2026-11-23T12:00:00.000Z' }; // altered after signing
    const foreign = checkpoint(entries[2]!, other.privateKey, other.publicKey.export({ format: 'jwk' }).x!);
    const r = await auditLedger(
      entries.slice(0, 3),
      [checkpoint(entries[1]!), forkedTwin, badSig, foreign, checkpoint(entries[4]!)],
      { publicKey },
    );
    expect(r.findings.map((f) => [f.kind, f.seq])).toEqual([
      ['bad_signature', 1],
      ['forked_checkpoints', 2],
      ['rewritten', 2], // the twin's head is not the export's entry 2 either
      ['key_mismatch', 3],
      ['rolled_back', 5],
    ]);
    expect(r.findings.at(-1)!.message).toContain('entries 4 to 5 are missing');
    expect(r.ok).toBe(false);
  });

  it('ignores other workspaces’ checkpoints and names a broken chain', async () => {
    const entries = await chain(3);
    entries[1] = { ...entries[1]!, contentHash: 'd'.repeat(64) };
    const r = await auditLedger(
      entries,
      [checkpoint(entries[0]!), { ...checkpoint(entries[0]!), workspace: 'ws_other' }],
      { workspace: WS },
    );
    expect(r.checkpoints).toMatchObject({ total: 1, ignored: 1 });
    expect(r.findings).toEqual([
      { kind: 'broken_chain', seq: 2, message: 'entry 2: hash does not match the entry content' },
    ]);
  });
});
