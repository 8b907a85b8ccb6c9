import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Webhook } from 'standardwebhooks';
import { createLogger } from '@drumbeat/local';
import { dispatchTimers } from '../../packages/local/src/timer-dispatch.js';
import { accountBody, startTestApi, type TestApi } from '../support/api.js';
import { json, startRecorder, type HttpRecorder } from '../support/http-recorder.js';

let api: TestApi;
let key: string;
let subscriber: HttpRecorder;
let secret: string;
let channel: HttpRecorder;
let failNext = false;

beforeAll(async () => {
  api = await startTestApi({ now: '2026-11-23T10:00:00Z', publisher: { retryDelaysMs: [] } });
  key = (await api.workspace()).key;
  subscriber = await startRecorder((_r, res) => json(res, 200, {}));
  channel = await startRecorder((_r, res) =>
    failNext ? json(res, 500, {}) : json(res, 200, { url: 'https://social.example/1' }),
  );
  const sub = await api.call('POST', '/v1/webhooks', { key, body: { url: `${subscriber.url}/events`, events: ['*'] } });
  expect(sub.status).toBe(201);
  secret = sub.body.secret;
  api.scheduler.start(dispatchTimers(api.services, createLogger('silent')), { loop: false });
});
afterAll(async () => {
  await api.scheduler.stop();
  await subscriber.close();
  await channel.close();
  await api.close();
});

const received = () =>
  subscriber.requests.map(
    (r) =>
      new Webhook(secret).verify(r.body, r.headers) as { type: string; data: { post: { id: string; status: string } } },
  );

/** A post of `voiceId` at `at` on a new account whose channel is the receiver: its id. */
async function postOnChannel(voiceId: string, text: string, at: string): Promise<string> {
  const acc = (
    await api.call('POST', '/v1/accounts', {
      key,
      body: accountBody({ channel: { type: 'webhook', url: channel.url } }),
    })
  ).body.id;
  return (await api.call('POST', `/v1/accounts/${acc}/posts`, { key, body: { text, voiceId, at } })).body.id;
}

describe('post lifecycle events reach webhook subscribers', () => {
  it('announces post.created and post.published, signed, with the post in the data', async () => {
    const voiceId = (
      await api.call('POST', '/v1/voices', {
        key,
        body: { name: 'A', email: 'a@private.example', affiliation: 'agency' },
      })
    ).body.id;
    const id = await postOnChannel(voiceId, 'hi', '2026-11-23T10:10:00Z');
    await api.scheduler.runDue();
    api.clock.set('2026-11-23T10:10:00Z');
    await api.scheduler.runDue();
    await api.scheduler.runDue();
    const events = received().filter((e) => e.type.startsWith('post.')); // alerts about the new cadence come too
    expect(events.map((e) => e.type)).toEqual(['post.created', 'post.published']);
    expect(events[1]!.data.post).toMatchObject({ id, status: 'published' });
    expect(subscriber.requests.map((r) => r.body).join('')).not.toContain('a@private.example');
  });

  it('announces post.failed when the channel gives up', async () => {
    failNext = true;
    const voiceId = (await api.call('POST', '/v1/voices', { key, body: { name: 'B', affiliation: 'agency' } })).body.id;
    const id = await postOnChannel(voiceId, 'doomed', '2026-11-23T10:20:00Z');
    api.clock.set('2026-11-23T10:20:00Z');
    await api.scheduler.runDue();
    await api.scheduler.runDue();
    const failed = received().find((e) => e.type === 'post.failed');
    expect(failed?.data.post).toMatchObject({ id, status: 'failed' });
  });

  it('announces post.approved, post.rejected and post.missed as approvals are decided and time runs out', async () => {
    const voice = async (name: string) =>
      (await api.call('POST', '/v1/voices', { key, body: { name, affiliation: 'in_house' } })).body.id as string;
    const writer = await voice('Writer');
    const manager = await voice('Manager');
    const acc = (
      await api.call('POST', '/v1/accounts', {
        key,
        body: accountBody({
          channel: { type: 'webhook', url: channel.url },
          approval: { required: true, approvers: [manager] },
        }),
      })
    ).body.id;
    api.clock.set('2026-11-23T10:30:00Z');
    const draft = async (text: string, at: string) => {
      const r = await api.call('POST', `/v1/accounts/${acc}/posts`, { key, body: { text, voiceId: writer, at } });
      expect(r.body.status).toBe('pending_approval');
      return r.body.id as string;
    };
    const approved = await draft('to approve', '2026-11-23T12:00:00Z');
    const rejected = await draft('to reject', '2026-11-23T12:00:00Z');
    const missed = await draft('left waiting', '2026-11-23T10:40:00Z');
    const managerKey = (
      await api.call('POST', '/v1/keys', { key, body: { name: 'manager', role: 'approver', voiceId: manager } })
    ).body.key as string;
    expect(
      (await api.call('POST', `/v1/posts/${approved}/approve`, { key: managerKey, body: { note: 'ship it' } })).status,
    ).toBe(200);
    expect(
      (await api.call('POST', `/v1/posts/${rejected}/reject`, { key: managerKey, body: { note: 'off-brand' } })).status,
    ).toBe(200);
    await api.scheduler.runDue();
    api.clock.set('2026-11-23T10:40:00Z');
    await api.scheduler.runDue();
    await api.scheduler.runDue();
    expect((await api.call('GET', `/v1/posts/${missed}`, { key })).body.status).toBe('missed');
    const ours = new Set([approved, rejected, missed]);
    const events = received().filter((e) => e.type.startsWith('post.') && ours.has(e.data.post?.id)) as {
      type: string;
      data: { post: { id: string; status: string }; decision?: { voiceId: string; note?: string } };
    }[];
    const byType = (t: string) => events.filter((e) => e.type === t);
    expect(byType('post.approved')).toHaveLength(1);
    expect(byType('post.approved')[0]!.data).toMatchObject({
      post: { id: approved, status: 'scheduled' },
      decision: { voiceId: manager, note: 'ship it', enteredBy: managerKey.split('.')[2], onBehalf: false },
    });
    expect(byType('post.rejected')).toHaveLength(1);
    expect(byType('post.rejected')[0]!.data).toMatchObject({
      post: { id: rejected, status: 'pending_approval' },
      decision: { voiceId: manager, note: 'off-brand' },
    });
    expect(byType('post.missed')).toHaveLength(1);
    expect(byType('post.missed')[0]!.data.post).toMatchObject({ id: missed, status: 'missed' });
  });
});
