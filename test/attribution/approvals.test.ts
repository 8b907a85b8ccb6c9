import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { accountBody, startTestApi, type TestApi } from '../support/api.js';
import { json, startRecorder } from '../support/http-recorder.js';

let api: TestApi;
let key: string;
let author: string;
let approver: string;
let outsider: string;
let acc: string;
/** Personal keys (role approver) of the approver, the outsider and the author. */
let approverKey: string;
let outsiderKey: string;
let authorKey: string;
const keyId = (token: string) => token.split('.')[2]!;
const personalKey = async (voiceId: string, role = 'approver') => {
  const r = await api.call('POST', '/v1/keys', { key, body: { name: `key of ${voiceId}`, role, voiceId } });
  expect(r.status).toBe(201);
  expect(r.body.voiceId).toBe(voiceId);
  return r.body.key as string;
};
beforeAll(async () => {
  api = await startTestApi({ now: '2026-11-23T10:00:00Z' });
  key = (await api.workspace()).key;
  const voice = async (name: string, affiliation: string) =>
    (await api.call('POST', '/v1/voices', { key, body: { name, affiliation } })).body.id as string;
  author = await voice('Freelance Writer', 'freelance');
  approver = await voice('Brand Manager', 'in_house');
  outsider = await voice('Someone Else', 'in_house');
  acc = (
    await api.call('POST', '/v1/accounts', {
      key,
      body: accountBody({ approval: { required: true, approvers: [approver], sla: 'PT4H' } }),
    })
  ).body.id;
  approverKey = await personalKey(approver);
  outsiderKey = await personalKey(outsider);
  authorKey = await personalKey(author);
});
afterAll(() => api.close());

const draft = async (text = 'Draft', at = '2026-11-25T09:00:00Z') =>
  (await api.call('POST', `/v1/accounts/${acc}/posts`, { key, body: { text, voiceId: author, at } })).body as {
    id: string;
    status: string;
  };

describe('approvals', () => {
  it('hold a new post of an approval-required account until an allowed voice approves it', async () => {
    const p = await draft();
    expect(p.status).toBe('pending_approval');
    const r = await api.call('POST', `/v1/posts/${p.id}/approve`, { key: approverKey, body: { note: 'Looks good' } });
    expect(r.status).toBe(200);
    expect(r.body.status).toBe('scheduled');
    expect(r.body.approvals).toEqual([
      {
        voiceId: approver,
        at: '2026-11-23T10:00:00.000Z',
        note: 'Looks good',
        enteredBy: keyId(approverKey),
        onBehalf: false,
      },
    ]);
  });

  it('never let the author approve their own post', async () => {
    const p = await draft();
    const r = await api.call('POST', `/v1/posts/${p.id}/approve`, { key: authorKey, body: {} });
    expect(r.status).toBe(409);
    expect(r.headers.get('content-type')).toBe('application/problem+json');
    expect(r.body.errors).toEqual([{ path: 'voiceId', message: 'the author cannot approve their own post' }]);
    expect((await api.call('GET', `/v1/posts/${p.id}`, { key })).body.status).toBe('pending_approval');
  });

  it('refuse a voice outside the account’s approvers', async () => {
    const p = await draft();
    const r = await api.call('POST', `/v1/posts/${p.id}/approve`, { key: outsiderKey, body: {} });
    expect(r.status).toBe(403);
    expect(r.body.detail).toContain('not among this account’s approvers'.replace('’', "'"));
  });

  it('put an approved post back to pending when its text is edited', async () => {
    const p = await draft();
    await api.call('POST', `/v1/posts/${p.id}/approve`, { key: approverKey, body: {} });
    const edited = await api.call('PATCH', `/v1/posts/${p.id}`, { key, body: { text: 'Changed after approval' } });
    expect(edited.body).toMatchObject({ status: 'pending_approval', approvals: [] });
    const rescheduled = await api.call('POST', `/v1/posts/${p.id}/approve`, { key: approverKey, body: {} });
    expect(rescheduled.body.status).toBe('scheduled');
  });

  it('record a rejection and keep the post pending', async () => {
    const p = await draft();
    const r = await api.call('POST', `/v1/posts/${p.id}/reject`, {
      key: approverKey,
      body: { voiceId: approver, note: 'Off-brand' },
    });
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({
      status: 'pending_approval',
      rejections: [{ voiceId: approver, note: 'Off-brand', enteredBy: keyId(approverKey), onBehalf: false }],
    });
  });

  it('refuse to approve a published or canceled post, or with an unknown voice', async () => {
    const p = await draft();
    await api.call('DELETE', `/v1/posts/${p.id}`, { key });
    expect((await api.call('POST', `/v1/posts/${p.id}/approve`, { key: approverKey, body: {} })).status).toBe(409);
    // on an account that allows decisions on someone's behalf, a workspace key must name a real voice
    const onBehalf = (
      await api.call('POST', '/v1/accounts', {
        key,
        body: accountBody({ handle: '@on-behalf-check', approval: { required: true, onBehalf: true } }),
      })
    ).body.id;
    const q = (
      await api.call('POST', `/v1/accounts/${onBehalf}/posts`, {
        key,
        body: { text: 'Draft', voiceId: author, at: '2026-11-25T09:00:00Z' },
      })
    ).body;
    const unknown = await api.call('POST', `/v1/posts/${q.id}/approve`, {
      key,
      body: { voiceId: 'vce_00000000000000000000000000' },
    });
    expect(unknown.status).toBe(422);
    expect(unknown.body.errors[0].path).toBe('voiceId');
    const missing = await api.call('POST', `/v1/posts/${q.id}/approve`, { key, body: {} });
    expect(missing.status).toBe(400);
    expect(missing.body.errors[0]).toEqual({
      path: 'voiceId',
      message: 'required: a workspace key must name the voice it decides for',
    });
  });

  it('need the approver or owner role', async () => {
    const p = await draft();
    expect(
      (await api.call('POST', `/v1/posts/${p.id}/approve`, { key: await personalKey(approver, 'editor'), body: {} }))
        .status,
    ).toBe(403);
    expect(
      (await api.call('POST', `/v1/posts/${p.id}/approve`, { key: await personalKey(approver, 'approver'), body: {} }))
        .status,
    ).toBe(200);
  });

  it('cannot approve a post whose time has passed', async () => {
    const p = await draft('Soon', '2026-11-23T10:30:00Z');
    api.clock.set('2026-11-23T10:31:00Z');
    const r = await api.call('POST', `/v1/posts/${p.id}/approve`, { key: approverKey, body: {} });
    expect(r.status).toBe(409);
    api.clock.set('2026-11-23T10:00:00Z');
  });

  it('refuse to approve a post that is already published, with a problem saying so', async () => {
    const rx = await startRecorder((_req, res) => json(res, 200, { url: 'https://social.example/approved-once' }));
    try {
      const hooked = (
        await api.call('POST', '/v1/accounts', {
          key,
          body: accountBody({
            channel: { type: 'webhook', url: rx.url },
            approval: { required: true, approvers: [approver] },
          }),
        })
      ).body.id;
      const p = (
        await api.call('POST', `/v1/accounts/${hooked}/posts`, {
          key,
          body: { text: 'Out already', voiceId: author, at: '2026-11-23T10:20:00Z' },
        })
      ).body;
      expect((await api.call('POST', `/v1/posts/${p.id}/approve`, { key: approverKey, body: {} })).status).toBe(200);
      api.clock.set('2026-11-23T10:20:00Z');
      expect(await api.services.publisher.run({ workspaceId: key.split('.')[1]!, postId: p.id })).toBe('published');
      const r = await api.call('POST', `/v1/posts/${p.id}/approve`, { key: approverKey, body: {} });
      expect(r.status).toBe(409);
      expect(r.headers.get('content-type')).toBe('application/problem+json');
      expect(r.body).toMatchObject({ type: 'urn:drumbeat:problem:conflict', status: 409 });
      expect(r.body.detail).toContain('published');
      const after = (await api.call('GET', `/v1/posts/${p.id}`, { key })).body;
      expect(after.status).toBe('published');
      expect(after.approvals).toHaveLength(1);
      expect(rx.requests).toHaveLength(1);
    } finally {
      api.clock.set('2026-11-23T10:00:00Z');
      await rx.close();
    }
  });
});

describe('edits by another voice', () => {
  it('record the editing voice as the editor, keeping the author', async () => {
    const p = await draft('First take');
    const edited = await api.call('PATCH', `/v1/posts/${p.id}`, {
      key,
      body: { text: 'Second take, by someone else', editorVoiceId: outsider },
    });
    expect(edited.status).toBe(200);
    expect(edited.body).toMatchObject({ voiceId: author, editedBy: outsider, text: 'Second take, by someone else' });
    expect((await api.call('GET', `/v1/posts/${p.id}`, { key })).body).toMatchObject({
      voiceId: author,
      editedBy: outsider,
    });
  });

  it('keep the voice that made the last edit from approving it', async () => {
    const open = (await api.call('POST', '/v1/accounts', { key, body: accountBody({ approval: { required: true } }) }))
      .body.id;
    const p = (
      await api.call('POST', `/v1/accounts/${open}/posts`, {
        key,
        body: { text: 'Draft', voiceId: author, at: '2026-11-25T09:00:00Z' },
      })
    ).body;
    await api.call('PATCH', `/v1/posts/${p.id}`, {
      key,
      body: { text: 'Reworded by the manager', editorVoiceId: approver },
    });
    const self = await api.call('POST', `/v1/posts/${p.id}/approve`, { key: approverKey, body: {} });
    expect(self.status).toBe(409);
    expect(self.body.detail).toContain('last edit');
    const other = await api.call('POST', `/v1/posts/${p.id}/approve`, { key: outsiderKey, body: {} });
    expect(other.status).toBe(200);
    expect(other.body.status).toBe('scheduled');
  });
});
