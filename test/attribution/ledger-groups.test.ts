import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { GENESIS_HASH, hashEntry, ManualClock, type LedgerEntry } from '@drumbeat/core';
import type { Services } from '@drumbeat/services';
import { servicesOver, startTestApi, type TestApi } from '../support/api.js';
import { ledgerDraft as draft } from '../support/ledger-draft.js';

/**
 * The only writer (the embedded runtime) writes the appends waiting for a
 * workspace as one group; a crash mid-group can leave its end written past a
 * gap, which the next process withdraws before building on it.
 */
let api: TestApi;
beforeAll(async () => {
  api = await startTestApi({ now: '2026-11-23T10:00:00Z' });
});
afterAll(() => api.close());

/** Another embedded process over the same table (after a restart): an empty head cache, the only writer. */
const restarted = (): Services =>
  servicesOver(api, new ManualClock('2026-11-23T12:00:00Z'), {
    channel: { publish: async () => ({}) },
    singleWriter: true,
  });

/** Entries as a group cut short would have left them: chained from `after`, written from `from` on (the ones before it never landed). */
async function tornGroup(
  ws: string,
  after: { seq: number; hash: string },
  size: number,
  from: number,
): Promise<LedgerEntry[]> {
  const out: LedgerEntry[] = [];
  let prev = after;
  for (let i = 1; i <= size; i++) {
    const unsigned = { ...draft(1000 + after.seq + i), seq: prev.seq + 1, prevHash: prev.hash };
    const e: LedgerEntry = { ...unsigned, hash: await hashEntry(unsigned) };
    if (i >= from) expect(await api.store.ledger.append(ws, e)).toBe(true);
    out.push(e);
    prev = e;
  }
  return out;
}

describe('grouped appends of the only writer', () => {
  it('write a burst together, in groups, as one contiguous chain that verifies', async () => {
    const ws = 'ws_01m8groupsaaaaaaaaaaaaaaa';
    let inFlight = 0;
    let most = 0;
    const put = api.store.ledger.append.bind(api.store.ledger);
    const spy = vi.spyOn(api.store.ledger, 'append').mockImplementation(async (w, e, cp) => {
      most = Math.max(most, ++inFlight);
      try {
        return await put(w, e, cp);
      } finally {
        inFlight--;
      }
    });
    try {
      const entries = await Promise.all(
        Array.from({ length: 120 }, (_, i) => api.services.ledger.append(ws, draft(i))),
      );
      expect(entries.map((e) => e.seq).sort((a, b) => a - b)).toEqual(Array.from({ length: 120 }, (_, i) => i + 1));
      expect(spy).toHaveBeenCalledTimes(120);
      expect(most).toBeGreaterThan(1); // written together, not one round trip each
      expect(most).toBeLessThanOrEqual(25);
      const verified = await api.services.ledger.verify(ws);
      expect(verified).toMatchObject({ ok: true, entries: 120, findings: [] });
      // one signed checkpoint per group written, not per entry; the last one signs the head
      expect(verified.checkpoints.stored).toBeGreaterThanOrEqual(5);
      expect(verified.checkpoints.stored).toBeLessThan(120);
      expect(verified.checkpoints.verified).toBe(verified.checkpoints.stored);
      expect(await api.services.ledger.latestCheckpoint(ws)).toMatchObject({
        workspace: ws,
        seq: 120,
        hash: entries.find((e) => e.seq === 120)!.hash,
      });
    } finally {
      spy.mockRestore();
    }
  });

  it('withdraw the end of a group a crash cut short, before recovering from it or appending after it', async () => {
    const ws = 'ws_01m8tornaaaaaaaaaaaaaaaaa';
    const before = restarted();
    const sound = [];
    for (let i = 0; i < 3; i++) sound.push(await before.ledger.append(ws, draft(i)));
    // A group of five chained after entry 3 was cut short: its first write (seq 4) never landed, 5 to 8 did.
    const torn = await tornGroup(ws, sound[2]!, 5, 2);
    expect((await api.services.ledger.verify(ws)).ok).toBe(false);

    const after = restarted();
    // A post whose publication was in that group is not found: its recovery publishes again (same idempotency key) and records anew.
    expect(await after.ledger.entryOf(ws, torn[1]!.postId, '2026-01-01T00:00:00Z')).toBeUndefined();
    const next = await after.ledger.append(ws, draft(99));
    expect(next).toMatchObject({ seq: 4, prevHash: sound[2]!.hash });
    expect(await after.ledger.verify(ws)).toMatchObject({ ok: true, entries: 4, findings: [] });
  });

  it('withdraw a torn first group too, starting the chain again at 1', async () => {
    const ws = 'ws_01m8firstaaaaaaaaaaaaaaaa';
    await tornGroup(ws, { seq: 0, hash: GENESIS_HASH }, 3, 2);
    const first = await restarted().ledger.append(ws, draft(7));
    expect(first).toMatchObject({ seq: 1, prevHash: GENESIS_HASH });
    expect(await api.services.ledger.verify(ws)).toMatchObject({ ok: true, entries: 1, findings: [] });
  });
});
