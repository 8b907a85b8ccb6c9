import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DownMailer, startAlertBench, type AlertBench } from '../alerts/harness.js';
import { ANNA, CLAIRE, acmeAccount } from '../support/bodies.js';
import type { ReceivedMail } from '../support/smtp-sink.js';

// Approval requests gathered per approver: a real embedded store, a manual clock, the local scheduler's durable
// timers (fired by runDue), and mail through a real SMTP server on loopback.
let b: AlertBench;
let anna: string; // author
let claire: string; // approver
let claireKey: string;
let account: string;
const DUE = '2026-11-30T08:30:00Z';

beforeAll(async () => {
  b = await startAlertBench('2026-11-23T10:00:00Z');
  anna = (await b.call('POST', '/v1/voices', { body: ANNA })).body.id;
  claire = (await b.call('POST', '/v1/voices', { body: CLAIRE })).body.id;
  claireKey = (await b.call('POST', '/v1/keys', { body: { name: 'Claire', role: 'approver', voiceId: claire } })).body
    .key;
  account = (
    await b.call('POST', '/v1/accounts', {
      body: acmeAccount({ approval: { required: true, approvers: [claire], sla: 'PT4H' } }),
    })
  ).body.id;
});
afterAll(() => b.close());

const toClaire = () =>
  b.sink.received.filter((m) => m.envelope.to.map((t) => t.toLowerCase()).includes('claire@acme.example'));
const post = async (text: string) => {
  const r = await b.call('POST', `/v1/accounts/${account}/posts`, { body: { voiceId: anna, text, at: DUE } });
  expect(r.body.status).toBe('pending_approval');
  return r.body.id as string;
};
const links = (m: ReceivedMail) => [
  ...new Set([...(m.parsed.text ?? '').matchAll(/(http:\/\/[^\s?]+\/a\/[A-Za-z0-9._-]+)/g)].map((x) => x[1]!)),
];
const pathOf = (url: string) => `http://localhost${url.replace(/^https?:\/\/[^/]+/, '')}`;

describe('the approval-request digest', () => {
  it('three posts within the window arrive as one email with three posts, each with its own links; a fourth after the window is a second email', async () => {
    const before = toClaire().length;
    const ids = [await post('First of three: the autumn blend')];
    await b.at('2026-11-23T10:01:00Z');
    ids.push(await post('Second of three: the roasters'));
    await b.at('2026-11-23T10:02:30Z');
    ids.push(await post('Third of three: the café'));
    await b.at('2026-11-23T10:02:59Z');
    expect(toClaire().length).toBe(before); // nothing before the window (3 minutes from the first) ends

    await b.at('2026-11-23T10:03:00Z');
    const mails = toClaire().slice(before);
    expect(mails).toHaveLength(1);
    const m = mails[0]!;
    expect(m.parsed.subject).toBe('3 posts wait for your approval');
    for (const t of ['First of three', 'Second of three', 'Third of three']) expect(m.parsed.text).toContain(t);
    expect(m.parsed.headers.get('x-drumbeat-post')).toBe(ids.join(', '));
    const own = links(m);
    expect(own).toHaveLength(3);
    for (const [i, id] of ids.entries()) expect(own[i]).toContain(`.${id}.`);
    expect((m.parsed.html as string).match(/>Approve<\/a>/g)).toHaveLength(3);
    // Each link reviews its own post.
    const page = await b.api.app.request(pathOf(own[1]!));
    expect(await page.text()).toContain('Second of three');
    // Nothing more for these: the digest is gone, a repeated timer sends nothing.
    expect(await b.services().deps.store.reviewDigests.find(b.ws, claire)).toBeUndefined();
    expect(await b.services().reviewDigests.run({ kind: 'review-digest', workspaceId: b.ws, voiceId: claire })).toEqual(
      { sent: [], next: null },
    );

    await b.at('2026-11-23T10:04:00Z');
    const fourth = await post('Fourth, after the window');
    await b.at('2026-11-23T10:06:59Z');
    expect(toClaire().slice(before)).toHaveLength(1);
    await b.at('2026-11-23T10:07:00Z');
    const second = toClaire().slice(before + 1);
    expect(second).toHaveLength(1);
    expect(second[0]!.parsed.subject).toContain('Approval needed: @acme on Mastodon');
    expect(second[0]!.parsed.text).toContain('Fourth, after the window');
    expect(second[0]!.parsed.text).not.toContain('First of three');
    expect(second[0]!.parsed.headers.get('x-drumbeat-post')).toBe(fourth);
  });

  it('leaves out a post approved or canceled before it goes out, and shows an edited one at its new version with a link that approves it', async () => {
    await b.at('2026-11-23T11:00:00Z');
    const before = toClaire().length;
    const approved = await post('Approved before the digest');
    const canceled = await post('Canceled before the digest');
    const edited = await post('Edited before the digest: old words');
    const kept = await post('Kept as it was');
    await b.at('2026-11-23T11:01:00Z');
    expect((await b.call('POST', `/v1/posts/${approved}/approve`, { key: claireKey, body: {} })).status).toBe(200);
    expect((await b.call('DELETE', `/v1/posts/${canceled}`)).status).toBeLessThan(300);
    expect(
      (await b.call('PATCH', `/v1/posts/${edited}`, { body: { text: 'Edited before the digest: new words' } })).body
        .status,
    ).toBe('pending_approval');
    await b.at('2026-11-23T11:03:00Z');
    const mails = toClaire().slice(before);
    expect(mails).toHaveLength(1);
    const m = mails[0]!;
    expect(m.parsed.headers.get('x-drumbeat-post')).toBe([edited, kept].join(', '));
    expect(m.parsed.text).toContain('new words');
    expect(m.parsed.text).not.toContain('old words');
    expect(m.parsed.text).not.toContain('Approved before the digest');
    expect(m.parsed.text).not.toContain('Canceled before the digest');
    // The edited post's link is bound to the version sent: it opens ready to approve, not as "changed".
    const link = links(m).find((l) => l.includes(`.${edited}.`))!;
    const page = await (await b.api.app.request(pathOf(link))).text();
    expect(page).toContain('new words');
    expect(page).not.toContain('This post changed');
    expect(page).toContain('name="decision"');
  });

  it('survives a restart in the middle of the window: exactly one email, with every post', async () => {
    await b.at('2026-11-23T12:00:00Z');
    const before = toClaire().length;
    const one = await post('Before the restart');
    await b.at('2026-11-23T12:01:00Z');
    await b.restart();
    const two = await post('Between the restarts');
    await b.at('2026-11-23T12:02:00Z');
    await b.restart();
    await b.at('2026-11-23T12:03:00Z');
    const mails = toClaire().slice(before);
    expect(mails).toHaveLength(1);
    expect(mails[0]!.parsed.headers.get('x-drumbeat-post')).toBe([one, two].join(', '));
    // Another restart, the timer again, later: nothing more.
    await b.restart();
    await b.at('2026-11-23T12:10:00Z');
    await b.services().reviewDigests.run({ kind: 'review-digest', workspaceId: b.ws, voiceId: claire });
    expect(toClaire().slice(before)).toHaveLength(1);
  });

  it('a round that died after claiming is taken over once stale, under the same Message-ID', async () => {
    await b.at('2026-11-23T13:00:00Z');
    const before = toClaire().length;
    const id = await post('Claimed by a process that died');
    await b.at('2026-11-23T13:02:59Z');
    // A process claimed the round at 13:03 and died before sending.
    const repo = b.services().deps.store.reviewDigests;
    const rec = (await repo.find(b.ws, claire))!;
    const messageId = '<reviews.dead@drumbeat.test>';
    expect(
      await repo.put(
        {
          ...rec,
          sending: { at: '2026-11-23T13:03:00.000Z', count: rec.entries.length, messageId },
          version: rec.version + 1,
        },
        rec.version,
      ),
    ).toBe(true);
    await b.at('2026-11-23T13:03:00Z');
    await b.at('2026-11-23T13:04:59Z');
    expect(toClaire().length).toBe(before);
    await b.at('2026-11-23T13:05:00Z');
    const mails = toClaire().slice(before);
    expect(mails).toHaveLength(1);
    expect(mails[0]!.parsed.messageId).toBe(messageId);
    expect(mails[0]!.parsed.headers.get('x-drumbeat-post')).toBe(id);
  });

  it('a failed send is tried again a minute later, after a restart too, and sent once', async () => {
    await b.at('2026-11-23T14:00:00Z');
    const before = toClaire().length;
    const down = new DownMailer();
    await b.restart(down);
    const id = await post('Sent despite the mail server being down');
    await b.at('2026-11-23T14:03:00Z');
    expect(down.attempts).toBe(1);
    expect(toClaire().length).toBe(before);
    await b.restart();
    await b.at('2026-11-23T14:03:59Z');
    expect(toClaire().length).toBe(before);
    await b.at('2026-11-23T14:04:00Z');
    const mails = toClaire().slice(before);
    expect(mails).toHaveLength(1);
    expect(mails[0]!.parsed.headers.get('x-drumbeat-post')).toBe(id);
    await b.at('2026-11-23T14:30:00Z');
    expect(toClaire().slice(before)).toHaveLength(1);
  });

  it('each approver gets their own digest with their own links; none goes to the author', async () => {
    await b.at('2026-11-23T15:00:00Z');
    const dan = (
      await b.call('POST', '/v1/voices', {
        body: { name: 'Dan Roy', email: 'dan@acme.example', affiliation: 'in_house' },
      })
    ).body.id;
    await b.call('PATCH', `/v1/accounts/${account}`, {
      body: { approval: { required: true, approvers: [claire, dan], sla: 'PT4H' } },
    });
    const before = b.sink.received.length;
    const id = await post('For both approvers');
    await b.at('2026-11-23T15:03:00Z');
    const mails = b.sink.received.slice(before);
    expect(mails.map((m) => m.envelope.to.join(',')).sort()).toEqual(['claire@acme.example', 'dan@acme.example']);
    const [l1, l2] = mails.map((m) => links(m).find((l) => l.includes(`.${id}.`)));
    expect(l1).toBeDefined();
    expect(l1).not.toBe(l2);
  });
});
