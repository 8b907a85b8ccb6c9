import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '@drumbeat/local';
import type { TimerPayload } from '@drumbeat/core';
import { dispatchTimers } from '../../packages/local/src/timer-dispatch.js';
import { accountBody, startWithVoice, type TestApi } from '../support/api.js';
import { json, startRecorder } from '../support/http-recorder.js';

let api: TestApi;
let key: string;
let voiceId: string;
beforeAll(async () => {
  // Monday 2026-11-23 10:00 UTC = 11:00 in Paris
  ({ api, key, voiceId } = await startWithVoice({ name: 'Anna Bell', affiliation: 'agency' }));
});
afterAll(() => api.close());

async function account(overrides: Record<string, unknown> = {}) {
  const r = await api.call('POST', '/v1/accounts', { key, body: accountBody(overrides) });
  expect(r.status).toBe(201);
  return r.body.id as string;
}

describe('planning posts', () => {
  it('schedules a post at an explicit future instant, in UTC and local time', async () => {
    const acc = await account();
    const r = await api.call('POST', `/v1/accounts/${acc}/posts`, {
      key,
      body: { text: 'Hello', voiceId, at: '2026-11-24T16:00:00+01:00' },
    });
    expect(r.status).toBe(201);
    expect(r.body).toMatchObject({
      accountId: acc,
      voiceId,
      scheduledAt: '2026-11-24T15:00:00.000Z',
      scheduledLocal: '2026-11-24T16:00:00+01:00[Europe/Paris]',
      status: 'scheduled',
      slot: false,
      approvals: [],
      media: [],
    });
    expect((await api.call('GET', `/v1/posts/${r.body.id}`, { key })).body.text).toBe('Hello');
  });

  it('fills the next free slot, in order, and marks an explicit time on a slot as filling it', async () => {
    const acc = await account(); // MO, WE, FR 09:30 Paris
    const first = await api.call('POST', `/v1/accounts/${acc}/posts`, {
      key,
      body: { text: 'one', voiceId, slot: 'next' },
    });
    expect(first.body.scheduledAt).toBe('2026-11-25T08:30:00.000Z'); // Wednesday 09:30 CET
    expect(first.body.slot).toBe(true);
    const explicit = await api.call('POST', `/v1/accounts/${acc}/posts`, {
      key,
      body: { text: 'two', voiceId, at: '2026-11-27T08:30:00Z' },
    });
    expect(explicit.body.slot).toBe(true);
    const third = await api.call('POST', `/v1/accounts/${acc}/posts`, {
      key,
      body: { text: 'three', voiceId, slot: 'next' },
    });
    expect(third.body.scheduledAt).toBe('2026-11-30T08:30:00.000Z'); // Friday was taken by the explicit post
  });

  it('gives 50 concurrent "next" requests 50 distinct slots', async () => {
    const acc = await account({ cadence: { slots: ['FREQ=DAILY;BYHOUR=9,18'] } });
    const results = await Promise.all(
      Array.from({ length: 50 }, (_, i) =>
        api.call('POST', `/v1/accounts/${acc}/posts`, { key, body: { text: `post ${i}`, voiceId, slot: 'next' } }),
      ),
    );
    expect(results.map((r) => r.status)).toEqual(Array(50).fill(201));
    const times = results.map((r) => r.body.scheduledAt as string).sort();
    expect(new Set(times).size).toBe(50);
    // they are exactly the first 50 slots: 09:00 and 18:00 Paris each day from the 23rd's 18:00 on
    expect(times[0]).toBe('2026-11-23T17:00:00.000Z');
    expect(times[49]).toBe('2026-12-18T08:00:00.000Z');
  });

  it('frees a slot when its post is canceled, so the next request takes it', async () => {
    const acc = await account();
    const a = await api.call('POST', `/v1/accounts/${acc}/posts`, { key, body: { text: 'a', voiceId, slot: 'next' } });
    await api.call('POST', `/v1/accounts/${acc}/posts`, { key, body: { text: 'b', voiceId, slot: 'next' } });
    const canceled = await api.call('DELETE', `/v1/posts/${a.body.id}`, { key });
    expect(canceled.body.status).toBe('canceled');
    const c = await api.call('POST', `/v1/accounts/${acc}/posts`, { key, body: { text: 'c', voiceId, slot: 'next' } });
    expect(c.body.scheduledAt).toBe(a.body.scheduledAt);
    expect((await api.call('DELETE', `/v1/posts/${a.body.id}`, { key })).status).toBe(409);
  });

  it('reschedules and edits before publishing, moving the slot and the timer', async () => {
    const acc = await account();
    const p = await api.call('POST', `/v1/accounts/${acc}/posts`, {
      key,
      body: { text: 'draft', voiceId, slot: 'next' },
    });
    const moved = await api.call('PATCH', `/v1/posts/${p.body.id}`, {
      key,
      body: { at: '2026-12-24T09:00:00Z', text: 'final' },
    });
    expect(moved.status).toBe(200);
    expect(moved.body).toMatchObject({
      scheduledAt: '2026-12-24T09:00:00.000Z',
      text: 'final',
      slot: false,
      editedBy: voiceId,
    });
    const next = await api.call('POST', `/v1/accounts/${acc}/posts`, {
      key,
      body: { text: 'x', voiceId, slot: 'next' },
    });
    expect(next.body.scheduledAt).toBe(p.body.scheduledAt); // the old slot is free again
  });

  it('lists posts by window and status with pagination', async () => {
    const acc = await account();
    for (const day of ['2026-12-01', '2026-12-02', '2026-12-03', '2026-12-04']) {
      await api.call('POST', `/v1/accounts/${acc}/posts`, {
        key,
        body: { text: day, voiceId, at: `${day}T12:00:00Z` },
      });
    }
    const win = await api.call('GET', `/v1/accounts/${acc}/posts?from=2026-12-02T00:00:00Z&to=2026-12-04T12:00:00Z`, {
      key,
    });
    expect(win.body.items.map((p: { text: string }) => p.text)).toEqual(['2026-12-02', '2026-12-03']);
    const page1 = await api.call('GET', `/v1/accounts/${acc}/posts?limit=3`, { key });
    const page2 = await api.call('GET', `/v1/accounts/${acc}/posts?limit=3&cursor=${page1.body.nextCursor}`, { key });
    expect([...page1.body.items, ...page2.body.items].map((p: { text: string }) => p.text)).toEqual([
      '2026-12-01',
      '2026-12-02',
      '2026-12-03',
      '2026-12-04',
    ]);
    await api.call('DELETE', `/v1/posts/${page1.body.items[0].id}`, { key });
    const canceled = await api.call('GET', `/v1/accounts/${acc}/posts?status=canceled`, { key });
    expect(canceled.body.items.map((p: { text: string }) => p.text)).toEqual(['2026-12-01']);
  });

  it('arms a publish timer for each post and removes it on cancel', async () => {
    const acc = await account();
    const p = await api.call('POST', `/v1/accounts/${acc}/posts`, {
      key,
      body: { text: 'timed', voiceId, at: '2026-11-23T10:05:00Z' },
    });
    const fired: unknown[] = [];
    api.scheduler.start(async (payload) => void fired.push(payload), { loop: false });
    api.clock.set('2026-11-23T10:05:00Z');
    await api.scheduler.runDue();
    expect(fired).toContainEqual({ kind: 'publish', workspaceId: expect.any(String), postId: p.body.id });
    const q = await api.call('POST', `/v1/accounts/${acc}/posts`, {
      key,
      body: { text: 'dropped', voiceId, at: '2026-11-23T10:10:00Z' },
    });
    await api.call('DELETE', `/v1/posts/${q.body.id}`, { key });
    api.clock.set('2026-11-23T10:10:00Z');
    await api.scheduler.runDue();
    expect(fired.some((f) => (f as { postId: string }).postId === q.body.id)).toBe(false);
    await api.scheduler.stop();
    api.clock.set('2026-11-23T10:00:00Z');
  });

  it('moves the publish timer when a post is rescheduled later: nothing at the old time, one publication at the new', async () => {
    const rx = await startRecorder((_req, res) => json(res, 200, { url: 'https://social.example/moved' }));
    const dispatch = dispatchTimers(api.services, createLogger('silent'));
    const fired: TimerPayload[] = [];
    api.scheduler.start((payload, meta) => (fired.push(payload), dispatch(payload, meta)), { loop: false });
    try {
      const acc = await account({ channel: { type: 'webhook', url: rx.url } });
      const p = await api.call('POST', `/v1/accounts/${acc}/posts`, {
        key,
        body: { text: 'Moved on', voiceId, at: '2026-11-23T10:05:00Z' },
      });
      expect(p.status).toBe(201);
      const moved = await api.call('PATCH', `/v1/posts/${p.body.id}`, { key, body: { at: '2026-11-23T10:30:00Z' } });
      expect(moved.status).toBe(200);
      expect(moved.body.scheduledAt).toBe('2026-11-23T10:30:00.000Z');
      const ours = () => fired.filter((f) => f.kind === 'publish' && f.postId === p.body.id);

      api.clock.set('2026-11-23T10:05:00Z');
      await api.scheduler.runDue();
      expect(ours()).toEqual([]);
      expect(rx.requests).toHaveLength(0);
      expect((await api.call('GET', `/v1/posts/${p.body.id}`, { key })).body.status).toBe('scheduled');

      api.clock.set('2026-11-23T10:30:00Z');
      await api.scheduler.runDue();
      await api.scheduler.runDue();
      expect(rx.requests).toHaveLength(1);
      expect(JSON.parse(rx.requests[0]!.body).data.post.id).toBe(p.body.id);
      expect((await api.call('GET', `/v1/posts/${p.body.id}`, { key })).body).toMatchObject({
        status: 'published',
        publishedAt: '2026-11-23T10:30:00.000Z',
      });

      api.clock.set('2026-11-23T11:30:00Z');
      await api.scheduler.runDue();
      expect(rx.requests).toHaveLength(1);
    } finally {
      await api.scheduler.stop();
      await rx.close();
      api.clock.set('2026-11-23T10:00:00Z');
    }
  });
});

describe('refusals', () => {
  it('refuses a time in the past, naming "at"', async () => {
    const acc = await account();
    const r = await api.call('POST', `/v1/accounts/${acc}/posts`, {
      key,
      body: { text: 'late', voiceId, at: '2026-11-23T09:59:59Z' },
    });
    expect(r.status).toBe(422);
    expect(r.body.errors[0].path).toBe('at');
  });

  it('needs exactly one of at and slot', async () => {
    const acc = await account();
    for (const body of [
      { text: 'x', voiceId },
      { text: 'x', voiceId, slot: 'next', at: '2026-12-01T00:00:00Z' },
    ]) {
      const r = await api.call('POST', `/v1/accounts/${acc}/posts`, { key, body });
      expect(r.status).toBe(400);
      expect(r.body.errors[0].path).toBe('at');
    }
  });

  it('refuses "next" on an account without slots', async () => {
    const acc = await account({ cadence: undefined });
    const r = await api.call('POST', `/v1/accounts/${acc}/posts`, { key, body: { text: 'x', voiceId, slot: 'next' } });
    expect(r.status).toBe(422);
    expect(r.body.errors[0].path).toBe('slot');
  });

  it('checks the text against the network limit, signature included', async () => {
    const x = await account({ network: 'x' });
    expect(
      (
        await api.call('POST', `/v1/accounts/${x}/posts`, {
          key,
          body: { text: 'a'.repeat(280), voiceId, slot: 'next' },
        })
      ).status,
    ).toBe(201);
    const long = await api.call('POST', `/v1/accounts/${x}/posts`, {
      key,
      body: { text: 'a'.repeat(281), voiceId, slot: 'next' },
    });
    expect(long.status).toBe(422);
    expect(long.body.errors).toEqual([{ path: 'text', message: '281 characters, limit 280' }]);
    const signed = await account({ network: 'x', disclosure: { signature: 'initials' } });
    const r = await api.call('POST', `/v1/accounts/${signed}/posts`, {
      key,
      body: { text: 'a'.repeat(277), voiceId, slot: 'next' },
    });
    expect(r.status).toBe(422); // 277 + " ^AB" = 281
    expect(r.body.errors[0].message).toContain('with the signature');
  });

  for (const [network, limit] of [
    ['mastodon', 500],
    ['bluesky', 300],
    ['linkedin', 3000],
  ] as const) {
    it(`accepts a ${network} post of exactly ${limit} characters and refuses one more, naming "text"`, async () => {
      const acc = await account({ network });
      const at = '2026-12-10T12:00:00Z';
      const exact = await api.call('POST', `/v1/accounts/${acc}/posts`, {
        key,
        body: { text: `${'a'.repeat(limit - 1)}🎉`, voiceId, at },
      });
      expect(exact.status).toBe(201);
      const over = await api.call('POST', `/v1/accounts/${acc}/posts`, {
        key,
        body: { text: 'a'.repeat(limit + 1), voiceId, at },
      });
      expect(over.status).toBe(422);
      expect(over.headers.get('content-type')).toBe('application/problem+json');
      expect(over.body.errors).toEqual([{ path: 'text', message: `${limit + 1} characters, limit ${limit}` }]);
      expect(over.body.detail.toLowerCase()).toContain(network);
      const edited = await api.call('PATCH', `/v1/posts/${exact.body.id}`, {
        key,
        body: { text: 'b'.repeat(limit + 1) },
      });
      expect(edited.status).toBe(422);
      expect(edited.body.errors[0].path).toBe('text');
      expect(
        (await api.call('PATCH', `/v1/posts/${exact.body.id}`, { key, body: { text: 'b'.repeat(limit) } })).status,
      ).toBe(200);
    });
  }

  it('counts as each network does: 300 graphemes with five flags fit Bluesky, a long link fits Mastodon', async () => {
    const at = '2026-12-10T12:00:00Z';
    const bsky = await account({ network: 'bluesky' });
    const flags = `${'🇫🇷🇩🇪🇯🇵🇧🇷🇺🇦'}${'a'.repeat(292)}👩‍👩‍👧‍👦👋🏿e\u0301`; // 300 graphemes, 313 code points
    expect(
      (await api.call('POST', `/v1/accounts/${bsky}/posts`, { key, body: { text: flags, voiceId, at } })).status,
    ).toBe(201);
    const over = await api.call('POST', `/v1/accounts/${bsky}/posts`, {
      key,
      body: { text: `${flags}🇫🇷`, voiceId, at },
    });
    expect(over.status).toBe(422);
    expect(over.body.errors).toEqual([{ path: 'text', message: '301 characters, limit 300' }]);
    const masto = await account({ network: 'mastodon' });
    const link = `https://example.com/${'a'.repeat(300)}`;
    const toot = `${'b'.repeat(470)} ${link} @anna@social.example`; // 470 + 1 + 23 + 1 + 5 = 500 as Mastodon counts
    expect(
      (await api.call('POST', `/v1/accounts/${masto}/posts`, { key, body: { text: toot, voiceId, at } })).status,
    ).toBe(201);
    const tooLong = await api.call('POST', `/v1/accounts/${masto}/posts`, {
      key,
      body: { text: `${toot}!`, voiceId, at },
    });
    expect(tooLong.status).toBe(422);
    expect(tooLong.body.errors).toEqual([{ path: 'text', message: '501 characters, limit 500' }]);
  });

  it('refuses media on a channel that cannot publish it yet', async () => {
    const m = await account({
      channel: { type: 'mastodon', instanceUrl: 'https://mastodon.example', accessToken: 't' },
    });
    const r = await api.call('POST', `/v1/accounts/${m}/posts`, {
      key,
      body: { text: 'pic', voiceId, slot: 'next', media: [{ url: 'https://cdn.example/a.jpg' }] },
    });
    expect(r.status).toBe(422);
    expect(r.body.errors[0].path).toBe('media');
    const hook = await account();
    const ok = await api.call('POST', `/v1/accounts/${hook}/posts`, {
      key,
      body: { text: 'pic', voiceId, slot: 'next', media: [{ url: 'https://cdn.example/a.jpg', alt: 'a cup' }] },
    });
    expect(ok.body.media).toEqual([{ url: 'https://cdn.example/a.jpg', alt: 'a cup' }]);
  });

  it('needs an author voice of this workspace', async () => {
    const acc = await account();
    const other = await api.workspace('Other');
    const foreign = (
      await api.call('POST', '/v1/voices', { key: other.key, body: { name: 'Z', affiliation: 'agency' } })
    ).body.id;
    const r = await api.call('POST', `/v1/accounts/${acc}/posts`, {
      key,
      body: { text: 'x', voiceId: foreign, slot: 'next' },
    });
    expect(r.status).toBe(422);
    expect(r.body.errors[0].path).toBe('voiceId');
  });

  it('keeps a voice that has written posts from being deleted', async () => {
    const acc = await account();
    const v = (await api.call('POST', '/v1/voices', { key, body: { name: 'Writer', affiliation: 'freelance' } })).body
      .id;
    await api.call('POST', `/v1/accounts/${acc}/posts`, { key, body: { text: 'x', voiceId: v, slot: 'next' } });
    const r = await api.call('DELETE', `/v1/voices/${v}`, { key });
    expect(r.status).toBe(409);
    expect(r.body.detail).toContain('archive');
  });

  it("hides another workspace's posts and accounts (404)", async () => {
    const acc = await account();
    const p = await api.call('POST', `/v1/accounts/${acc}/posts`, {
      key,
      body: { text: 'mine', voiceId, slot: 'next' },
    });
    const other = await api.workspace('Snoop');
    const otherVoice = (
      await api.call('POST', '/v1/voices', { key: other.key, body: { name: 'S', affiliation: 'agency' } })
    ).body.id;
    expect((await api.call('GET', `/v1/posts/${p.body.id}`, { key: other.key })).status).toBe(404);
    expect((await api.call('PATCH', `/v1/posts/${p.body.id}`, { key: other.key, body: { text: 'x' } })).status).toBe(
      404,
    );
    expect((await api.call('DELETE', `/v1/posts/${p.body.id}`, { key: other.key })).status).toBe(404);
    expect((await api.call('GET', `/v1/accounts/${acc}/posts`, { key: other.key })).status).toBe(404);
    expect(
      (
        await api.call('POST', `/v1/accounts/${acc}/posts`, {
          key: other.key,
          body: { text: 'x', voiceId: otherVoice, slot: 'next' },
        })
      ).status,
    ).toBe(404);
  });
});
