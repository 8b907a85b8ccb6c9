import { describe, expect, it } from 'vitest';
import { canonicalJson, GENESIS_HASH, hashEntry, sha256, tornTail, verifyChain, type LedgerEntry } from './ledger.js';

async function chain(n: number): Promise<LedgerEntry[]> {
  const out: LedgerEntry[] = [];
  let prev = GENESIS_HASH;
  for (let seq = 1; seq <= n; seq++) {
    const draft = {
      seq,
      postId: `pst_${seq}`,
      accountId: 'acc_1',
      voice: { id: 'vce_1', name: 'Anna', affiliation: 'agency' as const, organization: 'Northwind' },
      approvedBy: ['vce_2'],
      channel: 'webhook' as const,
      externalUrl: `https://social.example/${seq}`,
      publishedAt: `2026-11-2${seq}T10:00:00.000Z`,
      contentHash: await sha256(`post ${seq}`),
      prevHash: prev,
    };
    const entry = { ...draft, hash: await hashEntry(draft) };
    out.push(entry);
    prev = entry.hash;
  }
  return out;
}

describe('the attribution ledger chain', () => {
  it('hashes with SHA-256 (the NIST FIPS 180-2 vectors)', async () => {
    expect(await sha256('abc')).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
    expect(await sha256('')).toBe('e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
    expect(await sha256('abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq')).toBe(
      '248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1',
    );
    expect(await sha256('a'.repeat(1_000_000))).toBe(
      'cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0',
    );
  });

  it('hashes the UTF-8 bytes of the text (checked with coreutils sha256sum)', async () => {
    expect(await sha256('Café 🚀')).toBe('04a6eb2c6b294e87c215e9b7aee6ecc7355ce759243507f1b28a357d0100853d');
  });

  it('serialises canonically: key order does not change the text', () => {
    expect(canonicalJson({ b: 1, a: { d: [1, { f: 2, e: 3 }], c: null } })).toBe(
      canonicalJson({ a: { c: null, d: [1, { e: 3, f: 2 }] }, b: 1 }),
    );
  });

  it('verifies an intact chain', async () => {
    expect(await verifyChain(await chain(5))).toEqual({ ok: true, entries: 5 });
  });

  it('names the entry whose content was changed', async () => {
    const c = await chain(5);
    c[2] = { ...c[2]!, voice: { ...c[2]!.voice, affiliation: 'in_house' } };
    expect((await verifyChain(c)).firstBroken).toEqual({ seq: 3, reason: 'hash does not match the entry content' });
  });

  it('names an entry rehashed after tampering, by its successor link', async () => {
    const c = await chain(5);
    const forged = { ...c[1]!, externalUrl: 'https://elsewhere.example' };
    c[1] = { ...forged, hash: await hashEntry(forged) };
    expect((await verifyChain(c)).firstBroken).toEqual({
      seq: 3,
      reason: 'prevHash does not match the previous entry',
    });
  });

  it('names a gap in the sequence', async () => {
    const c = await chain(5);
    c.splice(3, 1);
    expect((await verifyChain(c)).firstBroken?.seq).toBe(5);
  });
});

describe('tornTail', () => {
  it('keeps a whole chain', async () => {
    const c = await chain(4);
    expect(tornTail(c, true)).toEqual({ sound: c, torn: [] });
  });

  it('cuts at a gap in the sequence, and at an entry off the chain', async () => {
    const c = await chain(6);
    expect(tornTail([c[0]!, c[1]!, c[3]!, c[4]!], true)).toEqual({ sound: [c[0], c[1]], torn: [c[3], c[4]] });
    const forked = { ...c[2]!, prevHash: 'f'.repeat(64) };
    expect(tornTail([c[0]!, c[1]!, forked, c[3]!], true).torn).toEqual([forked, c[3]]);
  });

  it('needs the first entry to follow the genesis only when it holds the whole ledger', async () => {
    const c = await chain(5);
    expect(tornTail(c.slice(2), true).torn).toEqual(c.slice(2));
    expect(tornTail(c.slice(2), false).torn).toEqual([]);
  });
});

describe('answers in the ledger (issue 18)', () => {
  it('leaves the hash of entries written before answers existed unchanged, and covers kind and answers in new ones', async () => {
    const [old] = await chain(1);
    const { hash, ...body } = old!;
    // An entry without the new fields hashes exactly as before (they are absent, not null).
    expect(await hashEntry({ ...body, kind: undefined, answers: undefined })).toBe(hash);
    const reply = {
      ...body,
      kind: 'reply' as const,
      answers: { conversationId: 'cnv_1', network: 'mastodon', externalId: '42', url: null, author: '@jo' },
    };
    const replyHash = await hashEntry(reply);
    expect(replyHash).not.toBe(hash);
    expect(await hashEntry({ ...reply, answers: { ...reply.answers, externalId: '43' } })).not.toBe(replyHash);
    expect((await verifyChain([{ ...reply, hash: replyHash }])).ok).toBe(true);
    expect((await verifyChain([{ ...reply, kind: undefined, hash: replyHash }])).firstBroken?.reason).toBe(
      'hash does not match the entry content',
    );
  });
});
