import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { alertAccount, startAlertBench, type AlertBench } from '../alerts/harness.js';

// The response SLA with a controlled clock: the watchdog's deadline timer,
// real SMTP on loopback, alert events to a real subscriber.
let b: AlertBench;
let anna: string;
beforeAll(async () => {
  b = await startAlertBench('2026-12-04T14:00:00Z');
  anna = await b.voice('Anna');
});
afterAll(() => b.close());

const alertsOf = async (acc: string) => (await b.call('GET', `/v1/alerts?accountId=${acc}`)).body.items as any[];
const item = (externalId: string, receivedAt: string, text = 'Do you ship to Belgium? <b>urgent</b>') => ({
  externalId,
  kind: 'mention',
  author: { handle: '@jo@mastodon.example' },
  text,
  receivedAt,
});

describe('an item left unanswered past the response SLA', () => {
  let acc: string;
  let id: string;

  it('opens reply_overdue once at its deadline, emails it once, and arms nothing more while it waits', async () => {
    acc = (await b.call('POST', '/v1/accounts', { body: alertAccount(b.channel.url, { responses: { sla: 'PT2H' } }) }))
      .body.id;
    const r = await b.call('POST', `/v1/accounts/${acc}/conversations`, { body: item('1', '2026-12-04T14:00:00Z') });
    id = r.body.items[0].id;
    expect((await b.call('GET', `/v1/conversations/${id}`)).body.dueAt).toBe('2026-12-04T16:00:00.000Z');
    await b.at('2026-12-04T15:59:59Z');
    expect(await alertsOf(acc)).toEqual([]);
    await b.at('2026-12-04T16:00:00Z');
    const [a] = await alertsOf(acc);
    expect(a).toMatchObject({
      kind: 'reply_overdue',
      status: 'open',
      details: { conversationId: id, dueAt: '2026-12-04T16:00:00.000Z', author: '@jo@mastodon.example', sla: 'PT2H' },
    });
    expect(a.postId).toBeUndefined();
    await b.at('2026-12-04T16:00:03Z');
    const mails = b.sink.received.filter((m) => m.parsed.subject?.includes('for an answer'));
    expect(mails).toHaveLength(1);
    expect(mails[0]!.parsed.text).toContain('Do you ship to Belgium? <b>urgent</b>');
    expect(mails[0]!.parsed.text).toContain(`/v1/conversations/${id}/reply`);
    expect(mails[0]!.parsed.text).toContain(`/app/accounts/${acc}/inbox`);
    expect(String(mails[0]!.parsed.html)).not.toContain('<b>urgent</b>');
    // Later evaluations keep the one alert and send nothing more.
    await b.at('2026-12-04T18:00:00Z');
    await b.call('POST', `/v1/accounts/${acc}/conversations`, { body: item('1', '2026-12-04T14:00:00Z') });
    expect((await alertsOf(acc)).filter((x) => x.kind === 'reply_overdue')).toHaveLength(1);
    expect(b.sink.received.filter((m) => m.parsed.subject?.includes('for an answer'))).toHaveLength(1);
  });

  it('resolves when the item is answered', async () => {
    const r = await b.call('POST', `/v1/conversations/${id}/reply`, { body: { text: 'Yes, we do!', voiceId: anna } });
    expect(r.status).toBe(200);
    expect((await b.call('GET', `/v1/conversations/${id}`)).body.status).toBe('answered');
    const [a] = await alertsOf(acc);
    expect(a).toMatchObject({ kind: 'reply_overdue', status: 'resolved' });
    await b.at('2026-12-04T18:00:00Z'); // event deliveries are timers too
    const events = b
      .events()
      .filter((e) => e.type.startsWith('alert.') && e.data.alert.kind === 'reply_overdue')
      .map((e) => e.type);
    expect(events).toEqual(['alert.opened', 'alert.resolved']);
    // The item itself is announced as overdue, once.
    const overdue = b.events().filter((e) => e.type === 'conversation.overdue') as unknown as {
      data: { conversation: { id: string; dueAt: string }; alert: { kind: string } };
    }[];
    expect(overdue.map((e) => [e.data.conversation.id, e.data.conversation.dueAt, e.data.alert.kind])).toEqual([
      [id, '2026-12-04T16:00:00.000Z', 'reply_overdue'],
    ]);
  });

  it('resolves when the item is dismissed, one alert per item', async () => {
    const two = (
      await b.call('POST', `/v1/accounts/${acc}/conversations`, {
        body: { items: [item('2', '2026-12-04T15:00:00Z', 'a'), item('3', '2026-12-04T15:30:00Z', 'b')] },
      })
    ).body.items;
    await b.at('2026-12-04T18:00:01Z');
    const open = (await alertsOf(acc)).filter((a) => a.status === 'open');
    expect(open.map((a) => a.details.conversationId).sort()).toEqual([two[0].id, two[1].id].sort());
    await b.call('POST', `/v1/conversations/${two[0].id}/dismiss`, { body: { reason: 'spam' } });
    const still = (await alertsOf(acc)).filter((a) => a.status === 'open');
    expect(still.map((a) => a.details.conversationId)).toEqual([two[1].id]);
  });
});

describe('the response SLA in opening hours (issue 18: Friday 16:30, PT2H, Mon–Fri 9–17)', () => {
  it('is due Monday 10:30 in the account zone, opens reply_overdue then and emails once, and resolves on the answer', async () => {
    const hours = [{ days: ['MO', 'TU', 'WE', 'TH', 'FR'], from: '09:00', to: '17:00' }];
    const acc = (
      await b.call('POST', '/v1/accounts', {
        body: alertAccount(b.channel.url, { handle: '@acme_hours', responses: { sla: 'PT2H', hours } }),
      })
    ).body.id;
    // Friday 11 December 2026, 16:30 in Paris (UTC+1).
    await b.at('2026-12-11T15:30:00Z');
    const id = (
      await b.call('POST', `/v1/accounts/${acc}/conversations`, {
        body: item('fri-1630', '2026-12-11T15:30:00Z', 'Are you open on Saturday?'),
      })
    ).body.items[0].id;
    // Half an hour on Friday, then 90 minutes on Monday from 09:00: Monday 10:30 in Paris.
    expect((await b.call('GET', `/v1/conversations/${id}`)).body.dueAt).toBe('2026-12-14T09:30:00.000Z');
    const subject = (m: { parsed: { subject?: string; text?: string | false } }) =>
      Boolean(
        m.parsed.subject?.includes('for an answer') && String(m.parsed.text).includes('Are you open on Saturday?'),
      );
    await b.at('2026-12-14T09:29:59Z');
    expect((await alertsOf(acc)).filter((a) => a.kind === 'reply_overdue')).toEqual([]);
    await b.at('2026-12-14T09:30:00Z');
    expect((await alertsOf(acc)).filter((a) => a.kind === 'reply_overdue' && a.status === 'open')).toHaveLength(1);
    await b.at('2026-12-14T09:35:00Z');
    expect(b.sink.received.filter(subject)).toHaveLength(1);
    expect(
      (await b.call('POST', `/v1/conversations/${id}/reply`, { body: { text: 'Yes, 10 to 18.', voiceId: anna } }))
        .status,
    ).toBe(200);
    expect((await alertsOf(acc)).filter((a) => a.kind === 'reply_overdue').map((a) => a.status)).toEqual(['resolved']);
    await b.at('2026-12-14T12:00:00Z');
    expect(b.sink.received.filter(subject)).toHaveLength(1);
  });
});
