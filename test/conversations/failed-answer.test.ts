import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { answerPostIdOf, MAX_ANSWER_ATTEMPTS } from '@drumbeat/core';
import { alertAccount, startAlertBench, type AlertBench } from '../alerts/harness.js';

// A failed answer is not lost (issue 18): when an answer's publication fails
// for good, its item awaits an answer again: back on the response-deadline
// list (a breached SLA opens reply_overdue) and open to a new attempt, with
// its own post id. Through the real stack: the API, the publisher over a
// real HTTP channel that refuses, the watchdog's timers, dynalite, SMTP.
let b: AlertBench;
let anna: string;
let claireKey: string;
let status = 422;
beforeAll(async () => {
  b = await startAlertBench('2026-12-04T14:00:00Z', { channelStatus: () => status });
  anna = await b.voice('Anna');
  const claire = await b.voice('Claire');
  claireKey = (await b.call('POST', '/v1/keys', { body: { name: 'claire', role: 'approver', voiceId: claire } })).body
    .key;
});
afterAll(() => b.close());

const alertsOf = async (acc: string) => (await b.call('GET', `/v1/alerts?accountId=${acc}`)).body.items as any[];
const overdue = async (acc: string) =>
  (await alertsOf(acc)).filter((a) => a.kind === 'reply_overdue').map((a) => a.status as string);
const item = (externalId: string, receivedAt: string) => ({
  externalId,
  kind: 'mention',
  author: { handle: '@jo@mastodon.example' },
  text: 'Do you ship to Belgium?',
  receivedAt,
});
const reply = (id: string, text: string) =>
  b.call('POST', `/v1/conversations/${id}/reply`, { body: { text, voiceId: anna } });

describe('an answer whose publication fails for good', () => {
  let acc: string;
  let id: string;

  it('puts the item back to awaiting an answer, so a breached SLA opens reply_overdue', async () => {
    status = 422; // the network refuses the reply: final
    acc = (await b.call('POST', '/v1/accounts', { body: alertAccount(b.channel.url, { responses: { sla: 'PT2H' } }) }))
      .body.id;
    id = (await b.call('POST', `/v1/accounts/${acc}/conversations`, { body: item('1', '2026-12-04T14:00:00Z') })).body
      .items[0].id;
    await b.at('2026-12-04T14:30:00Z');
    const r = await reply(id, 'Yes, we do!');
    expect(r.status).toBe(200);
    const first = answerPostIdOf(id); // the first attempt keeps the id answers always had
    expect(first).toBe(`pst_${id.slice(4)}`);
    expect((await b.call('GET', `/v1/posts/${first}`)).body.status).toBe('failed');
    const c = (await b.call('GET', `/v1/conversations/${id}`)).body;
    expect(c).toMatchObject({
      status: 'open',
      answerFailures: 1,
      failedAnswer: { postId: first, at: '2026-12-04T14:30:00.000Z' },
    });
    expect(c.answerPostId).toBeUndefined();
    expect(c.failedAnswer.reason).toMatch(/422/);
    // Listed as overdue and alerted once the deadline passes.
    await b.at('2026-12-04T15:59:59Z');
    expect(await overdue(acc)).toEqual([]);
    await b.at('2026-12-04T16:00:00Z');
    expect(await overdue(acc)).toEqual(['open']);
    await b.at('2026-12-04T16:00:01Z');
    const listed = await b.call('GET', `/v1/accounts/${acc}/conversations?overdue=true`);
    expect(listed.body.items.map((x: { id: string }) => x.id)).toEqual([id]);
  });

  it('accepts a new answer (a new post id); while its outcome is unknown a further one is a 409', async () => {
    // Answers of this account now need approval: the second attempt waits for it.
    await b.call('PATCH', `/v1/accounts/${acc}`, {
      body: { conversations: { rules: [], approval: { required: true, sla: 'PT30M' } } },
    });
    status = 200;
    const r = await reply(id, 'Yes, we do! Two days to Brussels.');
    expect(r.status).toBe(200);
    const second = answerPostIdOf(id, 2);
    expect(second).not.toBe(answerPostIdOf(id));
    expect(r.body).toMatchObject({ status: 'open', answerPostId: second, answerFailures: 1 });
    expect((await b.call('GET', `/v1/posts/${second}`)).body.status).toBe('pending_approval');
    expect(await overdue(acc)).toEqual(['resolved']); // an answer on its way

    const again = await reply(id, 'A third try');
    expect(again.status).toBe(409);
    expect(again.headers.get('content-type')).toMatch(/application\/problem\+json/);
    expect(again.body.detail).toMatch(/already being answered/);

    const ok = await b.call('POST', `/v1/posts/${second}/approve`, { key: claireKey, body: {} });
    expect(ok.status).toBe(200);
    await b.at('2026-12-04T16:10:00Z');
    expect((await b.call('GET', `/v1/conversations/${id}`)).body).toMatchObject({
      status: 'answered',
      answerPostId: second,
      answeredBy: anna,
    });
    // One publication reached the network: the failed attempt never went out.
    const ledger = (await b.call('GET', `/v1/accounts/${acc}/attribution`)).body.items as any[];
    expect(ledger.map((e) => e.postId)).toEqual([second]);
  });

  it('an answer missed awaiting approval puts the item back too', async () => {
    const two = (await b.call('POST', `/v1/accounts/${acc}/conversations`, { body: item('2', '2026-12-04T16:10:00Z') }))
      .body.items[0].id;
    const r = await reply(two, 'On it');
    expect(r.body.answerPostId).toBe(answerPostIdOf(two));
    await b.at('2026-12-04T16:40:00Z'); // the approval SLA passes: the answer is missed
    expect((await b.call('GET', `/v1/posts/${answerPostIdOf(two)}`)).body.status).toBe('missed');
    expect((await b.call('GET', `/v1/conversations/${two}`)).body).toMatchObject({ status: 'open', answerFailures: 1 });
    await b.at('2026-12-04T18:10:00Z'); // its deadline (PT2H) passes: overdue again, alerted
    expect((await alertsOf(acc)).filter((a) => a.kind === 'reply_overdue' && a.details.conversationId === two)).toEqual(
      [expect.objectContaining({ status: 'open' })],
    );
    expect((await reply(two, 'On it, again')).body.answerPostId).toBe(answerPostIdOf(two, 2));
  });
});

describe('an answer canceled before it went out', () => {
  it('puts the item back to awaiting an answer', async () => {
    const acc = (
      await b.call('POST', '/v1/accounts', {
        body: alertAccount(b.channel.url, { conversations: { rules: [], approval: { required: true } } }),
      })
    ).body.id;
    const id = (await b.call('POST', `/v1/accounts/${acc}/conversations`, { body: item('5', '2026-12-04T16:00:00Z') }))
      .body.items[0].id;
    const first = (await reply(id, 'Maybe')).body.answerPostId;
    expect((await b.call('DELETE', `/v1/posts/${first}`)).status).toBe(200);
    expect((await b.call('GET', `/v1/conversations/${id}`)).body).toMatchObject({
      status: 'open',
      answerFailures: 1,
      failedAnswer: { postId: first, reason: 'the answer was canceled' },
    });
    expect((await reply(id, 'Yes')).body.answerPostId).toBe(answerPostIdOf(id, 2));
  });
});

describe('a failed answer whose word was lost', () => {
  it('is found failed by the next reply, which goes ahead as a new attempt', async () => {
    status = 422;
    const acc = (await b.call('POST', '/v1/accounts', { body: alertAccount(b.channel.url) })).body.id;
    const id = (await b.call('POST', `/v1/accounts/${acc}/conversations`, { body: item('9', '2026-12-04T16:00:00Z') }))
      .body.items[0].id;
    // The publisher's word to the inbox is lost (a crash in between).
    const lost = vi.spyOn(b.services().conversations, 'answerFailedForGood').mockResolvedValue(undefined);
    try {
      await reply(id, 'first');
      expect(lost).toHaveBeenCalled();
    } finally {
      lost.mockRestore();
    }
    expect((await b.call('GET', `/v1/conversations/${id}`)).body.answerPostId).toBe(answerPostIdOf(id));
    status = 200;
    const r = await reply(id, 'second');
    expect(r.status).toBe(200);
    expect((await b.call('GET', `/v1/conversations/${id}`)).body).toMatchObject({
      status: 'answered',
      answerPostId: answerPostIdOf(id, 2),
      failedAnswer: { postId: answerPostIdOf(id) },
    });
  });
});

describe('attempts', () => {
  it(`stop at ${MAX_ANSWER_ATTEMPTS}: the next reply is a 409 naming the cap`, async () => {
    status = 422;
    const acc = (await b.call('POST', '/v1/accounts', { body: alertAccount(b.channel.url) })).body.id;
    const id = (await b.call('POST', `/v1/accounts/${acc}/conversations`, { body: item('7', '2026-12-04T16:00:00Z') }))
      .body.items[0].id;
    for (let i = 1; i <= MAX_ANSWER_ATTEMPTS; i++) {
      const r = await reply(id, `try ${i}`);
      expect(r.body).toMatchObject({ status: 'open', answerFailures: i });
    }
    const capped = await reply(id, 'one more');
    expect(capped.status).toBe(409);
    expect(capped.body.detail).toMatch(new RegExp(`${MAX_ANSWER_ATTEMPTS} answers tried`));
    // The item can still be closed by hand.
    expect(
      (await b.call('POST', `/v1/conversations/${id}/dismiss`, { body: { reason: 'answered by phone' } })).status,
    ).toBe(200);
  });
});
