import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BatchGetCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { singleWriterCache, Store, type Db } from '@drumbeat/store';
import { LedgerService, type ServiceDeps } from '@drumbeat/services';
import { accountBody, startWithVoice, type TestApi } from '../support/api.js';
import { ledgerDraft as draft } from '../support/ledger-draft.js';

// A restart's first round runs every due publish at once: the reads they all make first (the account and
// voice, the ledger's head) are shared by the callers that miss together instead of made once per post.

let api: TestApi;
let key: string;
let ws: string;
let voiceId: string;
let accountId: string;
beforeAll(async () => {
  ({ api, key, ws, voiceId } = await startWithVoice({ name: 'Anna Bell', affiliation: 'agency' }));
  accountId = (await api.call('POST', '/v1/accounts', { key, body: accountBody({ channel: { type: 'manual' } }) })).body
    .id;
});
afterAll(() => api.close());

/** The test store, counting the BatchGetItem and Query calls made through it. */
function countingStore(): { store: Store; batchGets: () => number; queries: () => number } {
  let batchGets = 0;
  let queries = 0;
  const count = (cmd: unknown) =>
    void (cmd instanceof BatchGetCommand ? batchGets++ : cmd instanceof QueryCommand ? queries++ : 0);
  const doc = { send: (cmd: unknown) => (count(cmd), api.store.db.doc.send(cmd as never)) } as unknown as Db['doc'];
  return { store: new Store({ doc, table: api.store.db.table }), batchGets: () => batchGets, queries: () => queries };
}

describe('reads shared by callers that miss together', () => {
  it('twenty publishes asking at once for the same account and voice make one read', async () => {
    const { store, batchGets } = countingStore();
    const { accounts } = singleWriterCache(store);
    const found = await Promise.all(Array.from({ length: 20 }, () => accounts.findWithVoice(ws, accountId, voiceId)));
    expect(batchGets()).toBe(1);
    for (const f of found) expect([f.account?.id, f.voice?.id]).toEqual([accountId, voiceId]);
    await accounts.findWithVoice(ws, accountId, voiceId);
    expect(batchGets()).toBe(1); // remembered
  });

  it('a caller that comes after a change does not join a read begun before it', async () => {
    const { store, batchGets } = countingStore();
    const { accounts } = singleWriterCache(store);
    const account = await store.accounts.get(ws, accountId);
    const before = accounts.findWithVoice(ws, accountId, voiceId);
    // The account changes while the read is under way.
    const edit = accounts.replace(ws, { ...account, version: account.version + 1 }, account.version);
    const after = accounts.findWithVoice(ws, accountId, voiceId);
    await Promise.all([before, after, edit]);
    expect(batchGets()).toBe(2);
  });

  it('where the table has other writers (AWS), every caller reads for itself', async () => {
    const { store, batchGets } = countingStore();
    await Promise.all(Array.from({ length: 5 }, () => store.accounts.findWithVoice(ws, accountId, voiceId)));
    expect(batchGets()).toBe(5);
  });

  it("twenty recovering publishes asking at once for the ledger's head and their entries make one read of each", async () => {
    const { store, queries } = countingStore();
    const ledger = onlyWritersLedger(store);
    const found = await Promise.all(
      Array.from({ length: 20 }, (_, i) => ledger.entryOf(ws, `pst_missing${i}`, '2026-11-23T00:00:00Z')),
    );
    expect(found.every((e) => e === undefined)).toBe(true);
    expect(queries()).toBe(2); // the head, then the recent entries (each post searched them on its own: 1 + 20)
  });

  it('a recovery that comes after a ledger write does not join a read of the entries begun before it', async () => {
    // Once the gate is shut, a query's answer (read before the append) is held back until it opens.
    let shut: Promise<void> | undefined;
    let open!: () => void;
    const doc = {
      send: async (cmd: unknown) => {
        const held = cmd instanceof QueryCommand ? shut : undefined;
        const answer = await api.store.db.doc.send(cmd as never);
        await held;
        return answer;
      },
    } as unknown as Db['doc'];
    const ledger = onlyWritersLedger(new Store({ doc, table: api.store.db.table }));
    const wsId = 'ws_01m8sharedreadsaaaaaaaaaa';
    const since = '2026-11-23T00:00:00Z';
    await ledger.entryOf(wsId, draft(0).postId, since); // the head is known from here on
    shut = new Promise<void>((r) => (open = r));
    const early = ledger.entryOf(wsId, draft(2).postId, since); // its read happens now, its answer waits
    await new Promise((r) => setTimeout(r, 50));
    const appended = await ledger.append(wsId, draft(1));
    // A read of its own after the append finds the entry; the one begun before it (maybe still under way) is not shared.
    const late = ledger.entryOf(wsId, draft(1).postId, since);
    open();
    expect(await late).toMatchObject({ seq: appended.seq, postId: draft(1).postId });
    expect(await early).toBeUndefined();
  });
});

/** The embedded runtime's ledger (the only writer) over `store`: entryOf and append read and write the store only. */
const onlyWritersLedger = (store: Store) =>
  new LedgerService({ store, clock: api.clock, singleWriter: true } as unknown as ServiceDeps);
