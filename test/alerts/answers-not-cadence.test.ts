/**
 * An answer (a reply published through a conversation, ledger kind `reply`)
 * is not a post of the cadence (issue 18): an account whose only recent
 * publication is an answer still lapses, and a slot at the answer's very
 * instant stays empty. Through the real stack: the API, the publisher over a
 * real HTTP channel, the watchdog's timers, dynalite, SMTP on loopback.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { publishedOnce, startAlertBench, type AlertBench } from './harness.js';

let b: AlertBench;
let acc: string;
let answerId: string;

beforeAll(async () => {
  b = await startAlertBench('2026-11-23T10:00:00Z');
  // A slot every day at 12:00 Paris (11:00 UTC); at most 48 hours of silence.
  const { acc: id, voiceId } = await publishedOnce(b, { slots: ['FREQ=DAILY;BYHOUR=12;BYMINUTE=0'], maxGap: 'PT48H' });
  acc = id;

  // The next day, at the slot's very instant, the only publication is an answer to a question.
  await b.at('2026-11-24T11:00:00Z');
  const item = await b.call('POST', `/v1/accounts/${acc}/conversations`, {
    body: {
      externalId: '9001',
      kind: 'mention',
      author: { handle: 'carol@elsewhere.example' },
      text: '@acme is the shop open on Sunday?',
      receivedAt: '2026-11-24T10:30:00Z',
    },
  });
  expect(item.status).toBe(200);
  const answered = await b.call('POST', `/v1/conversations/${item.body.items[0].id}/reply`, {
    body: { text: 'Yes, 10:00 to 13:00!', voiceId },
  });
  expect(answered.status).toBe(200);
  answerId = answered.body.answerPostId;
  await b.at('2026-11-24T11:00:00Z');
  const answer = (await b.call('GET', `/v1/posts/${answerId}`)).body;
  expect(answer).toMatchObject({ status: 'published', scheduledAt: '2026-11-24T11:00:00.000Z' });
  expect((await b.call('GET', `/v1/conversations/${item.body.items[0].id}`)).body.status).toBe('answered');
});
afterAll(() => b.close());

const alerts = async () => (await b.call('GET', `/v1/alerts?accountId=${acc}&status=open`)).body.items as any[];

describe('an answer is not a post of the cadence', () => {
  it('leaves the slot at its instant empty in the calendar, and the lapse counted from the last post', async () => {
    const cal = await b.call('GET', `/v1/accounts/${acc}/calendar?from=2026-11-23T00:00:00Z&to=2026-11-26T00:00:00Z`);
    expect(cal.status).toBe(200);
    const slot = cal.body.slots.find((s: { at: string }) => s.at === '2026-11-24T11:00:00.000Z');
    expect(slot).toMatchObject({ postId: null });
    expect(cal.body.gaps.map((g: { at: string }) => g.at)).toContain('2026-11-24T11:00:00.000Z');
    // The lapse runs from Monday's post, the answer on Tuesday notwithstanding.
    expect(cal.body.lapses[0]).toMatchObject({ from: '2026-11-25T11:00:00.000Z' });
  });

  it('opens cadence_lapsed maxGap after the last post, though an answer went out since', async () => {
    await b.at('2026-11-25T10:59:59.999Z');
    expect((await alerts()).filter((a) => a.kind === 'cadence_lapsed')).toEqual([]);
    await b.at('2026-11-25T11:00:00Z');
    const lapsed = (await alerts()).filter((a) => a.kind === 'cadence_lapsed');
    expect(lapsed).toHaveLength(1);
    expect(lapsed[0]).toMatchObject({
      openedAt: '2026-11-25T11:00:00.000Z',
      details: { reason: 'max_gap', lastPublishedAt: '2026-11-23T11:00:00.000Z' },
    });
  });

  it('does not count the answer in the publishing stats', async () => {
    const stats = (await b.call('GET', `/v1/accounts/${acc}/stats`)).body;
    expect(stats.weeks.reduce((n: number, w: { published: number }) => n + w.published, 0)).toBe(1);
  });
});
