import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Conflict, NotFound, type VoiceRecord } from '@drumbeat/core';
import { GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import type { Store } from '@drumbeat/store';
import { startTestStore } from '../support/store.js';

let store: Store;
let close: () => Promise<void>;
beforeAll(async () => ({ store, close } = await startTestStore()));
afterAll(() => close());

const voice = (id: string, ws = 'ws_a'): VoiceRecord => ({
  id,
  workspaceId: ws,
  name: `Voice ${id}`,
  affiliation: 'in_house',
  createdAt: '2026-11-23T10:00:00.000Z',
  updatedAt: '2026-11-23T10:00:00.000Z',
  version: 1,
});

describe('a workspace collection on the embedded engine, through the real SDK', () => {
  it('stores and reads back a record with every key prefixed by its workspace', async () => {
    await store.voices.create('ws_a', voice('vce_1'));
    expect(await store.voices.get('ws_a', 'vce_1')).toEqual(voice('vce_1'));
    const raw = await store.db.doc.send(
      new GetCommand({ TableName: store.db.table, Key: { pk: 'WS#ws_a', sk: 'VOICE#vce_1' } }),
    );
    expect(raw.Item?.pk).toBe('WS#ws_a');
  });

  it('refuses to create an id twice (conditional write)', async () => {
    await store.voices.create('ws_a', voice('vce_dup'));
    await expect(store.voices.create('ws_a', voice('vce_dup'))).rejects.toBeInstanceOf(Conflict);
  });

  it('refuses a replace based on a stale version, so concurrent edits never overwrite each other', async () => {
    await store.voices.create('ws_a', voice('vce_v'));
    const read = await store.voices.get('ws_a', 'vce_v');
    await store.voices.replace('ws_a', { ...read, name: 'first', version: 2 }, 1);
    await expect(store.voices.replace('ws_a', { ...read, name: 'second', version: 2 }, 1)).rejects.toBeInstanceOf(
      Conflict,
    );
    expect((await store.voices.get('ws_a', 'vce_v')).name).toBe('first');
  });

  it('runs concurrent replaces of one version with exactly one winner', async () => {
    await store.voices.create('ws_a', voice('vce_race'));
    const results = await Promise.allSettled(
      Array.from({ length: 10 }, (_, i) =>
        store.voices.replace('ws_a', { ...voice('vce_race'), name: `w${i}`, version: 2 }, 1),
      ),
    );
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
  });

  it('never shows one workspace the rows of another', async () => {
    await store.voices.create('ws_b', voice('vce_b1', 'ws_b'));
    await expect(store.voices.get('ws_a', 'vce_b1')).rejects.toBeInstanceOf(NotFound);
    const page = await store.voices.list('ws_a', { limit: 100 });
    expect(page.items.map((v) => v.id)).not.toContain('vce_b1');
  });

  it('pages through a list with cursors and ends with a null cursor', async () => {
    for (let i = 0; i < 5; i++) await store.voices.create('ws_p', voice(`vce_p${i}`, 'ws_p'));
    const seen: string[] = [];
    let cursor: string | undefined;
    for (let n = 0; n < 10; n++) {
      const page = await store.voices.list('ws_p', { limit: 2, cursor });
      seen.push(...page.items.map((v) => v.id));
      if (!page.nextCursor) break;
      cursor = page.nextCursor;
    }
    expect(seen).toEqual(['vce_p0', 'vce_p1', 'vce_p2', 'vce_p3', 'vce_p4']);
  });

  it('rejects forged or foreign cursors as bad input, not as a server error', async () => {
    const foreign = Buffer.from(JSON.stringify({ sk: 'KEY#key_x' })).toString('base64url');
    for (const cursor of ['%%%', 'eyJ4IjoxfQ', foreign]) {
      await expect(store.voices.list('ws_a', { limit: 2, cursor })).rejects.toMatchObject({ status: 400 });
    }
  });

  it('deletes only what exists', async () => {
    await store.voices.create('ws_a', voice('vce_del'));
    await store.voices.remove('ws_a', 'vce_del');
    await expect(store.voices.remove('ws_a', 'vce_del')).rejects.toBeInstanceOf(NotFound);
  });
});

describe('workspaces', () => {
  it('gives every workspace a unique slug', async () => {
    await store.workspaces.create({ id: 'ws_s1', name: 'One', slug: 'acme', createdAt: '2026-11-23T10:00:00.000Z' });
    await expect(
      store.workspaces.create({ id: 'ws_s2', name: 'Two', slug: 'acme', createdAt: '2026-11-23T10:00:00.000Z' }),
    ).rejects.toBeInstanceOf(Conflict);
    expect((await store.workspaces.findBySlug('acme'))?.id).toBe('ws_s1');
    expect(await store.workspaces.find('ws_s2')).toBeUndefined();
  });
});

describe('idempotency keys', () => {
  const now = new Date('2026-11-23T10:00:00Z');
  it('claims a key once, then replays, refuses another body, and reports in-progress', async () => {
    expect(await store.idempotency.begin('ws_i', 'k1', 'fp1', now)).toEqual({ kind: 'new' });
    expect(await store.idempotency.begin('ws_i', 'k1', 'fp1', now)).toEqual({ kind: 'in-progress' });
    await store.idempotency.complete('ws_i', 'k1', { status: 201, contentType: 'application/json', body: '{"a":1}' });
    expect(await store.idempotency.begin('ws_i', 'k1', 'fp1', now)).toEqual({
      kind: 'replay',
      response: { status: 201, contentType: 'application/json', body: '{"a":1}' },
    });
    expect(await store.idempotency.begin('ws_i', 'k1', 'fp2', now)).toEqual({ kind: 'mismatch' });
  });

  it('lets a key be used again once it has expired, without relying on TTL deletion', async () => {
    await store.idempotency.begin('ws_i', 'k2', 'fp1', now, 1000);
    const later = new Date(now.getTime() + 5000);
    expect(await store.idempotency.begin('ws_i', 'k2', 'fp2', later)).toEqual({ kind: 'new' });
  });

  it('lets exactly one of many concurrent requests claim a key', async () => {
    const r = await Promise.all(Array.from({ length: 10 }, () => store.idempotency.begin('ws_i', 'k3', 'fp', now)));
    expect(r.filter((x) => x.kind === 'new')).toHaveLength(1);
  });

  it('forgets an abandoned claim', async () => {
    await store.idempotency.begin('ws_i', 'k4', 'fp', now);
    await store.idempotency.abandon('ws_i', 'k4');
    expect(await store.idempotency.begin('ws_i', 'k4', 'fp', now)).toEqual({ kind: 'new' });
  });
});

describe('the raw engine', () => {
  it('answers a failed condition with ConditionalCheckFailedException, as DynamoDB does', async () => {
    const put = () =>
      store.db.doc.send(
        new PutCommand({
          TableName: store.db.table,
          Item: { pk: 'X', sk: 'Y' },
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      );
    await put();
    await expect(put()).rejects.toMatchObject({ name: 'ConditionalCheckFailedException' });
  });
});
