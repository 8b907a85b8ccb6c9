import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GetCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { parse } from 'csv-parse/sync';
import { ManualClock, type Channel } from '@drumbeat/core';
import type { Services } from '@drumbeat/services';
import { accountBody, servicesOver, startTestApi, type TestApi } from '../support/api.js';

let api: TestApi;
let key: string;
let ws: string;
const calls = new Map<string, number>();
const countingChannel: Channel = {
  async publish(req) {
    calls.set(req.postId, (calls.get(req.postId) ?? 0) + 1);
    await new Promise((r) => setTimeout(r, Math.random() * 3));
    return { url: `https://social.example/${req.postId}` };
  },
};

/** Another drumbeat process over the same table (not the only writer): its own ledger head cache, publisher and instance id. */
const publisherInstance = (clock: ManualClock): Services => servicesOver(api, clock, { channel: countingChannel });

beforeAll(async () => {
  api = await startTestApi({ now: '2026-11-23T10:00:00Z' });
  const w = await api.workspace('Ledger Co');
  key = w.key;
  ws = w.id;
});
afterAll(() => api.close());

describe('the attribution ledger under concurrency', () => {
  it('records 200 publications from 10 concurrent publishers, each delivered 10 times, as 200 contiguous entries that verify', async () => {
    const voices = await Promise.all(
      (['in_house', 'agency', 'freelance', 'automation'] as const).map(
        async (affiliation, i) =>
          (await api.call('POST', '/v1/voices', { key, body: { name: `V${i}`, affiliation } })).body.id as string,
      ),
    );
    const accounts = await Promise.all(
      [0, 1, 2, 3].map(
        async (i) =>
          (await api.call('POST', '/v1/accounts', { key, body: accountBody({ handle: `@acc${i}` }) })).body
            .id as string,
      ),
    );
    const ids: string[] = [];
    for (let i = 0; i < 200; i++) {
      const r = await api.call('POST', `/v1/accounts/${accounts[i % 4]}/posts`, {
        key,
        body: { text: `post ${i}`, voiceId: voices[i % 4], at: '2026-11-23T11:00:00Z' },
      });
      ids.push(r.body.id);
    }
    const clock = new ManualClock('2026-11-23T11:00:00Z');
    const instances = Array.from({ length: 10 }, () => publisherInstance(clock));
    const runs = instances.flatMap((s) => ids.map((postId) => s.publisher.run({ workspaceId: ws, postId })));
    const outcomes = await Promise.all(runs);
    expect(outcomes.filter((o) => o === 'published')).toHaveLength(200);
    expect(calls.size).toBe(200);
    expect([...calls.values()].every((n) => n === 1)).toBe(true);

    const seqs: number[] = [];
    for (const a of accounts) {
      let cursor: string | undefined;
      do {
        const page = await api.call(
          'GET',
          `/v1/accounts/${a}/attribution?limit=200${cursor ? `&cursor=${cursor}` : ''}`,
          { key },
        );
        seqs.push(...page.body.items.map((e: { seq: number }) => e.seq));
        cursor = page.body.nextCursor ?? undefined;
      } while (cursor);
    }
    expect(seqs.sort((a, b) => a - b)).toEqual(Array.from({ length: 200 }, (_, i) => i + 1));
    expect((await api.call('GET', '/v1/attribution/verify', { key })).body).toEqual({
      ok: true,
      entries: 200,
      checkpoints: { stored: 200, verified: 200 },
      findings: [],
    });
  }, 60_000);

  it('names the entry that was tampered with directly in the table', async () => {
    const Key = { pk: `WS#${ws}`, sk: `LEDGER#${String(57).padStart(12, '0')}` };
    // Whoever wrote entry 57 (publishers race), claim another affiliation for them.
    const stored = (await api.store.db.doc.send(new GetCommand({ TableName: api.store.db.table, Key }))).Item!;
    const forged = stored.voice.affiliation === 'in_house' ? 'agency' : 'in_house';
    await api.store.db.doc.send(
      new UpdateCommand({
        TableName: api.store.db.table,
        Key,
        UpdateExpression: 'SET voice.affiliation = :a',
        ExpressionAttributeValues: { ':a': forged },
      }),
    );
    const r = await api.call('GET', '/v1/attribution/verify', { key });
    expect(r.body).toMatchObject({
      ok: false,
      entries: 200,
      firstBroken: { seq: 57, reason: 'hash does not match the entry content' },
    });
    expect(r.body.findings).toEqual([
      { kind: 'broken_chain', seq: 57, message: 'entry 57: hash does not match the entry content' },
    ]);
  });

  it('exports an account’s ledger as CSV', async () => {
    const acc = (await api.call('GET', '/v1/accounts?limit=1', { key })).body.items[0].id;
    const res = await api.app.request(`/v1/accounts/${acc}/attribution.csv`, {
      headers: { Authorization: `Bearer ${key}` },
    });
    expect(res.headers.get('content-type')).toContain('text/csv');
    const rows = parse(await res.text(), { columns: true }) as Record<string, string>[];
    expect(rows).toHaveLength(50);
    expect(rows[0]).toMatchObject({
      account_id: acc,
      channel: 'webhook',
      external_url: expect.stringContaining('https://social.example/'),
    });
    expect(rows[0]!.hash).toMatch(/^[0-9a-f]{64}$/);
  });

  it('has no route that changes or deletes an entry', async () => {
    const doc = (await api.call('GET', '/openapi.json')).body;
    const ledgerPaths = Object.entries(doc.paths as Record<string, Record<string, unknown>>).filter(([p]) =>
      p.includes('attribution'),
    );
    expect(ledgerPaths.flatMap(([, ops]) => Object.keys(ops))).toEqual(['get', 'get', 'get', 'get']); // list, csv, verify, export
  });
});
