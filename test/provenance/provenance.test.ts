import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'csv-parse/sync';
import { canonicalJson, hashEntry, sha256 } from '@drumbeat/core';
import { accountBody, startTestApi, type TestApi } from '../support/api.js';

let api: TestApi;
let key: string;
let slug: string;
let ws: string;
let acc: string;
let author: string;
let approverKey: string;
const ASSISTANT = { kind: 'mcp' as const, client: 'test-assistant 0.1.0' };

beforeAll(async () => {
  api = await startTestApi({ now: '2026-11-23T10:00:00Z' });
  const w = await api.workspace('Acme Coffee');
  ({ key, slug, id: ws } = w);
  author = (
    await api.call('POST', '/v1/voices', {
      key,
      body: { name: 'Marie Curie', email: 'marie@acme.example', affiliation: 'in_house' },
    })
  ).body.id;
  const lead = (await api.call('POST', '/v1/voices', { key, body: { name: 'Brand Lead', affiliation: 'in_house' } }))
    .body.id;
  approverKey = (await api.call('POST', '/v1/keys', { key, body: { name: 'Lead', role: 'approver', voiceId: lead } }))
    .body.key;
  acc = (
    await api.call('POST', '/v1/accounts', {
      key,
      body: accountBody({
        channel: { type: 'manual' },
        disclosure: { publicPage: true },
        approval: { required: true, requiredFor: 'mcp' },
      }),
    })
  ).body.id;
});
afterAll(() => api.close());

const publish = async (id: string) =>
  expect(
    (await api.call('POST', `/v1/posts/${id}/published`, { key, body: { url: `https://m.example/${id}` } })).status,
  ).toBe(200);

describe('provenance of a post', () => {
  it('records api for REST, csv for an import and mcp with the client for an assistant', async () => {
    const rest = await api.call('POST', `/v1/accounts/${acc}/posts`, {
      key,
      body: { text: 'By hand', voiceId: author, at: '2026-11-24T09:00:00Z' },
    });
    expect(rest.body.source).toEqual({ kind: 'api' });
    const csv = await api.call('POST', '/v1/import', {
      key,
      body: `account,at,text,voice\n${acc},2026-11-24T10:00:00Z,From a sheet,${author}\n`,
      headers: { 'Content-Type': 'text/csv' },
    });
    expect(csv.status).toBe(201);
    expect(csv.body.posts[0].source).toEqual({ kind: 'csv' });
    const mcp = await api.services.posts.create(
      ws,
      acc,
      { text: 'Drafted by an assistant', voiceId: author, at: '2026-11-24T11:00:00Z', media: [] },
      ASSISTANT,
    );
    expect((await api.call('GET', `/v1/posts/${mcp.id}`, { key })).body.source).toEqual(ASSISTANT);
  });

  it('asks approval only for assistant-drafted posts when approval.requiredFor is "mcp", and for an assistant’s edit of any post', async () => {
    const human = await api.call('POST', `/v1/accounts/${acc}/posts`, {
      key,
      body: { text: 'Human', voiceId: author, at: '2026-11-25T09:00:00Z' },
    });
    expect(human.body.status).toBe('scheduled');
    const drafted = await api.services.posts.create(
      ws,
      acc,
      { text: 'Assistant', voiceId: author, at: '2026-11-25T10:00:00Z', media: [] },
      ASSISTANT,
    );
    expect(drafted.status).toBe('pending_approval');
    const edited = await api.services.posts.update(
      ws,
      human.body.id,
      { text: 'Human, polished by an assistant' },
      { source: ASSISTANT },
    );
    expect(edited).toMatchObject({ status: 'pending_approval', source: { kind: 'api' }, editSource: ASSISTANT });
    const back = await api.call('PATCH', `/v1/posts/${drafted.id}`, { key, body: { text: 'Rewritten by a person' } });
    expect(back.body).toMatchObject({ editSource: { kind: 'api' } });
    // still assistant-drafted (created through MCP): approval still needed
    expect(back.body.status).toBe('pending_approval');
  });
});

describe('provenance in the ledger, its CSV and the transparency page', () => {
  beforeAll(async () => {
    const now = '2026-11-23T10:00:00Z';
    const human = (
      await api.call('POST', `/v1/accounts/${acc}/posts`, {
        key,
        body: { text: 'Published by hand', voiceId: author, at: '2026-11-26T09:00:00Z' },
      })
    ).body.id;
    const drafted = await api.services.posts.create(
      ws,
      acc,
      { text: 'Published, drafted by an assistant', voiceId: author, at: '2026-11-26T10:00:00Z', media: [] },
      ASSISTANT,
    );
    expect((await api.call('POST', `/v1/posts/${drafted.id}/approve`, { key: approverKey, body: {} })).status).toBe(
      200,
    );
    expect(now).toBeTruthy();
    await publish(human);
    await publish(drafted.id);
  });

  it('carries the source into each entry, covered by the hash, and the chain verifies', async () => {
    const entries = (await api.call('GET', `/v1/accounts/${acc}/attribution`, { key })).body.items;
    expect(entries.map((e: any) => e.source)).toEqual([{ kind: 'api' }, ASSISTANT]);
    const e = entries[1];
    expect(await hashEntry(e)).toBe(e.hash);
    expect(await hashEntry({ ...e, source: { kind: 'api' } })).not.toBe(e.hash);
    const { source: _s, ...withoutSource } = e;
    expect(await hashEntry(withoutSource)).not.toBe(e.hash);
    expect((await api.call('GET', '/v1/attribution/verify', { key })).body).toMatchObject({ ok: true, entries: 2 });
  });

  it('hashes an entry without source exactly as before the field existed', async () => {
    const { hash: _h, ...old } = {
      seq: 1,
      postId: 'pst_1',
      accountId: 'acc_1',
      voice: { id: 'vce_1', name: 'A', affiliation: 'in_house' as const, organization: null },
      approvedBy: [],
      channel: 'manual' as const,
      externalUrl: null,
      publishedAt: '2026-11-24T09:00:00.000Z',
      contentHash: 'c',
      prevHash: '0'.repeat(64),
      hash: '',
    };
    expect(await hashEntry(old)).toBe(await sha256(canonicalJson(old)));
    expect(canonicalJson({ ...old, source: undefined })).toBe(canonicalJson(old));
  });

  it('lists the source and its client in the ledger CSV', async () => {
    const res = await api.app.request(`/v1/accounts/${acc}/attribution.csv`, {
      headers: { Authorization: `Bearer ${key}` },
    });
    const rows = parse(await res.text(), { columns: true }) as Record<string, string>[];
    expect(rows.map((r) => [r.source, r.source_client])).toEqual([
      ['api', ''],
      ['mcp', 'test-assistant 0.1.0'],
    ]);
  });

  it('counts assistant-drafted publications on the transparency page, JSON and HTML', async () => {
    const t = (await (await api.app.request(`/t/${slug}/%40acme/transparency.json`)).json()) as any;
    expect(t.assisted).toEqual({
      posts: 1,
      of: 2,
      text: '1 of 2 posts this quarter (the last 90 days) were drafted with an assistant',
    });
    expect(t.approval).toMatchObject({ required: true, requiredFor: 'mcp' });
    const html = await (await api.app.request(`/t/${slug}/@acme`)).text();
    expect(html).toContain('1 of 2 posts this quarter (the last 90 days) were drafted with an assistant.');
    expect(html).toContain('Every post drafted with an assistant is approved by someone other than its author');
  });
});

describe('provenance on the calendar page', () => {
  it('says on each card how the post came in, naming the assistant', async () => {
    const { PostCard } = await import('../../packages/api/src/pages/post-card.js');
    const account = (await api.call('GET', `/v1/accounts/${acc}`, { key })).body;
    const drafted = await api.services.posts.create(
      ws,
      acc,
      { text: 'Card', voiceId: author, at: '2026-11-27T10:00:00Z', media: [] },
      ASSISTANT,
    );
    const html = String(PostCard({ post: drafted, time: '11:00', onSlot: false, account, voices: new Map() }));
    expect(html).toContain('Drafted with an assistant (test-assistant 0.1.0)');
    const human = (
      await api.call('POST', `/v1/accounts/${acc}/posts`, {
        key,
        body: { text: 'Card 2', voiceId: author, at: '2026-11-27T11:00:00Z' },
      })
    ).body;
    expect(String(PostCard({ post: human, time: '12:00', onSlot: false, account, voices: new Map() }))).toContain(
      'Created through the API',
    );
  });
});
