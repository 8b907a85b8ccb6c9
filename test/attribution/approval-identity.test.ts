import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { accountBody, startTestApi, type TestApi } from '../support/api.js';
import { json, startRecorder, type HttpRecorder } from '../support/http-recorder.js';

let api: TestApi;
let key: string;
let ws: string;
let author: string;
let claire: string;
let marc: string;
let claireKey: string;
let rx: HttpRecorder;
const keyId = (token: string) => token.split('.')[2]!;

beforeAll(async () => {
  api = await startTestApi({ now: '2026-11-23T10:00:00Z' });
  const w = await api.workspace('Identity Co');
  key = w.key;
  ws = w.id;
  const voice = async (name: string) =>
    (await api.call('POST', '/v1/voices', { key, body: { name, affiliation: 'in_house' } })).body.id as string;
  author = await voice('Writer');
  claire = await voice('Claire');
  marc = await voice('Marc');
  claireKey = (await api.call('POST', '/v1/keys', { key, body: { name: 'Claire', role: 'approver', voiceId: claire } }))
    .body.key;
  rx = await startRecorder((_req, res) => json(res, 200, { url: 'https://social.example/p/1' }));
});
afterAll(async () => {
  await rx.close();
  await api.close();
});

const account = async (
  approval: Record<string, unknown>,
  channel: Record<string, unknown> = { type: 'webhook', url: rx.url },
) =>
  (
    await api.call('POST', '/v1/accounts', {
      key,
      body: accountBody({ handle: `@id-${Math.random().toString(36).slice(2, 8)}`, channel, approval }),
    })
  ).body.id as string;
const draft = async (acc: string, at = '2026-11-25T09:00:00Z') =>
  (await api.call('POST', `/v1/accounts/${acc}/posts`, { key, body: { text: 'Launch day', voiceId: author, at } })).body
    .id as string;
const ledgerOf = async (acc: string) =>
  (await api.call('GET', `/v1/accounts/${acc}/attribution`, { key })).body.items as any[];

describe('personal keys', () => {
  it('belong to an existing, unarchived voice of the workspace, shown on the key', async () => {
    const unknown = await api.call('POST', '/v1/keys', {
      key,
      body: { name: 'Ghost', role: 'approver', voiceId: 'vce_00000000000000000000000000' },
    });
    expect(unknown.status).toBe(422);
    expect(unknown.body.errors).toEqual([
      { path: 'voiceId', message: 'voice vce_00000000000000000000000000 not found in this workspace' },
    ]);
    const listed = (await api.call('GET', '/v1/keys', { key })).body.items.find(
      (k: { id: string }) => k.id === keyId(claireKey),
    );
    expect(listed).toMatchObject({ name: 'Claire', role: 'approver', voiceId: claire });
  });
});

describe('who approved, for real', () => {
  it('a personal key cannot approve or reject as another voice, and nothing is recorded', async () => {
    const acc = await account({ required: true });
    const p = await draft(acc);
    for (const verb of ['approve', 'reject']) {
      const r = await api.call('POST', `/v1/posts/${p}/${verb}`, { key: claireKey, body: { voiceId: marc } });
      expect(r.status, verb).toBe(403);
      expect(r.headers.get('content-type')).toBe('application/problem+json');
      expect(r.body.errors).toEqual([{ path: 'voiceId', message: 'a personal key decides only as its own voice' }]);
    }
    const post = (await api.call('GET', `/v1/posts/${p}`, { key })).body;
    expect(post).toMatchObject({ status: 'pending_approval', approvals: [] });
    expect(post.rejections).toBeUndefined();
    // Naming its own voice, or none, is the same decision.
    const ok = await api.call('POST', `/v1/posts/${p}/approve`, { key: claireKey, body: { voiceId: claire } });
    expect(ok.status).toBe(200);
    expect(ok.body.approvals).toEqual([
      { voiceId: claire, at: '2026-11-23T10:00:00.000Z', enteredBy: keyId(claireKey), onBehalf: false },
    ]);
  });

  it('a workspace key cannot approve as anyone unless the account allows decisions on someone’s behalf', async () => {
    const acc = await account({ required: true });
    const p = await draft(acc);
    const approverKey = (
      await api.call('POST', '/v1/keys', { key, body: { name: 'shared approver key', role: 'approver' } })
    ).body.key;
    for (const k of [key, approverKey]) {
      const r = await api.call('POST', `/v1/posts/${p}/approve`, { key: k, body: { voiceId: claire } });
      expect(r.status).toBe(403);
      expect(r.body.detail).toContain('belongs to no person');
    }
    expect((await api.call('GET', `/v1/posts/${p}`, { key })).body).toMatchObject({
      status: 'pending_approval',
      approvals: [],
    });
  });

  it('an approval entered on someone’s behalf names the voice and the key that entered it, in the post and in the hashed ledger entry', async () => {
    const acc = await account({ required: true, onBehalf: true });
    const p = await draft(acc, '2026-11-23T10:30:00Z');
    const assistant = (
      await api.call('POST', '/v1/keys', { key, body: { name: 'Office assistant', role: 'approver' } })
    ).body.key;
    const r = await api.call('POST', `/v1/posts/${p}/approve`, {
      key: assistant,
      body: { voiceId: claire, note: 'Claire said yes on the phone' },
    });
    expect(r.status).toBe(200);
    expect(r.body.approvals).toEqual([
      {
        voiceId: claire,
        at: '2026-11-23T10:00:00.000Z',
        note: 'Claire said yes on the phone',
        enteredBy: keyId(assistant),
        onBehalf: true,
      },
    ]);
    // Even where on-behalf decisions are allowed, a personal key still decides only as its own voice.
    const other = await draft(acc, '2026-11-23T10:40:00Z');
    expect(
      (await api.call('POST', `/v1/posts/${other}/approve`, { key: claireKey, body: { voiceId: marc } })).status,
    ).toBe(403);

    api.clock.set('2026-11-23T10:30:00Z');
    try {
      expect(await api.services.publisher.run({ workspaceId: ws, postId: p })).toBe('published');
    } finally {
      api.clock.set('2026-11-23T10:00:00Z');
    }
    const [entry] = await ledgerOf(acc);
    expect(entry).toMatchObject({
      postId: p,
      approvedBy: [claire],
      approvals: [{ voiceId: claire, enteredBy: keyId(assistant), onBehalf: true }],
    });
    expect((await api.call('GET', '/v1/attribution/verify', { key })).body.ok).toBe(true);

    // "Entered on her behalf" is part of the record: quietly turning it into her own approval breaks the chain there.
    await api.store.db.doc.send(
      new UpdateCommand({
        TableName: api.store.db.table,
        Key: { pk: `WS#${ws}`, sk: `LEDGER#${String(entry.seq).padStart(12, '0')}` },
        UpdateExpression: 'SET approvals[0].onBehalf = :f',
        ExpressionAttributeValues: { ':f': false },
      }),
    );
    const verify = (await api.call('GET', '/v1/attribution/verify', { key })).body;
    expect(verify).toMatchObject({
      ok: false,
      firstBroken: { seq: entry.seq, reason: 'hash does not match the entry content' },
    });
  });

  it('a personal key edits as its own person, so its owner cannot edit a post and then approve it as someone else’s work', async () => {
    const acc = await account({ required: true });
    const p = await draft(acc);
    const claireEditor = (
      await api.call('POST', '/v1/keys', { key, body: { name: 'Claire (editor)', role: 'owner', voiceId: claire } })
    ).body.key;
    const disguised = await api.call('PATCH', `/v1/posts/${p}`, {
      key: claireEditor,
      body: { text: 'Reworded', editorVoiceId: author },
    });
    expect(disguised.status).toBe(403);
    expect(disguised.body.errors).toEqual([
      { path: 'editorVoiceId', message: 'a personal key edits only as its own voice' },
    ]);
    const edited = await api.call('PATCH', `/v1/posts/${p}`, { key: claireEditor, body: { text: 'Reworded' } });
    expect(edited.body).toMatchObject({ editedBy: claire, status: 'pending_approval' });
    const self = await api.call('POST', `/v1/posts/${p}/approve`, { key: claireKey, body: {} });
    expect(self.status).toBe(409);
    expect(self.body.detail).toContain('last edit');
  });

  it('a manual publication records the key that reported it and its person, in the post and the ledger', async () => {
    const acc = await account({ required: false }, { type: 'manual' });
    const p = await draft(acc);
    const poster = (
      await api.call('POST', '/v1/keys', { key, body: { name: 'Marc (community)', role: 'editor', voiceId: marc } })
    ).body.key;
    const r = await api.call('POST', `/v1/posts/${p}/published`, {
      key: poster,
      body: { url: 'https://mastodon.example/@acme/9' },
    });
    expect(r.status).toBe(200);
    expect(r.body.recordedBy).toEqual({ keyId: keyId(poster), voiceId: marc });
    const [entry] = await ledgerOf(acc);
    expect(entry).toMatchObject({ postId: p, recordedBy: { keyId: keyId(poster), voiceId: marc }, approvals: [] });

    const q = await draft(acc, '2026-11-26T09:00:00Z');
    await api.call('POST', `/v1/posts/${q}/published`, { key, body: {} });
    const entries = await ledgerOf(acc);
    expect(entries.find((e) => e.postId === q).recordedBy).toEqual({ keyId: keyId(key), voiceId: null });
  });
});
