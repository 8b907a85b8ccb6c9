import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { egressUrlPolicy } from '@drumbeat/channels';
import { Drumbeat } from '@drumbeat/client';
import { accountBody, startTestApi, type TestApi } from '../support/api.js';
import { ANNA } from '../support/bodies.js';
import { json, startRecorder, type HttpRecorder } from '../support/http-recorder.js';

// The response report through the API: the real embedded store (read a page at
// a time by received time), an answer published through a real HTTP receiver,
// one answered on the network outside drumbeat, one dismissed, one still open.
const H = 3_600_000;
let api: TestApi;
let channel: HttpRecorder;
let key: string;
let wsId: string;
let anna: string;
let accountId: string;
const ids: Record<string, string> = {};

const item = (externalId: string, receivedAt: string, text = `@acme question ${externalId}`) => ({
  externalId,
  kind: 'mention',
  author: { handle: '@jo@mastodon.example', displayName: 'Jo' },
  text,
  receivedAt,
});
const report = (query: string, k = key) =>
  api.call('GET', `/v1/accounts/${accountId}/conversations/report${query}`, { key: k });
// Monday 30 November 00:00 to Monday 14 December 00:00, Paris: ISO weeks 49 and 50.
const RANGE = '?from=2026-11-29T23:00:00Z&to=2026-12-13T23:00:00Z';

beforeAll(async () => {
  api = await startTestApi({ now: '2026-11-30T09:00:00Z', urlPolicy: egressUrlPolicy({ allowPrivate: true }) });
  const w = await api.workspace();
  key = w.key;
  wsId = w.id;
  channel = await startRecorder((_r, res) =>
    json(res, 200, { url: `https://mastodon.example/@acme/reply-${channel.requests.length}` }),
  );
  anna = (await api.call('POST', '/v1/voices', { key, body: ANNA })).body.id;
  const acc = await api.call('POST', '/v1/accounts', {
    key,
    body: accountBody({
      channel: { type: 'webhook', url: `${channel.url}/publish` },
      responses: { sla: 'PT2H', hours: [{ days: ['MO', 'TU', 'WE', 'TH', 'FR'], from: '09:00', to: '17:00' }] },
    }),
  });
  expect(acc.status).toBe(201);
  accountId = acc.body.id;
  const r = await api.call('POST', `/v1/accounts/${accountId}/conversations`, {
    key,
    body: {
      items: [
        item('early', '2026-11-01T09:00:00Z'), // before the range
        item('a', '2026-11-30T09:00:00Z'), // Mon 10:00 Paris, answered outside at 10:30
        item('b', '2026-12-04T15:30:00Z'), // Fri 16:30, answered through drumbeat Mon 10:30: 2 h of opening hours
        item('c', '2026-12-09T08:00:00Z', '<b>hiring?</b> & more'), // Wed 09:00, still open
        item('d', '2026-12-08T08:00:00Z'), // Tue, dismissed
      ],
    },
  });
  for (const i of r.body.items) ids[i.externalId] = i.id;
  await api.services.conversations.answeredOutside(wsId, accountId, [
    { inReplyToExternalId: 'a', externalId: 'out-1', at: '2026-11-30T09:30:00.000Z' },
  ]);
  api.clock.set('2026-12-07T09:30:00Z');
  const reply = await api.call('POST', `/v1/conversations/${ids.b}/reply`, {
    key,
    body: { text: 'Yes, see our jobs page', voiceId: anna },
  });
  expect(reply.status).toBe(200);
  expect(reply.body.status).toBe('answered');
  expect((await api.call('POST', `/v1/conversations/${ids.d}/dismiss`, { key, body: { reason: 'spam' } })).status).toBe(
    200,
  );
  api.clock.set('2026-12-10T11:00:00Z'); // Thursday 12:00 Paris
});
afterAll(async () => {
  await channel.close();
  await api.close();
});

describe('GET /v1/accounts/{id}/conversations/report', () => {
  it('reports the range: weeks in the account zone, first response in opening hours, SLA share, who answered, the longest waits', async () => {
    const r = await report(RANGE);
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({
      from: '2026-11-29T23:00:00.000Z',
      to: '2026-12-13T23:00:00.000Z',
      timezone: 'Europe/Paris',
      countedIn: 'opening_hours',
      received: 4,
      answered: 2,
      dismissed: 1,
      unanswered: 1,
    });
    expect(r.body.weeks).toEqual([
      { week: '2026-W49', start: '2026-11-30', received: 2, answered: 2, dismissed: 0, unanswered: 0 },
      { week: '2026-W50', start: '2026-12-07', received: 2, answered: 0, dismissed: 1, unanswered: 1 },
    ]);
    // 30 min and 2 h; c has waited Wed 9–17 and Thu 9–12: 11 h, past its SLA.
    expect(r.body.firstResponse).toEqual({ count: 2, medianMs: 1.25 * H, p90Ms: 2 * H });
    expect(r.body.sla).toEqual({ sla: 'PT2H', judged: 3, withinSla: 2, share: 2 / 3 });
    expect(r.body.answersByVoice).toEqual([{ voiceId: anna, name: 'Anna Bell', affiliation: 'agency', answers: 1 }]);
    expect(r.body.answersByAffiliation).toEqual([
      { affiliation: 'agency', answers: 1 },
      { affiliation: 'outside_drumbeat', answers: 1 },
    ]);
    expect(
      r.body.longestWaits.map((w: { conversationId: string; waitMs: number }) => [w.conversationId, w.waitMs / H]),
    ).toEqual([
      [ids.c, 11],
      [ids.b, 2],
      [ids.a, 0.5],
    ]);
  });

  it('defaults to the last 90 days, lets a viewer read, and hides another workspace’s account', async () => {
    const r = await report('');
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ to: '2026-12-10T11:00:00.000Z', from: '2026-09-11T11:00:00.000Z', received: 5 });
    const viewer = (await api.call('POST', '/v1/keys', { key, body: { name: 'v', role: 'viewer' } })).body.key;
    expect((await report(RANGE, viewer)).status).toBe(200);
    const other = (await api.workspace()).key;
    expect((await report(RANGE, other)).status).toBe(404);
  });

  it('is in the typed client', async () => {
    const client = new Drumbeat({
      baseUrl: 'http://drumbeat.test',
      apiKey: key,
      fetch: (input, init) => Promise.resolve(api.app.request(input as string, init)),
    });
    const r = await client.conversations.report(accountId, {
      from: '2026-11-29T23:00:00Z',
      to: '2026-12-13T23:00:00Z',
    });
    expect(r.weeks.map((w) => w.week)).toEqual(['2026-W49', '2026-W50']);
  });

  it('refuses a bad range with a 400 naming the field', async () => {
    const names = async (q: string) => {
      const r = await report(q);
      expect(r.status).toBe(400);
      expect(r.headers.get('content-type')).toContain('application/problem+json');
      return r.body.errors.map((e: { path: string }) => e.path);
    };
    expect(await names('?from=2026-12-10T00:00:00Z&to=2026-12-10T00:00:00Z')).toEqual(['to']);
    expect(await names('?from=2025-01-01T00:00:00Z&to=2026-12-01T00:00:00Z')).toEqual(['from']);
    expect(await names('?from=2026-12-11T00:00:00Z')).toEqual(['from']);
    expect(await names('?from=yesterday')).toEqual(['from']);
    expect(await names('?to=2026-13-01T00:00:00Z')).toEqual(['to']);
  });
});
