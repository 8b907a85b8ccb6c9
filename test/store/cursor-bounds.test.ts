import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PostRecord } from '@drumbeat/core';
import type { Store } from '@drumbeat/store';
import { startTestStore } from '../support/store.js';

/**
 * Cursors and windows that DynamoDB itself refuses (ValidationException, so a 500
 * if it reached the engine): found by running the store on DynamoDB Local.
 */
let store: Store;
let close: () => Promise<void>;
beforeAll(async () => ({ store, close } = await startTestStore()));
afterAll(() => close());

const post = (id: string, at: string) =>
  ({
    id,
    workspaceId: 'ws_c',
    accountId: 'acc_c',
    voiceId: 'vce_c',
    text: 't',
    media: [],
    scheduledAt: at,
    status: 'scheduled',
    approvals: [],
    createdAt: at,
    updatedAt: at,
    version: 1,
  }) as unknown as PostRecord;
const cursor = (o: Record<string, string>) => Buffer.from(JSON.stringify(o)).toString('base64url');

describe('list windows and cursors the engine would refuse', () => {
  beforeAll(async () => {
    for (let i = 1; i <= 5; i++) await store.posts.create(post(`pst_${i}`, `2026-12-0${i}T10:00:00.000Z`));
  });

  it('answers a reversed window with an empty page', async () => {
    expect(
      await store.posts.listByAccount('ws_c', 'acc_c', {
        from: '2026-12-05T00:00:00.000Z',
        to: '2026-12-01T00:00:00.000Z',
        limit: 10,
      }),
    ).toEqual({ items: [], nextCursor: null });
  });

  it('refuses, as bad input, a cursor of another window', async () => {
    const first = await store.posts.listByAccount('ws_c', 'acc_c', { limit: 2 });
    expect(first.nextCursor).toBeTruthy();
    const next = await store.posts.listByAccount('ws_c', 'acc_c', { limit: 2, cursor: first.nextCursor! });
    expect(next.items.map((p) => p.id)).toEqual(['pst_3', 'pst_4']);
    for (const window of [{ from: '2026-12-04T00:00:00.000Z' }, { to: '2026-12-01T12:00:00.000Z' }]) {
      await expect(
        store.posts.listByAccount('ws_c', 'acc_c', { ...window, limit: 2, cursor: first.nextCursor! }),
      ).rejects.toMatchObject({ status: 400 });
    }
  });

  it('refuses, as bad input, an empty key or a sort key over 1024 bytes in a cursor', async () => {
    const now = new Date('2026-12-01T00:00:00Z');
    const bad = [
      cursor({ sk: 'POST#pst_1', gsi1sk: '' }),
      cursor({ sk: `POST#${'€'.repeat(400)}`, gsi1sk: '2026-12-02' }),
    ];
    for (const c of bad)
      await expect(store.posts.listByAccount('ws_c', 'acc_c', { limit: 2, cursor: c })).rejects.toMatchObject({
        status: 400,
      });
    const empty = cursor({ sk: 'ALERT#alr_x', gsi1sk: '' });
    await expect(store.alerts.list('ws_c', { accountId: 'acc_c', limit: 2, cursor: empty })).rejects.toMatchObject({
      status: 400,
    });
    const emptyDelivery = cursor({ sk: 'DELIVERY#dlv_x', gsi1sk: '' });
    await expect(
      store.deliveries.listByWebhook('ws_c', 'whk_x', { limit: 2, cursor: emptyDelivery, now }),
    ).rejects.toMatchObject({ status: 400 });
  });

  it("refuses a cursor of another account's list (it would skip that account's posts)", async () => {
    for (let i = 1; i <= 3; i++)
      await store.posts.create({ ...post(`pst_o${i}`, `2026-12-0${i}T11:00:00.000Z`), accountId: 'acc_other' });
    const theirs = await store.posts.listByAccount('ws_c', 'acc_other', { limit: 1 });
    await expect(
      store.posts.listByAccount('ws_c', 'acc_c', { limit: 2, cursor: theirs.nextCursor! }),
    ).rejects.toMatchObject({ status: 400 });
    const ours = await store.posts.listByAccount('ws_c', 'acc_c', { limit: 1 });
    await expect(
      store.posts.listByAccount('ws_c', 'acc_other', { limit: 2, cursor: ours.nextCursor! }),
    ).rejects.toMatchObject({ status: 400 });
  });
});

describe('filtered lists', () => {
  it('fill each page up to the limit and never hand out an empty page with a cursor', async () => {
    // 60 posts, every 10th canceled: by status, pages of 4 hold 4, 2, then end.
    for (let i = 0; i < 60; i++) {
      const at = new Date(Date.UTC(2027, 0, 1) + i * 3_600_000).toISOString();
      await store.posts.create({
        ...post(`pst_f${String(i).padStart(2, '0')}`, at),
        accountId: 'acc_f',
        status: i % 10 === 0 ? 'canceled' : 'scheduled',
      } as PostRecord);
    }
    const pages: string[][] = [];
    let cursor: string | undefined;
    do {
      const page = await store.posts.listByAccount('ws_c', 'acc_f', { status: 'canceled', limit: 4, cursor });
      pages.push(page.items.map((p) => p.id));
      cursor = page.nextCursor ?? undefined;
    } while (cursor);
    expect(pages).toEqual([
      ['pst_f00', 'pst_f10', 'pst_f20', 'pst_f30'],
      ['pst_f40', 'pst_f50'],
    ]);
    // unfiltered paging is unchanged
    const first = await store.posts.listByAccount('ws_c', 'acc_f', { limit: 25 });
    const second = await store.posts.listByAccount('ws_c', 'acc_f', { limit: 50, cursor: first.nextCursor! });
    expect([first.items.length, second.items.length, second.nextCursor]).toEqual([25, 35, null]);
  });
});
