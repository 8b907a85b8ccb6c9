import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { alertAccount, publishedOnce, RECIPIENT, startAlertBench, type AlertBench } from './harness.js';

let b: AlertBench;
let acc: string;
let voiceId: string;

beforeAll(async () => {
  b = await startAlertBench('2026-11-23T10:00:00Z');
  ({ acc, voiceId } = await publishedOnce(b, { slots: [], maxGap: 'PT48H' }));
});
afterAll(() => b.close());

const alerts = async (q = '') => (await b.call('GET', `/v1/alerts?accountId=${acc}${q}`)).body.items as any[];

describe('an account whose last post was maxGap ago', () => {
  it('stays quiet a millisecond before the lapse', async () => {
    await b.at('2026-11-25T10:59:59.999Z');
    expect(await alerts()).toEqual([]);
    expect(b.sink.received).toHaveLength(0);
  });

  it('opens cadence_lapsed at the lapse instant and emails the alert recipients once, the digest window later, with a text and an HTML part', async () => {
    await b.at('2026-11-25T11:00:00Z');
    expect(b.sink.received).toHaveLength(0); // the email waits 3 s for other alerts of the workspace to join it
    await b.at('2026-11-25T11:00:02.999Z');
    expect(b.sink.received).toHaveLength(0);
    await b.at('2026-11-25T11:00:03Z');
    const open = await alerts('&status=open');
    expect(open).toHaveLength(1);
    expect(open[0]).toMatchObject({
      accountId: acc,
      kind: 'cadence_lapsed',
      status: 'open',
      openedAt: '2026-11-25T11:00:00.000Z',
      details: {
        reason: 'max_gap',
        maxGap: 'PT48H',
        lastPublishedAt: '2026-11-23T11:00:00.000Z',
        summary: 'no post for 2 days',
      },
    });
    expect(open[0].id).toMatch(/^alr_/);

    expect(b.sink.received).toHaveLength(1);
    const { parsed, envelope } = b.sink.received[0]!;
    expect(envelope.to).toEqual([RECIPIENT]);
    expect(parsed.subject).toBe('@acme on Mastodon: no post for 2 days');
    // It opens without naming the network twice, and durations read as words, never as ISO 8601.
    expect(parsed.text!.split('\n')[0]).toBe('Acme on Mastodon (@acme) needs attention.');
    expect(parsed.html).toContain('<p>Acme on Mastodon (@acme) needs attention.</p>');
    expect(parsed.text).toContain(
      'Nothing has been published since Mon, 23 Nov 2026, 12:00 (Europe/Paris); the cadence allows at most 2 days between posts.',
    );
    expect(`${parsed.text}${parsed.html}`).not.toMatch(/\bP(T?\d+[DHMSW])+\b/);
    expect(parsed.text).toContain(`http://drumbeat.test/app/accounts/${acc}/calendar`);
    expect(parsed.text).toMatch(/Acknowledge: http:\/\/drumbeat\.test\/a\/k\.ws_/); // the recipient's own link (issue 17), no API call
    expect(parsed.html).toContain('>Acknowledge</a>');
    expect(parsed.html).toContain('No post for 2 days');
    expect(parsed.html).toContain(`href="http://drumbeat.test/app/accounts/${acc}/calendar"`);
    expect(parsed.headers.get('x-drumbeat-alert')).toBe(open[0].id);
    expect((await alerts())[0].notifiedAt).toBe('2026-11-25T11:00:03.000Z');
  });

  it('neither reopens nor re-sends as time passes or the timer fires again', async () => {
    await b.at('2026-11-26T11:00:00Z');
    const payload = { kind: 'watchdog' as const, workspaceId: b.ws, accountId: acc };
    await Promise.all([b.services().watchdog.run(payload), b.services().watchdog.run(payload)]);
    await b.services().watchdog.run(payload);
    expect(await alerts()).toHaveLength(1);
    expect(b.sink.received).toHaveLength(1);
  });

  it('announces alert.opened to webhook subscribers', async () => {
    const events = b.events();
    expect(events.map((e) => e.type)).toEqual(['alert.opened']);
    expect(events[0]!.data.alert).toMatchObject({ kind: 'cadence_lapsed', accountId: acc, status: 'open' });
  });

  it('resolves with the next publication, announces alert.resolved, and sends nothing more', async () => {
    const post = await b.call('POST', `/v1/accounts/${acc}/posts`, {
      body: { text: 'Back on track', voiceId, at: '2026-11-26T12:00:00Z' },
    });
    expect(await alerts('&status=open')).toHaveLength(1); // scheduling alone does not end a lapse: the silence goes on until it is out
    await b.at('2026-11-26T12:00:00Z');
    expect((await b.call('GET', `/v1/posts/${post.body.id}`)).body.status).toBe('published');
    expect(await alerts('&status=open')).toEqual([]);
    const [resolved] = await alerts('&status=resolved');
    expect(resolved).toMatchObject({
      kind: 'cadence_lapsed',
      status: 'resolved',
      resolvedAt: '2026-11-26T12:00:00.000Z',
    });
    const events = b.events();
    expect(events.map((e) => e.type)).toEqual(['alert.opened', 'alert.resolved']);
    expect(events[1]!.data.alert).toMatchObject({ id: resolved.id, status: 'resolved' });
    expect(b.sink.received).toHaveLength(1);
  });

  it('opens a new alert, and sends a new email, for the next episode', async () => {
    await b.at('2026-11-28T12:00:00Z');
    const all = await alerts();
    expect(all.map((a) => a.status)).toEqual(['open', 'resolved']);
    expect(new Set(all.map((a) => a.id)).size).toBe(2);
    await b.at('2026-11-28T12:00:03Z');
    expect(b.sink.received).toHaveLength(2);
    expect(b.sink.received[1]!.parsed.headers.get('x-drumbeat-alert')).toBe(all[0].id);
  });
});

describe('a manual-channel account', () => {
  it('ends its lapse when a person marks a post published ahead of its time', async () => {
    const manual = (
      await b.call('POST', '/v1/accounts', {
        body: alertAccount(b.channel.url, {
          handle: '@acme_by_hand',
          channel: { type: 'manual' },
          cadence: { slots: [], maxGap: 'PT1H' },
        }),
      })
    ).body.id;
    await b.at('2026-11-28T13:00:03Z'); // an hour after it was set (the previous test left the clock at 12:00:03)
    const lapsed = async () => (await b.call('GET', `/v1/alerts?accountId=${manual}&status=open`)).body.items as any[];
    expect((await lapsed()).map((a) => a.kind)).toEqual(['cadence_lapsed']);
    const post = (
      await b.call('POST', `/v1/accounts/${manual}/posts`, {
        body: { text: 'posted by hand', voiceId, at: '2026-11-29T09:00:00Z' },
      })
    ).body.id;
    expect(
      (
        await b.call('POST', `/v1/posts/${post}/published`, {
          body: { url: 'https://mastodon.example/@acme_by_hand/1' },
        })
      ).status,
    ).toBe(200);
    expect(await lapsed()).toEqual([]);
  });
});
