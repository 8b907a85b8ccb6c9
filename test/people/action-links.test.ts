import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Conflict } from '@drumbeat/core';
import { readLink, REVIEW_DIGEST_WINDOW_MS, signLink } from '@drumbeat/services';
import type { TestApi } from '../support/api.js';
import { acmeAccount } from '../support/bodies.js';
import { linkIn, outbox, recipients } from './outbox.js';
import { foreignPost, startTeam, type Team } from './team.js';

// Action links in-process (the browser test drives the same loop in Chromium over SMTP).
let api: TestApi;
let key: string;
let ws: string;
let anna: string; // author
let claire: string; // approver
let accountId: string;
const ORIGIN = 'http://localhost';

let create: Team['create'];

beforeAll(async () => {
  ({ api, key, ws, anna, claire, create } = await startTeam());
  accountId = await create(
    '/v1/accounts',
    acmeAccount({
      approval: { required: true, approvers: [claire], sla: 'PT4H' },
      alerts: { emails: ['ops@acme.example'] },
    }),
  );
});
afterAll(() => api.close());

async function page(url: string, form?: Record<string, string>, origin = ORIGIN) {
  const path = url.replace(/^https?:\/\/[^/]+/, '');
  const res = await api.app.request(`${ORIGIN}${path}`, {
    method: form ? 'POST' : 'GET',
    headers: form ? { 'Content-Type': 'application/x-www-form-urlencoded', Origin: origin } : {},
    ...(form ? { body: new URLSearchParams(form).toString() } : {}),
  });
  return {
    status: res.status,
    location: res.headers.get('location'),
    csp: res.headers.get('content-security-policy'),
    text: await res.text(),
  };
}
const formTokenOf = (html: string) => /name="formToken" value="([^"]+)"/.exec(html)![1]!;

/** The approval requests go out as a digest a window after the first: moves the clock past it and fires Claire's digest timer. */
async function flushReviews(): Promise<void> {
  api.clock.advance(REVIEW_DIGEST_WINDOW_MS);
  await api.services.reviewDigests.run({ kind: 'review-digest', workspaceId: ws, voiceId: claire });
}

async function newPendingPost(text: string): Promise<{ id: string; link: string }> {
  const before = (await outbox(api.outboxDir)).length;
  const post = await api.call('POST', `/v1/accounts/${accountId}/posts`, {
    key,
    body: { voiceId: anna, text, at: '2026-11-25T08:30:00Z' },
  });
  expect(post.body.status).toBe('pending_approval');
  await flushReviews();
  const mails = (await outbox(api.outboxDir)).slice(before);
  const mine = mails.filter((m) => recipients(m).includes('claire@acme.example'));
  expect(mine).toHaveLength(1);
  return { id: post.body.id, link: linkIn(mine[0]!.text) };
}

describe('approval request email', () => {
  it('goes to the allowed approver only (never the author), with the exact text, planned local time, SLA deadline and both buttons', async () => {
    const before = (await outbox(api.outboxDir)).length;
    await api.call('POST', `/v1/accounts/${accountId}/posts`, {
      key,
      body: { voiceId: anna, text: 'Our autumn blend is back #coffee', at: '2026-11-25T08:30:00Z' },
    });
    expect((await outbox(api.outboxDir)).length).toBe(before); // gathered for a few minutes first
    await flushReviews();
    const mails = (await outbox(api.outboxDir)).slice(before);
    expect(mails.map(recipients)).toEqual([['claire@acme.example']]);
    const m = mails[0]!;
    expect(m.subject).toContain('Approval needed: @acme on Mastodon');
    expect(m.text).toContain('Our autumn blend is back #coffee');
    expect(m.text).toContain('Anna Bell (agency, Northwind)');
    expect(m.text).toContain('Wed, 25 Nov 2026, 09:30 (Europe/Paris)');
    expect(m.text).toMatch(/please decide before Mon, 23 Nov 2026, 15:00/);
    expect(m.html).toContain('>Approve</a>');
    expect(m.html).toContain('>Request changes</a>');
    expect(m.text).not.toContain('dbk.');
  });
});

describe('review link', () => {
  it('opens with no key, changes nothing, and approves through its form as the approver', async () => {
    const { id, link } = await newPendingPost('Meet the roasters');
    const shown = await page(link);
    expect(shown.status).toBe(200);
    expect(shown.csp).toContain("default-src 'none'");
    expect(shown.text).toContain('Meet the roasters');
    expect(shown.text).toContain('17 / 500 characters');
    expect(shown.text).not.toContain('claire@acme.example');
    expect((await api.call('GET', `/v1/posts/${id}`, { key })).body.status).toBe('pending_approval');

    // A form from elsewhere, or without the page's token, does nothing.
    expect(
      (await page(link, { decision: 'approve', formToken: formTokenOf(shown.text) }, 'https://evil.example')).status,
    ).toBe(403);
    expect((await page(link, { decision: 'approve', formToken: 'x'.repeat(32) })).status).toBe(403);
    expect((await api.call('GET', `/v1/posts/${id}`, { key })).body.status).toBe('pending_approval');

    const done = await page(link, { decision: 'approve', formToken: formTokenOf(shown.text) });
    expect(done.status).toBe(303);
    const post = (await api.call('GET', `/v1/posts/${id}`, { key })).body;
    expect(post.status).toBe('scheduled');
    expect(post.approvals).toHaveLength(1);
    expect(post.approvals[0]).toMatchObject({ voiceId: claire, onBehalf: false });
    expect(post.approvals[0].enteredBy).toMatch(/^lnk_[0-9a-f]{24}$/);

    const again = await page(link);
    expect(again.text).toContain('You approved this post');
    const twice = await page(link, { decision: 'approve', formToken: formTokenOf(shown.text) });
    expect(twice.status).toBe(200);
    expect(twice.text).toContain('You approved this post');
    expect((await api.call('GET', `/v1/posts/${id}`, { key })).body.approvals).toHaveLength(1);
  });

  it('refuses a tampered link (4xx page saying what to do), an expired one, and a revoked one', async () => {
    const { link } = await newPendingPost('Tamper with me');
    const last = link.at(-1) === 'A' ? 'B' : 'A';
    const tampered = await page(link.slice(0, -1) + last);
    expect(tampered.status).toBe(403);
    expect(tampered.text).toContain('Open the link from the latest email');
    const otherPost = link.replace(/\.pst_[0-9a-z]+\./, '.pst_01jd8x3k2m9q4r7s0t1v2w3x4y.');
    expect((await page(otherPost)).status).toBe(403);
    expect((await page(link.replace('/a/r.', '/a/m.'))).status).toBe(403);
    expect((await page(`${ORIGIN}/a/garbage`)).status).toBe(400);

    await api.services.actionLinks.secrets.revoke(ws);
    expect((await page(link)).status).toBe(403);
  });

  it('after an edit, the old link shows the new version and approves nothing', async () => {
    const { id, link } = await newPendingPost('First wording');
    const shown = await page(link);
    await api.call('PATCH', `/v1/posts/${id}`, { key, body: { text: 'Second wording' } });
    const old = await page(link);
    expect(old.status).toBe(200);
    expect(old.text).toContain('This post changed since this link was sent');
    expect(old.text).toContain('Second wording');
    expect(old.text).not.toContain('name="decision"');
    const posted = await page(link, { decision: 'approve', formToken: formTokenOf(shown.text) });
    expect(posted.status).toBe(409);
    const post = (await api.call('GET', `/v1/posts/${id}`, { key })).body;
    expect(post.status).toBe('pending_approval');
    expect(post.approvals).toEqual([]);
    // The edit sent a new request, whose link approves the new version.
    await flushReviews();
    const mails = (await outbox(api.outboxDir)).filter((m) => m.text?.includes('Second wording'));
    expect(mails).toHaveLength(1);
  });

  it('requests changes with a note: recorded as a rejection, and the author is emailed the note', async () => {
    const { id, link } = await newPendingPost('Needs work');
    const shown = await page(link, undefined);
    const empty = await page(link, { decision: 'changes', note: '', formToken: formTokenOf(shown.text) });
    expect(empty.status).toBe(422);
    const before = (await outbox(api.outboxDir)).length;
    const r = await page(link, {
      decision: 'changes',
      note: 'Please mention the price.',
      formToken: formTokenOf(shown.text),
    });
    expect(r.status).toBe(303);
    const post = (await api.call('GET', `/v1/posts/${id}`, { key })).body;
    expect(post.status).toBe('pending_approval');
    expect(post.rejections[0]).toMatchObject({ voiceId: claire, note: 'Please mention the price.' });
    const mails = (await outbox(api.outboxDir)).slice(before);
    expect(mails.map(recipients)).toEqual([['anna@northwind.example']]);
    expect(mails[0]!.text).toContain('Please mention the price.');
    expect((await page(link)).text).toContain('You asked for changes');
  });

  it('expires at the post’s time', async () => {
    const { link } = await newPendingPost('Expiring');
    const saved = api.clock.now();
    api.clock.set('2026-11-25T08:30:01Z');
    const r = await page(link);
    api.clock.set(saved.toISOString());
    expect(r.status).toBe(410);
    expect(r.text).toContain('ask its author');
  });

  it('a link signed by one workspace naming another workspace’s post shows nothing of it', async () => {
    const foreign = await foreignPost(api, 'Other');
    const { generation, key: k } = await api.services.actionLinks.secrets.signing(ws);
    const token = signLink(k, {
      kind: 'review',
      workspaceId: ws,
      objectId: foreign,
      subject: claire,
      rev: 'x',
      expiresAt: 1_900_000_000,
      generation,
    });
    const r = await page(`${ORIGIN}/a/${token}`);
    expect(r.status).toBe(404);
    expect(r.text).not.toContain('secret plans');
  });
});

describe('a review link acts only on what its person saw, while they may still approve', () => {
  it('an approval of the version a link was sent for, landing after an edit, is a 409 and approves nothing', async () => {
    const { id, link } = await newPendingPost('Race: the words Claire read');
    const rev = readLink(link.split('/a/')[1]!)!.rev;
    // The edit lands between the page's check and the approval's write: the write names the version the link was for.
    await api.call('PATCH', `/v1/posts/${id}`, { key, body: { text: 'Race: words nobody read' } });
    const err = await api.services.approvals
      .approve(ws, id, { voiceId: claire, expectedRev: rev }, { keyId: 'lnk_race', voiceId: claire })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(Conflict);
    expect((err as Conflict).status).toBe(409);
    const post = (await api.call('GET', `/v1/posts/${id}`, { key })).body;
    expect(post).toMatchObject({ status: 'pending_approval', approvals: [], text: 'Race: words nobody read' });
    // The version it names still approves when unchanged (the new request's link).
    await flushReviews();
    const fresh = linkIn(
      (await outbox(api.outboxDir)).filter((m) => m.text?.includes('words nobody read')).pop()!.text,
    );
    const ok = await api.services.approvals.approve(
      ws,
      id,
      { voiceId: claire, expectedRev: readLink(fresh.split('/a/')[1]!)!.rev },
      { keyId: 'lnk_race', voiceId: claire },
    );
    expect(ok.status).toBe('scheduled');
  });

  it('stops acting for an approver whose personal key was revoked, on an account with no approvers list: a 403 page, nothing approved', async () => {
    const dan = (
      await api.call('POST', '/v1/voices', {
        key,
        body: { name: 'Dan Roy', email: 'dan@acme.example', affiliation: 'in_house' },
      })
    ).body.id;
    const danKey = (await api.call('POST', '/v1/keys', { key, body: { name: 'Dan', role: 'approver', voiceId: dan } }))
      .body;
    const open = await create(
      '/v1/accounts',
      acmeAccount({ name: 'Open', handle: '@open', approval: { required: true } }),
    );
    const id = (
      await api.call('POST', `/v1/accounts/${open}/posts`, {
        key,
        body: { voiceId: anna, text: 'Any approver will do', at: '2026-11-25T08:30:00Z' },
      })
    ).body.id;
    const link = (await api.call('POST', `/v1/posts/${id}/review-links`, { key, body: { voiceId: dan } })).body
      .url as string;
    const shown = await page(link);
    expect(shown.status).toBe(200);
    expect(shown.text).toContain('name="decision"');

    expect((await api.call('DELETE', `/v1/keys/${danKey.id}`, { key })).status).toBeLessThan(300);
    const after = await page(link);
    expect(after.status).toBe(403);
    expect(after.text).toContain('You can no longer approve posts of this account');
    expect(after.text).not.toContain('name="decision"');
    const posted = await page(link, { decision: 'approve', formToken: formTokenOf(shown.text) });
    expect(posted.status).toBe(403);
    expect((await api.call('GET', `/v1/posts/${id}`, { key })).body).toMatchObject({
      status: 'pending_approval',
      approvals: [],
    });
  });
});

describe('POST /v1/posts/{id}/review-links', () => {
  it('returns the review link for a named approver (editor or owner), refuses the author and other voices', async () => {
    const { id } = await newPendingPost('Via your own tool');
    const r = await api.call('POST', `/v1/posts/${id}/review-links`, { key, body: { voiceId: claire } });
    expect(r.status).toBe(200);
    expect(r.body.url).toMatch(/^http:\/\/drumbeat\.test\/a\/r\./);
    expect(r.body.expiresAt).toBe('2026-11-25T08:30:00.000Z');
    expect(r.body.url).not.toContain('dbk.');
    expect((await page(r.body.url)).text).toContain('Via your own tool');
    const self = await api.call('POST', `/v1/posts/${id}/review-links`, { key, body: { voiceId: anna } });
    expect(self.status).toBe(409);
    expect(self.headers.get('content-type')).toContain('application/problem+json');
    const viewer = (await api.call('POST', '/v1/keys', { key, body: { name: 'v', role: 'viewer' } })).body.key;
    expect(
      (await api.call('POST', `/v1/posts/${id}/review-links`, { key: viewer, body: { voiceId: claire } })).status,
    ).toBe(403);
    expect((await api.call('POST', `/v1/posts/${id}/review-links`, { key, body: {} })).status).toBe(400);
  });
});

describe('manual channel link', () => {
  it('the reminder links to a page with the exact text; Mark as published with a URL records it in the ledger', async () => {
    const { id, link } = await newPendingPost('Post me by hand');
    const shown = await page(link);
    await page(link, { decision: 'approve', formToken: formTokenOf(shown.text) });
    const before = (await outbox(api.outboxDir)).length;
    api.clock.set('2026-11-25T08:30:00Z');
    await api.services.publisher.run({ workspaceId: ws, postId: id });
    const reminder = (await outbox(api.outboxDir)).slice(before).find((m) => m.text?.includes('Post me by hand'))!;
    expect(reminder.text).not.toContain('POST http');
    const manual = linkIn(reminder.text);
    expect(manual).toContain('/a/m.');
    const p = await page(manual);
    expect(p.status).toBe(200);
    expect(p.text).toContain('Post me by hand');
    expect(p.text).toContain('Mark as published');
    const bad = await page(manual, { url: 'javascript:alert(1)', formToken: formTokenOf(p.text) });
    expect(bad.status).toBe(422);
    expect(
      (await page(manual, { url: 'https://mastodon.example/@acme/1', formToken: formTokenOf(p.text) })).status,
    ).toBe(303);
    const post = (await api.call('GET', `/v1/posts/${id}`, { key })).body;
    expect(post).toMatchObject({
      status: 'published',
      externalUrl: 'https://mastodon.example/@acme/1',
      recordedBy: { voiceId: anna },
    });
    const ledger = (await api.call('GET', `/v1/accounts/${accountId}/attribution`, { key })).body.items;
    expect(ledger.find((e: { postId: string }) => e.postId === id)).toMatchObject({
      approvedBy: [claire],
      externalUrl: 'https://mastodon.example/@acme/1',
    });
    expect((await page(manual)).text).toContain('Already recorded as published');
    expect(
      (await page(manual, { url: 'https://mastodon.example/@acme/2', formToken: formTokenOf(p.text) })).text,
    ).toContain('Already recorded as published');
    api.clock.set('2026-11-23T10:00:00Z');
  });
});

describe('alert acknowledge link', () => {
  it('records the link’s recipient as who acknowledged, once', async () => {
    const quiet = await create(
      '/v1/accounts',
      acmeAccount({
        name: 'Quiet',
        handle: '@quiet',
        cadence: { slots: [], maxGap: 'PT30S' },
        alerts: { emails: ['ops@acme.example', 'brand@acme.example'] },
      }),
    );
    const before = (await outbox(api.outboxDir)).length;
    api.clock.advance(31_000);
    await api.services.watchdog.run({ kind: 'watchdog', workspaceId: ws, accountId: quiet });
    api.clock.advance(3_000);
    await api.services.watchdog.run({ kind: 'watchdog', workspaceId: ws, accountId: quiet });
    const mails = (await outbox(api.outboxDir)).slice(before);
    expect(mails.map(recipients).sort()).toEqual([['brand@acme.example'], ['ops@acme.example']]);
    const url = linkIn(mails.find((m) => recipients(m)[0] === 'ops@acme.example')!.text);
    expect(mails[0]!.text).toContain(`/app/accounts/${quiet}/calendar`);
    const target = (await api.call('GET', `/v1/alerts?status=open&accountId=${quiet}`, { key })).body.items[0];
    const p = await page(url);
    expect(p.status).toBe(200);
    expect(p.text).toContain('Acknowledge');
    expect(p.text).not.toContain('ops@acme.example');
    expect(p.text).toContain(`/app/accounts/${quiet}/calendar`);
    expect((await page(url, { formToken: formTokenOf(p.text) })).status).toBe(303);
    const acked = (await api.call('GET', `/v1/alerts?status=open`, { key })).body.items.find(
      (a: { id: string }) => a.id === target.id,
    );
    expect(acked.ackedBy).toMatchObject({ recipient: 'ops@acme.example' });
    expect(acked.ackedBy.keyId).toMatch(/^lnk_/);
    expect((await page(url)).text).toContain('was acknowledged');
  });
});

describe('alert acknowledge link in chat', () => {
  it('an account alerted only in Slack gets the alert there with its own Acknowledge button, which records the channel (never its URL)', async () => {
    const got: any[] = [];
    const receiver = createServer((req, res) => {
      let raw = '';
      req.on('data', (c) => (raw += c));
      req.on('end', () => {
        // a slow receiver: the chat round is still running when the watchdog run returns
        setTimeout(() => {
          got.push(JSON.parse(raw));
          res.writeHead(200).end('ok');
        }, 300);
      });
    });
    await new Promise<void>((r) => receiver.listen(0, '127.0.0.1', r));
    const port = (receiver.address() as AddressInfo).port;
    try {
      const slack = `http://127.0.0.1:${port}/services/T000/B000/secretpart`;
      const chatty = await create(
        '/v1/accounts',
        acmeAccount({
          name: 'Chatty',
          handle: '@chatty',
          cadence: { slots: [], maxGap: 'PT30S' },
          alerts: { chat: [{ type: 'slack', url: slack }] },
        }),
      );
      const before = (await outbox(api.outboxDir)).length;
      api.clock.advance(31_000);
      await api.services.watchdog.run({ kind: 'watchdog', workspaceId: ws, accountId: chatty });
      api.clock.advance(3_000);
      await api.services.watchdog.run({ kind: 'watchdog', workspaceId: ws, accountId: chatty });
      // What the watchdog Lambda waits for before returning (a frozen container would hold the post): settled as soon as the post is answered.
      const t0 = Date.now();
      await api.services.watchdog.chatSettled(10_000);
      expect(Date.now() - t0).toBeLessThan(5_000);
      expect(got).toHaveLength(1);
      expect((await outbox(api.outboxDir)).length).toBe(before); // no address: nothing mailed
      const buttons = got[0].blocks.filter((b: any) => b.type === 'actions').flatMap((b: any) => b.elements);
      expect(buttons.map((b: any) => b.text.text)).toEqual(['Open the calendar of @chatty', 'Acknowledge']);
      const ack = buttons[1].url as string;
      expect(ack).toMatch(/\/a\//);
      const target = (await api.call('GET', `/v1/alerts?status=open&accountId=${chatty}`, { key })).body.items[0];
      const p = await page(ack);
      expect(p.status).toBe(200);
      expect(p.text).not.toContain('secretpart');
      expect((await page(ack, { formToken: formTokenOf(p.text) })).status).toBe(303);
      const acked = (await api.call('GET', `/v1/alerts?status=open`, { key })).body.items.find(
        (a: { id: string }) => a.id === target.id,
      );
      expect(acked.ackedBy).toEqual({
        keyId: expect.stringMatching(/^lnk_/),
        recipient: `slack channel (127.0.0.1:${port})`,
      });
      // later rounds post nothing more: once per alert, in chat as in email
      api.clock.advance(60_000);
      await api.services.watchdog.run({ kind: 'watchdog', workspaceId: ws, accountId: chatty });
      await new Promise((r) => setTimeout(r, 200));
      expect(got).toHaveLength(1);
    } finally {
      await new Promise<void>((r) => receiver.close(() => r()));
    }
  });
});

describe('the overview, signed in with a personal approver key', () => {
  it('lists the posts waiting for that person, each with its review page; an editor without a person sees none', async () => {
    const { id } = await newPendingPost('Waiting on the overview');
    const personal = (
      await api.call('POST', '/v1/keys', { key, body: { name: 'Claire', role: 'approver', voiceId: claire } })
    ).body.key;
    const signIn = async (k: string) => {
      const r = await api.app.request(`${ORIGIN}/app/sign-in`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/x-www-form-urlencoded', Origin: ORIGIN },
        body: new URLSearchParams({ key: k, next: '/app' }).toString(),
      });
      return r.headers.get('set-cookie')!.split(';')[0]!;
    };
    const overview = async (cookie: string) =>
      (await api.app.request(`${ORIGIN}/app`, { headers: { Cookie: cookie } })).text();
    const mine = await overview(await signIn(personal));
    expect(mine).toContain('Waiting for you');
    expect(mine).toContain('Waiting on the overview');
    const link = [...mine.matchAll(/href="(\/a\/r\.[^"]+)"/g)].map((m) => m[1]!).find((l) => l.includes(`.${id}.`))!;
    expect(link).toBeDefined();
    expect((await page(`${ORIGIN}${link}`)).text).toContain('Waiting on the overview');
    expect(await overview(await signIn(key))).not.toContain('Waiting for you');
  });
});
