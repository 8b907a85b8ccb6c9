import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { timerName, type Mailer, type MailMessage } from '@drumbeat/core';
import { DIGEST_WINDOW_MS } from '@drumbeat/services';
import { alertAccount, DownMailer, startAlertBench, type AlertBench } from './harness.js';

/** A mailer whose process dies in the middle of the send: it takes the message and never answers. */
class DyingMailer implements Mailer {
  asked: MailMessage[] = [];
  send(m: MailMessage): Promise<{ messageId: string }> {
    this.asked.push(m);
    return new Promise(() => {});
  }
}

let b: AlertBench;
beforeAll(async () => {
  b = await startAlertBench('2026-11-23T10:00:00Z');
});
afterAll(() => b.close());

const plus = (iso: string, ms: number) => new Date(Date.parse(iso) + ms).toISOString();
const alertsOf = async (bench: AlertBench, acc: string) =>
  (await bench.call('GET', `/v1/alerts?accountId=${acc}`)).body.items as any[];
const mailsTo = (bench: AlertBench, address: string) =>
  bench.sink.received.filter((m) => m.envelope.to.map((t) => t.toLowerCase()).includes(address));
const alertIds = (m: { parsed: { headers: Map<string, unknown> } }) =>
  (m.parsed.headers.get('x-drumbeat-alert') as string).split(', ');
/** An account whose calendar is empty: its empty_slots alert opens the moment it is created. */
const emptyAccount = async (bench: AlertBench, handle: string, emails: string[]) => {
  const r = await bench.call('POST', '/v1/accounts', {
    body: alertAccount(bench.channel.url, {
      name: `Shop ${handle}`,
      handle,
      cadence: { slots: ['FREQ=DAILY;BYHOUR=10'] },
      alerts: { emails },
    }),
  });
  expect(r.status).toBe(201);
  const [alert] = await alertsOf(bench, r.body.id);
  expect(alert).toMatchObject({ kind: 'empty_slots', status: 'open' });
  return { id: r.body.id as string, alert: alert.id as string, summary: alert.details.summary as string };
};
const run = (accountId: string) => b.services().watchdog.run({ kind: 'watchdog', workspaceId: b.ws, accountId });

// The instants of these scenarios (and of the other alert tests: ':03' after an opening) are written for a 3 s window.
it('gathers for the window the scenarios are written for', () => expect(DIGEST_WINDOW_MS).toBe(3_000));

describe('alerts of one workspace that open together', () => {
  it('go out as one digest to recipients they share, grouped by account, and nothing more when each account’s timer runs', async () => {
    const north = await emptyAccount(b, '@north', ['brand@acme.example', 'ops@acme.example']);
    const south = await emptyAccount(b, '@south', ['OPS@acme.example', 'brand@acme.example']); // the same set: case and order aside
    const solo = await emptyAccount(b, '@solo', ['solo@acme.example']);
    await b.at('2026-11-23T10:00:02.999Z');
    expect(b.sink.received).toHaveLength(0);

    await b.at('2026-11-23T10:00:03Z');
    const shared = mailsTo(b, 'brand@acme.example');
    expect(shared).toHaveLength(1);
    const { parsed, envelope } = shared[0]!;
    // Each recipient gets their own copy: their own Acknowledge links (issue 17), the same digest.
    expect(envelope.to.map((t) => t.toLowerCase())).toEqual(['brand@acme.example']);
    expect(mailsTo(b, 'ops@acme.example')).toHaveLength(1);
    expect(alertIds(shared[0]!).sort()).toEqual([north.alert, south.alert].sort());
    const [first, second] = north.alert < south.alert ? [north, south] : [south, north];
    const handle = (a: typeof north) => (a === north ? '@north' : '@south');
    expect(parsed.subject).toBe(
      `2 alerts on 2 accounts: ${handle(first)} on Mastodon: ${first.summary}; ${handle(second)} on Mastodon: ${second.summary}`,
    );
    expect(parsed.messageId).toBe(`<alerts.${first.alert}.2@drumbeat.test>`);
    expect(parsed.headers.get('x-drumbeat-account')).toBe(`${first.id}, ${second.id}`);
    for (const a of [north, south]) {
      expect(parsed.text).toContain(`== ${handle(a)} on Mastodon: Shop ${handle(a)} ==`);
      expect(parsed.text).toContain(`Calendar: http://drumbeat.test/app/accounts/${a.id}/calendar`);
      expect(parsed.text).not.toContain(`POST http://drumbeat.test/v1/alerts/${a.alert}/ack`);
      expect(parsed.text).toMatch(/Acknowledge: http:\/\/drumbeat\.test\/a\/k\./);
      expect(parsed.html).toContain(`<h2 style="font-size:1.2em">${handle(a)} on Mastodon: Shop ${handle(a)}</h2>`);
      expect(parsed.html).toContain(`href="http://drumbeat.test/app/accounts/${a.id}/calendar"`);
      expect((await alertsOf(b, a.id))[0]).toMatchObject({ id: a.alert, notifiedAt: '2026-11-23T10:00:03.000Z' });
    }
    expect(parsed.text!.indexOf(`== ${handle(first)}`)).toBeLessThan(parsed.text!.indexOf(`== ${handle(second)}`));
    expect(parsed.text).toContain('Tue, 24 Nov 2026, 10:00 (Europe/Paris)');

    // Other recipients: not merged, their own email.
    const own = mailsTo(b, 'solo@acme.example');
    expect(own).toHaveLength(1);
    expect(own[0]!.parsed.subject).toBe(`@solo on Mastodon: ${solo.summary}`);
    expect(alertIds(own[0]!)).toEqual([solo.alert]);
    expect(b.sink.received).toHaveLength(3);

    // Whatever timers remain (a round that stepped back looks again 10 s later) and any further run send nothing.
    await b.at('2026-11-23T10:01:00Z');
    await Promise.all([run(north.id), run(south.id), run(solo.id)]);
    expect(b.sink.received).toHaveLength(3);
  });

  it('takes along an alert that opened during the window, and leaves one that opens after it to its own email', async () => {
    await b.at('2026-11-23T11:00:00Z');
    const early = await emptyAccount(b, '@early', ['team@acme.example']);
    await b.at('2026-11-23T11:00:02Z');
    const late = await emptyAccount(b, '@late', ['team@acme.example']);
    await b.at('2026-11-23T11:00:03Z');
    const digest = mailsTo(b, 'team@acme.example');
    expect(digest).toHaveLength(1);
    expect(alertIds(digest[0]!)).toEqual([early.alert, late.alert]);

    await b.at('2026-11-23T11:00:05Z');
    const after = await emptyAccount(b, '@after', ['team@acme.example']);
    await b.at('2026-11-23T11:00:07.999Z');
    expect(mailsTo(b, 'team@acme.example')).toHaveLength(1);
    await b.at('2026-11-23T11:00:08Z');
    const mails = mailsTo(b, 'team@acme.example');
    expect(mails).toHaveLength(2);
    expect(alertIds(mails[1]!)).toEqual([after.alert]);
    expect(mails[1]!.parsed.subject).toBe(`@after on Mastodon: ${after.summary}`);
    await b.at('2026-11-23T11:01:00Z');
    expect(mailsTo(b, 'team@acme.example')).toHaveLength(2);
  });
});

describe('a digest, like any alert email,', () => {
  it('leaves out an alert resolved during the window, and is not sent when all of them are', async () => {
    await b.at('2026-11-23T11:30:00Z');
    const kept = await emptyAccount(b, '@kept', ['quiet@acme.example']);
    const gone = await emptyAccount(b, '@gone', ['quiet@acme.example']);
    expect((await b.call('DELETE', `/v1/accounts/${gone.id}`)).status).toBe(204); // archiving resolves its alert
    await b.at('2026-11-23T11:30:03Z');
    const mails = mailsTo(b, 'quiet@acme.example');
    expect(mails).toHaveLength(1);
    expect(alertIds(mails[0]!)).toEqual([kept.alert]);

    await b.at('2026-11-23T11:40:00Z');
    const brief = await emptyAccount(b, '@brief', ['gone@acme.example']);
    expect((await b.call('DELETE', `/v1/accounts/${brief.id}`)).status).toBe(204);
    await b.at('2026-11-23T11:41:00Z');
    expect(mailsTo(b, 'gone@acme.example')).toHaveLength(0);
  });

  it('is retried as one email after a failed send', async () => {
    const down = new DownMailer();
    await b.restart(down);
    await b.at('2026-11-23T11:50:00Z');
    const one = await emptyAccount(b, '@retry_one', ['retry@acme.example']);
    const two = await emptyAccount(b, '@retry_two', ['retry@acme.example']);
    await b.at('2026-11-23T11:50:03Z');
    expect(down.attempts).toBe(1);
    await b.restart(); // the mail server is back
    await b.at('2026-11-23T11:51:02Z');
    expect(mailsTo(b, 'retry@acme.example')).toHaveLength(0);
    await b.at('2026-11-23T11:51:03Z');
    const mails = mailsTo(b, 'retry@acme.example');
    expect(mails).toHaveLength(1);
    expect(alertIds(mails[0]!).sort()).toEqual([one.alert, two.alert].sort());
    await b.at('2026-11-23T11:59:00Z');
    expect(mailsTo(b, 'retry@acme.example')).toHaveLength(1);
  });
});

describe('restarting the runtime around a digest', () => {
  it('sends the digest once when the restart falls inside the gathering window', async () => {
    await b.at('2026-11-23T12:00:00Z');
    const one = await emptyAccount(b, '@one', ['restart@acme.example']);
    const two = await emptyAccount(b, '@two', ['restart@acme.example']);
    await b.at('2026-11-23T12:00:01Z');
    await b.restart();
    await b.at('2026-11-23T12:00:03Z');
    const mails = mailsTo(b, 'restart@acme.example');
    expect(mails).toHaveLength(1);
    expect(alertIds(mails[0]!).sort()).toEqual([one.alert, two.alert].sort());
    await b.restart();
    await b.at('2026-11-23T12:30:00Z');
    expect(mailsTo(b, 'restart@acme.example')).toHaveLength(1);
  });

  it('neither loses nor duplicates a digest whose sender died mid-round: it is taken over once, with the same Message-ID', async () => {
    await b.at('2026-11-23T13:00:00Z');
    const one = await emptyAccount(b, '@first', ['died@acme.example']);
    const two = await emptyAccount(b, '@second', ['died@acme.example']);
    // Another process runs the first account's round at the window's end: it claims both alerts, then dies sending.
    const dying = new DyingMailer();
    const doomed = b.spawn(dying);
    b.api.clock.set('2026-11-23T13:00:03Z');
    void doomed.watchdog.run({ kind: 'watchdog', workspaceId: b.ws, accountId: one.id });
    await vi.waitFor(() => expect(dying.asked).toHaveLength(1));
    expect(dying.asked[0]!.headers?.['X-Drumbeat-Alert']?.split(', ').sort()).toEqual([one.alert, two.alert].sort());

    await b.restart();
    await b.at('2026-11-23T13:00:03Z'); // both accounts' timers: the alerts are claimed, nothing to send yet
    await b.at('2026-11-23T13:15:02.999Z');
    expect(mailsTo(b, 'died@acme.example')).toHaveLength(0);
    await b.at('2026-11-23T13:15:03Z'); // the claim is stale: taken over
    const mails = mailsTo(b, 'died@acme.example');
    expect(mails).toHaveLength(1);
    expect(alertIds(mails[0]!).sort()).toEqual([one.alert, two.alert].sort());
    expect(mails[0]!.parsed.messageId).toBe(dying.asked[0]!.headers?.['Message-ID']);
    for (const id of [one.alert, two.alert]) {
      expect(await b.api.store.alerts.get(b.ws, id)).toMatchObject({
        notifiedAt: '2026-11-23T13:15:03.000Z',
        notifyAttempts: 2,
        messageId: expect.any(String),
      });
    }

    await b.restart();
    await b.at('2026-11-23T14:00:00Z');
    await Promise.all([run(one.id), run(two.id)]);
    expect(mailsTo(b, 'died@acme.example')).toHaveLength(1);
  });
});

describe('the gathering window', () => {
  let w: AlertBench;
  beforeAll(async () => {
    w = await startAlertBench('2026-11-23T10:00:00Z', { digestWindowMs: 60_000 });
  });
  afterAll(() => w.close());

  it('is a services option: with a minute, the timer is armed a minute after the opening and alerts 30 s apart share one email', async () => {
    const a = await emptyAccount(w, '@minute_a', ['brand@acme.example']);
    const name = timerName({ kind: 'watchdog', workspaceId: w.ws, accountId: a.id });
    const timer = await w.api.store.db.doc.send(
      new GetCommand({ TableName: w.api.store.db.table, Key: { pk: `TIMER#${name}`, sk: 'TIMER' } }),
    );
    expect(timer.Item?.dueAt).toBe('2026-11-23T10:01:00.000Z');
    await w.at('2026-11-23T10:00:30Z');
    const c = await emptyAccount(w, '@minute_b', ['brand@acme.example']);
    await w.at(plus('2026-11-23T10:01:00Z', -1));
    expect(w.sink.received).toHaveLength(0);
    await w.at('2026-11-23T10:01:00Z');
    expect(w.sink.received).toHaveLength(1);
    expect(alertIds(w.sink.received[0]!)).toEqual([a.alert, c.alert]);
    await w.at('2026-11-23T10:02:00Z');
    expect(w.sink.received).toHaveLength(1);
  });
});
