import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { alertAccount, startAlertBench, type AlertBench } from './harness.js';

let b: AlertBench;
let author: string;
beforeAll(async () => {
  b = await startAlertBench('2026-11-23T10:00:00Z');
  author = await b.voice('Writer');
});
afterAll(() => b.close());

const alerts = async (acc: string) =>
  (await b.call('GET', `/v1/alerts?accountId=${acc}&status=open`)).body.items as {
    kind: string;
    postId?: string;
    details: Record<string, unknown>;
  }[];

describe('what a publication records', () => {
  it('moves updatedAt when a post is published, so a tool syncing by updatedAt sees it', async () => {
    const acc = (await b.call('POST', '/v1/accounts', { body: alertAccount(b.channel.url) })).body.id;
    const id = (
      await b.call('POST', `/v1/accounts/${acc}/posts`, {
        body: { text: 'out at noon', voiceId: author, at: '2026-11-23T11:00:00Z' },
      })
    ).body.id;
    await b.at('2026-11-23T11:00:00Z');
    const post = (await b.call('GET', `/v1/posts/${id}`)).body;
    expect(post).toMatchObject({
      status: 'published',
      publishedAt: '2026-11-23T11:00:00.000Z',
      updatedAt: '2026-11-23T11:00:00.000Z',
    });
  });

  it('refuses a manual publication dated before the post existed, and writes no ledger entry', async () => {
    const acc = (
      await b.call('POST', '/v1/accounts', { body: alertAccount(b.channel.url, { channel: { type: 'manual' } }) })
    ).body.id;
    const id = (
      await b.call('POST', `/v1/accounts/${acc}/posts`, {
        body: { text: 'by hand', voiceId: author, at: '2026-12-20T10:00:00Z' },
      })
    ).body.id;
    const r = await b.call('POST', `/v1/posts/${id}/published`, { body: { publishedAt: '2020-01-01T00:00:00Z' } });
    expect(r.status).toBe(422);
    expect(r.body.errors).toEqual([
      { path: 'publishedAt', message: expect.stringContaining('before the post was created') },
    ]);
    expect((await b.call('GET', `/v1/accounts/${acc}/attribution`)).body.items).toEqual([]);
    expect((await b.call('GET', `/v1/posts/${id}`)).body.status).toBe('scheduled');
  });

  it('lets the watchdog see a manual post published early, even one planned beyond the lookahead', async () => {
    b.api.clock.set('2026-11-24T10:00:00Z');
    const acc = (
      await b.call('POST', '/v1/accounts', {
        body: alertAccount(b.channel.url, {
          channel: { type: 'manual' },
          cadence: { slots: ['FREQ=DAILY;BYHOUR=9'], maxGap: 'P2D', lookahead: 'P7D' },
        }),
      })
    ).body.id;
    // planned three months ahead (beyond the lookahead and the 64 slots the watchdog reads past it), posted by hand a day later
    const id = (
      await b.call('POST', `/v1/accounts/${acc}/posts`, {
        body: { text: 'early bird', voiceId: author, at: '2027-03-01T08:00:00Z' },
      })
    ).body.id;
    await b.at('2026-11-25T10:00:00Z');
    expect((await b.call('POST', `/v1/posts/${id}/published`, { body: {} })).status).toBe(200);
    // two days after the account was set up, but one after the publication: no lapse
    await b.at('2026-11-26T10:00:01Z');
    expect((await alerts(acc)).filter((a) => a.kind === 'cadence_lapsed')).toEqual([]);
    await b.at('2026-11-27T10:00:00Z');
    expect((await alerts(acc)).filter((a) => a.kind === 'cadence_lapsed')).toMatchObject([
      { details: { lastPublishedAt: '2026-11-25T10:00:00.000Z' } },
    ]);
  });
});

describe('a post edited just before its time under an approval account', () => {
  it('says so in the answer, and opens an alert when the post is missed', async () => {
    b.api.clock.set('2026-11-28T10:00:00Z');
    const approver = await b.voice('Approver');
    const acc = (
      await b.call('POST', '/v1/accounts', { body: alertAccount(b.channel.url, { approval: { required: true } }) })
    ).body.id;
    const id = (
      await b.call('POST', `/v1/accounts/${acc}/posts`, {
        body: { text: 'draft', voiceId: author, at: '2026-11-28T12:00:00Z' },
      })
    ).body.id;
    const approverKey = (
      await b.call('POST', '/v1/keys', { body: { name: 'Approver', role: 'approver', voiceId: approver } })
    ).body.key as string;
    expect((await b.call('POST', `/v1/posts/${id}/approve`, { key: approverKey, body: {} })).body.status).toBe(
      'scheduled',
    );
    b.api.clock.set('2026-11-28T11:59:59Z');
    const edit = await b.call('PATCH', `/v1/posts/${id}`, { body: { text: 'last-minute fix' } });
    expect(edit.status).toBe(200);
    expect(edit.body.status).toBe('pending_approval');
    expect(edit.body.warnings).toEqual([expect.stringContaining('needs a new approval within 1 second')]);
    await b.at('2026-11-28T12:00:00Z');
    expect((await b.call('GET', `/v1/posts/${id}`)).body.status).toBe('missed');
    const open = await alerts(acc);
    expect(open).toMatchObject([
      { kind: 'publish_failed', postId: id, details: { reason: expect.stringContaining('missed') } },
    ]);
    // the warning is said once, in the answer to the change: reading the post later does not repeat it
    expect((await b.call('GET', `/v1/posts/${id}`)).body.warnings).toBeUndefined();
  });
});
