import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Store } from '@drumbeat/store';
import { backfillEmailRefs } from '../../scripts/backfill-email-refs.js';
import { accountRecord } from '../support/account-record.js';
import { startTestStore } from '../support/store.js';

let store: Store;
let close: () => Promise<void>;
beforeAll(async () => ({ store, close } = await startTestStore()));
afterAll(() => close());

const acc = (ws: string, id: string) => ({ workspaceId: ws, kind: 'account' as const, id });

describe('address refs: from an address to what uses it', () => {
  it('finds every owner of an address, across workspaces, whatever its case', async () => {
    await store.emailRefs.track(
      acc('ws_a', 'acc_1'),
      [],
      ['Ops@Acme.example', 'team@acme.example'],
      async () => undefined,
    );
    await store.emailRefs.track(
      { workspaceId: 'ws_b', kind: 'voice', id: 'vce_1' },
      [],
      ['ops@acme.example'],
      async () => undefined,
    );
    expect(await store.emailRefs.owners('OPS@acme.example')).toEqual([
      acc('ws_a', 'acc_1'),
      { workspaceId: 'ws_b', kind: 'voice', id: 'vce_1' },
    ]);
    expect(await store.emailRefs.owners('team@acme.example')).toEqual([acc('ws_a', 'acc_1')]);
    expect(await store.emailRefs.owners('nobody@acme.example')).toEqual([]);
  });

  it('puts new addresses before the owner is written and drops old ones after it', async () => {
    const seen: string[][] = [];
    await store.emailRefs.track(acc('ws_a', 'acc_2'), ['old@acme.example'], [], async () => undefined);
    await store.emailRefs.track(acc('ws_a', 'acc_2'), [], ['old@acme.example'], async () => undefined);
    await store.emailRefs.track(acc('ws_a', 'acc_2'), ['old@acme.example'], ['new@acme.example'], async () => {
      seen.push(
        (await store.emailRefs.owners('new@acme.example')).map((o) => o.id),
        (await store.emailRefs.owners('old@acme.example')).map((o) => o.id),
      );
    });
    expect(seen).toEqual([['acc_2'], ['acc_2']]); // during the write: both (a superset of the truth)
    expect(await store.emailRefs.owners('old@acme.example')).toEqual([]);
    expect(await store.emailRefs.owners('new@acme.example')).toEqual([acc('ws_a', 'acc_2')]);
  });

  it('leaves an extra ref, never a missing one, when the owner write fails', async () => {
    const failing = store.emailRefs.track(
      acc('ws_a', 'acc_3'),
      ['kept@acme.example'],
      ['added@acme.example'],
      async () => {
        throw new Error('conflict');
      },
    );
    await expect(failing).rejects.toThrow('conflict');
    expect(await store.emailRefs.owners('added@acme.example')).toEqual([acc('ws_a', 'acc_3')]); // checked against the owner when read
  });
});

describe('the backfill of address refs', () => {
  it('writes the refs of accounts and voices stored before refs existed, once however often it runs', async () => {
    const now = '2026-12-06T04:00:00.000Z';
    await store.accounts.create(
      'ws_old',
      accountRecord({ id: 'acc_old', workspaceId: 'ws_old', alerts: { emails: ['Legacy@Acme.example'] } }),
    );
    await store.voices.create('ws_old', {
      id: 'vce_old',
      workspaceId: 'ws_old',
      name: 'Old',
      email: 'voice@acme.example',
      affiliation: 'in_house',
      createdAt: now,
      updatedAt: now,
      version: 1,
    });
    expect(await store.emailRefs.owners('legacy@acme.example')).toEqual([]);
    expect(await backfillEmailRefs(store.db)).toBeGreaterThanOrEqual(2);
    await backfillEmailRefs(store.db);
    expect(await store.emailRefs.owners('legacy@acme.example')).toEqual([acc('ws_old', 'acc_old')]);
    expect(await store.emailRefs.owners('voice@acme.example')).toEqual([
      { workspaceId: 'ws_old', kind: 'voice', id: 'vce_old' },
    ]);
  });
});
