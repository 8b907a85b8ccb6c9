import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { alertAccount, startAlertBench, type AlertBench } from './harness.js';

let b: AlertBench;
let author: string;
let approver: string;
let failing = false;

beforeAll(async () => {
  b = await startAlertBench('2026-11-23T10:00:00Z', { channelStatus: () => (failing ? 422 : 200) });
  author = await b.voice('Freelance writer');
  approver = await b.voice('Brand manager');
});
afterAll(() => b.close());

const alertsOf = async (acc: string) => (await b.call('GET', `/v1/alerts?accountId=${acc}`)).body.items as any[];
const key = async (role: string) =>
  (await b.call('POST', '/v1/keys', { body: { name: role, role } })).body.key as string;

describe('an approval that takes longer than the SLA', () => {
  let acc: string;
  let post: string;

  it('opens approval_overdue for the post once the SLA runs out, and emails it the digest window later', async () => {
    acc = (
      await b.call('POST', '/v1/accounts', {
        body: alertAccount(b.channel.url, { approval: { required: true, sla: 'PT4H' } }),
      })
    ).body.id;
    const r = await b.call('POST', `/v1/accounts/${acc}/posts`, {
      body: { text: 'needs a yes', voiceId: author, at: '2026-11-30T10:00:00Z' },
    });
    expect(r.body.status).toBe('pending_approval');
    post = r.body.id;
    await b.at('2026-11-23T13:59:59Z');
    expect(await alertsOf(acc)).toEqual([]);
    await b.at('2026-11-23T14:00:00Z');
    const [a] = await alertsOf(acc);
    expect(a).toMatchObject({
      kind: 'approval_overdue',
      postId: post,
      status: 'open',
      details: {
        postId: post,
        sla: 'PT4H',
        pendingSince: '2026-11-23T10:00:00.000Z',
        overdueAt: '2026-11-23T14:00:00.000Z',
        summary: 'a post has waited 4 hours for approval',
      },
    });
    expect(b.sink.received).toHaveLength(0);
    await b.at('2026-11-23T14:00:03Z');
    expect(b.sink.received).toHaveLength(1);
    const mail = b.sink.received.at(-1)!.parsed;
    expect(mail.subject).toBe('@acme on Mastodon: a post has waited 4 hours for approval');
    expect(mail.text).toContain(`POST http://drumbeat.test/v1/posts/${post}/approve`);
    expect(mail.html).toContain('approvals should take at most 4 hours.');
    expect(mail.text).not.toContain('PT4H');
  });

  it('resolves once the post is approved', async () => {
    const approverKey = (
      await b.call('POST', '/v1/keys', { body: { name: 'Brand manager', role: 'approver', voiceId: approver } })
    ).body.key as string;
    const r = await b.call('POST', `/v1/posts/${post}/approve`, { key: approverKey, body: {} });
    expect(r.status).toBe(200);
    const [a] = await alertsOf(acc);
    expect(a).toMatchObject({ kind: 'approval_overdue', status: 'resolved', resolvedAt: '2026-11-23T14:00:03.000Z' });
  });

  it('is overdue at once when less than the SLA is left before the post’s time, and resolves when it is missed', async () => {
    // Three hours after now (14:00:03, the email having waited out its digest window).
    const soon = (
      await b.call('POST', `/v1/accounts/${acc}/posts`, {
        body: { text: 'in a hurry', voiceId: author, at: '2026-11-23T17:00:03Z' },
      })
    ).body.id;
    const open = (await alertsOf(acc)).filter((a) => a.status === 'open');
    expect(open).toHaveLength(1);
    expect(open[0]).toMatchObject({
      postId: soon,
      details: { summary: 'a post due in 3 hours still awaits approval', overdueAt: '2026-11-23T13:00:03.000Z' },
    });
    await b.at('2026-11-23T17:00:03Z');
    expect((await b.call('GET', `/v1/posts/${soon}`)).body.status).toBe('missed');
    // the overdue approval resolves; the missed post itself is an alert (nobody published it)
    expect((await alertsOf(acc)).filter((a) => a.status === 'open')).toMatchObject([
      { kind: 'publish_failed', postId: soon, details: { reason: expect.stringContaining('missed') } },
    ]);
    const mails = b.sink.received.length;
    await b.at('2026-11-23T17:00:06Z');
    expect(b.sink.received.slice(mails).map((m) => m.parsed.subject)).toEqual([
      '@acme on Mastodon: a post failed to publish',
    ]);
  });
});

describe('a post that fails to publish', () => {
  let acc: string;
  let post: string;

  it('opens publish_failed for the post, with the reason, and emails it the digest window later', async () => {
    acc = (await b.call('POST', '/v1/accounts', { body: alertAccount(b.channel.url, { handle: '@acme_shop' }) })).body
      .id;
    post = (
      await b.call('POST', `/v1/accounts/${acc}/posts`, {
        body: { text: 'doomed', voiceId: author, at: '2026-11-24T09:00:00Z' },
      })
    ).body.id;
    const before = b.sink.received.length;
    failing = true;
    await b.at('2026-11-24T09:00:00Z');
    failing = false;
    expect((await b.call('GET', `/v1/posts/${post}`)).body.status).toBe('failed');
    const [a] = await alertsOf(acc);
    expect(a).toMatchObject({
      kind: 'publish_failed',
      postId: post,
      status: 'open',
      details: { postId: post, scheduledAt: '2026-11-24T09:00:00.000Z' },
    });
    expect(a.details.reason).toMatch(/422/);
    expect(b.sink.received).toHaveLength(before);
    await b.at('2026-11-24T09:00:03Z');
    expect(b.sink.received).toHaveLength(before + 1);
    const mail = b.sink.received.at(-1)!.parsed;
    expect(mail.subject).toBe('@acme_shop on Mastodon: a post failed to publish');
    expect(mail.text).toContain('Tue, 24 Nov 2026, 10:00 (Europe/Paris)');
  });

  it('is acknowledged by an approver (not an editor or a viewer), once, and stays open', async () => {
    const [a] = await alertsOf(acc);
    for (const role of ['viewer', 'editor']) {
      const denied = await b.call('POST', `/v1/alerts/${a.id}/ack`, { key: await key(role) });
      expect(denied.status).toBe(403);
      expect(denied.headers.get('content-type')).toContain('application/problem+json');
    }
    await b.at('2026-11-24T09:05:00Z');
    const acked = await b.call('POST', `/v1/alerts/${a.id}/ack`, { key: await key('approver') });
    expect(acked.status).toBe(200);
    expect(acked.body).toMatchObject({ id: a.id, status: 'open', ackedAt: '2026-11-24T09:05:00.000Z' });
    await b.at('2026-11-24T09:06:00Z');
    const again = await b.call('POST', `/v1/alerts/${a.id}/ack`);
    expect(again.body.ackedAt).toBe('2026-11-24T09:05:00.000Z');
  });

  it('is neither reopened nor emailed again when the account changes later', async () => {
    const mails = b.sink.received.length;
    await b.call('POST', `/v1/accounts/${acc}/posts`, {
      body: { text: 'next one', voiceId: author, at: '2026-11-25T09:00:00Z' },
    });
    await b.at('2026-11-25T09:00:00Z');
    const failed = (await alertsOf(acc)).filter((a) => a.kind === 'publish_failed');
    expect(failed).toHaveLength(1);
    expect(failed[0].status).toBe('open');
    expect(b.sink.received).toHaveLength(mails);
  });

  it('resolves when the account is archived', async () => {
    expect((await b.call('DELETE', `/v1/accounts/${acc}`)).status).toBe(204);
    const failed = (await alertsOf(acc)).filter((a) => a.kind === 'publish_failed');
    expect(failed.map((a) => a.status)).toEqual(['resolved']);
  });
});
