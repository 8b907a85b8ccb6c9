import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { egressUrlPolicy } from '@drumbeat/channels';
import { createLogger } from '@drumbeat/local';
import { dispatchTimers } from '../../packages/local/src/timer-dispatch.js';
import { accountBody, startTestApi, type TestApi } from '../support/api.js';
import { json, startRecorder, type HttpRecorder } from '../support/http-recorder.js';

// Answers: who may answer as whom, approval of answers where the account
// requires it, and an answer interrupted halfway that is never sent twice.
let api: TestApi;
let channel: HttpRecorder;
let key: string;
let wsId: string;
let anna: string;
let claire: string;
let annaKey: string;
let claireKey: string;

const item = (externalId: string) => ({
  externalId,
  kind: 'reply',
  author: { handle: 'jo.bsky.social' },
  text: `question ${externalId}`,
  receivedAt: '2026-11-23T09:00:00Z',
  cid: `bafy${externalId}`,
  root: { externalId: 'at://did:plc:acme/app.bsky.feed.post/root', cid: 'bafyroot' },
});
const account = async (over: Record<string, unknown> = {}) =>
  (
    await api.call('POST', '/v1/accounts', {
      key,
      body: accountBody({ channel: { type: 'webhook', url: `${channel.url}/p` }, ...over }),
    })
  ).body.id as string;
const ingest = async (acc: string, externalId: string) =>
  (await api.call('POST', `/v1/accounts/${acc}/conversations`, { key, body: item(externalId) })).body.items[0]
    .id as string;

beforeAll(async () => {
  api = await startTestApi({ now: '2026-11-23T10:00:00Z', urlPolicy: egressUrlPolicy({ allowPrivate: true }) });
  api.scheduler.start(dispatchTimers(api.services, createLogger('silent')), { loop: false });
  const w = await api.workspace();
  key = w.key;
  wsId = w.id;
  channel = await startRecorder((_r, res) =>
    json(res, 200, { url: `https://bsky.example/reply-${channel.requests.length}` }),
  );
  anna = (await api.call('POST', '/v1/voices', { key, body: { name: 'Anna', affiliation: 'agency' } })).body.id;
  claire = (await api.call('POST', '/v1/voices', { key, body: { name: 'Claire', affiliation: 'in_house' } })).body.id;
  annaKey = (await api.call('POST', '/v1/keys', { key, body: { name: 'anna', role: 'editor', voiceId: anna } })).body
    .key;
  claireKey = (await api.call('POST', '/v1/keys', { key, body: { name: 'claire', role: 'approver', voiceId: claire } }))
    .body.key;
});
afterAll(async () => {
  await api.scheduler.stop();
  await channel.close();
  await api.close();
});

describe('who answers', () => {
  it('a personal key answers as its own voice only; a workspace key must name one', async () => {
    const acc = await account();
    const id = await ingest(acc, '1');
    const asOther = await api.call('POST', `/v1/conversations/${id}/reply`, {
      key: annaKey,
      body: { text: 'hi', voiceId: claire },
    });
    expect(asOther.status).toBe(403);
    expect(asOther.body.errors[0].path).toBe('voiceId');
    const nobody = await api.call('POST', `/v1/conversations/${id}/reply`, { key, body: { text: 'hi' } });
    expect(nobody.status).toBe(400);
    expect(nobody.body.errors[0].path).toBe('voiceId');
    const mine = await api.call('POST', `/v1/conversations/${id}/reply`, { key: annaKey, body: { text: 'hi' } });
    expect(mine.body).toMatchObject({ status: 'answered', answeredBy: anna });
    // The reply goes in the item's thread: parent the item, root the thread's first post (Bluesky CIDs kept).
    const sent = JSON.parse(channel.requests.at(-1)!.body);
    expect(sent.data.replyTo).toEqual({
      parent: { externalId: '1', cid: 'bafy1' },
      root: { externalId: 'at://did:plc:acme/app.bsky.feed.post/root', cid: 'bafyroot' },
    });
  });
});

describe('answers on the transparency page', () => {
  it('are counted apart from posts, under the voice that gave them', async () => {
    const acc = await account({ handle: '@acme_public', disclosure: { publicPage: true } });
    const id = await ingest(acc, 'public-1');
    expect(
      (await api.call('POST', `/v1/conversations/${id}/reply`, { key: annaKey, body: { text: 'Thanks!' } })).body,
    ).toMatchObject({ status: 'answered' });
    const slug = (await api.store.workspaces.find(wsId))!.slug;
    const page = (await (await api.app.request(`/t/${slug}/@acme_public.json`)).json()) as {
      publications: number;
      answers: number;
      voices: { name: string; posts: number; answers: number }[];
    };
    expect(page).toMatchObject({ publications: 1, answers: 1, voices: [{ name: 'Anna', posts: 0, answers: 1 }] });
    const html = await (await api.app.request(`/t/${slug}/acme_public`)).text();
    expect(html).toContain('of which 1 answer to people who wrote to the account');
    expect(html).toMatch(/<td>Anna<\/td>.*?<td>\s*0\s*\+ 1 answer\s*<\/td>/s);
  });
});

describe('approval of answers', () => {
  it('is off by default; where required, the answer waits for another voice, then goes out at once', async () => {
    const acc = await account({ conversations: { rules: [], approval: { required: true, sla: 'PT30M' } } });
    const id = await ingest(acc, '2');
    const before = channel.requests.length;
    const r = await api.call('POST', `/v1/conversations/${id}/reply`, { key: annaKey, body: { text: 'Soon!' } });
    expect(r.body.status).toBe('open');
    const post = (await api.call('GET', `/v1/posts/${r.body.answerPostId}`, { key })).body;
    expect(post).toMatchObject({ status: 'pending_approval', scheduledAt: '2026-11-23T10:30:00.000Z' });
    // A second answer while the first awaits approval is refused and leaves the first waiting (not missed).
    expect(
      (await api.call('POST', `/v1/conversations/${id}/reply`, { key, body: { text: 'Again', voiceId: claire } }))
        .status,
    ).toBe(409);
    await api.scheduler.runDue();
    expect(channel.requests.length).toBe(before);
    expect((await api.call('GET', `/v1/posts/${post.id}`, { key })).body.status).toBe('pending_approval');
    expect((await api.call('POST', `/v1/posts/${post.id}/approve`, { key: annaKey, body: {} })).status).toBe(403); // an editor key; the author may not approve anyway
    api.clock.set('2026-11-23T10:05:00Z');
    expect((await api.call('POST', `/v1/posts/${post.id}/approve`, { key: claireKey, body: {} })).status).toBe(200);
    await api.scheduler.runDue();
    expect(channel.requests.length).toBe(before + 1);
    expect((await api.call('GET', `/v1/conversations/${id}`, { key })).body).toMatchObject({
      status: 'answered',
      answeredAt: '2026-11-23T10:05:00.000Z',
    });
    const entry = (await api.call('GET', `/v1/accounts/${acc}/attribution`, { key })).body.items.at(-1);
    expect(entry).toMatchObject({ kind: 'reply', voice: { id: anna }, approvedBy: [claire] });
  });
});

describe('an answer interrupted halfway', () => {
  it('is never sent twice: its post exists, so a new reply call is refused and repairs the conversation', async () => {
    const acc = await account();
    const id = await ingest(acc, '3');
    await api.call('POST', `/v1/conversations/${id}/reply`, { key: annaKey, body: { text: 'First' } });
    const sent = channel.requests.length;
    // As if the process died after storing the answer post, before the conversation recorded it.
    const c = await api.store.conversations.get(wsId, id);
    const { answerPostId: _a, answeredBy: _b, ...rest } = c;
    await api.store.conversations.replace({ ...rest, status: 'open', version: c.version + 1 }, c.version);
    const again = await api.call('POST', `/v1/conversations/${id}/reply`, { key: annaKey, body: { text: 'Second' } });
    expect(again.status).toBe(409);
    expect(again.body.detail).toContain(c.answerPostId!);
    expect((await api.call('GET', `/v1/conversations/${id}`, { key })).body.answerPostId).toBe(c.answerPostId);
    await api.scheduler.runDue();
    expect(channel.requests.length).toBe(sent);
  });

  it('leaves an interrupted answer that awaits approval waiting (its timer untouched, so it is not missed)', async () => {
    const acc = await account({ conversations: { rules: [], approval: { required: true } } });
    const id = await ingest(acc, '4');
    const first = await api.call('POST', `/v1/conversations/${id}/reply`, {
      key: annaKey,
      body: { text: 'Pending answer' },
    });
    const c = await api.store.conversations.get(wsId, id);
    const { answerPostId: _a, answeredBy: _b, ...rest } = c;
    await api.store.conversations.replace({ ...rest, version: c.version + 1 }, c.version);
    expect(
      (await api.call('POST', `/v1/conversations/${id}/reply`, { key: annaKey, body: { text: 'Second' } })).status,
    ).toBe(409);
    await api.scheduler.runDue();
    expect((await api.call('GET', `/v1/posts/${first.body.answerPostId}`, { key })).body).toMatchObject({
      status: 'pending_approval',
      text: 'Pending answer',
    });
  });
});
