import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { postRev } from '@drumbeat/services';
import type { TestApi } from '../support/api.js';
import { acmeAccount } from '../support/bodies.js';
import { outbox, recipients } from './outbox.js';
import { foreignPost, startTeam, type Team } from './team.js';

// The forms on the signed-in calendar page, in-process (app.request); the browser test drives them in Chromium.
let api: TestApi;
let key: string; // owner, nobody's
let ws: string;
let anna: string; // author, personal editor key
let claire: string; // approver, personal approver key
let annaKey: string;
let claireKey: { id: string; key: string };
let viewerKey: string;
let account: string;
const ORIGIN = 'http://localhost';
const AT = '2026-11-25T08:30:00Z'; // Wed 25 Nov, 09:30 in Paris

beforeAll(async () => {
  let create: Team['create'];
  ({ api, key, ws, anna, claire, create } = await startTeam());
  annaKey = (await api.call('POST', '/v1/keys', { key, body: { name: 'Anna', role: 'editor', voiceId: anna } })).body
    .key;
  claireKey = (await api.call('POST', '/v1/keys', { key, body: { name: 'Claire', role: 'approver', voiceId: claire } }))
    .body;
  viewerKey = (await api.call('POST', '/v1/keys', { key, body: { name: 'Viewer', role: 'viewer' } })).body.key;
  // No approvers list: whoever holds a personal approver or owner key may approve.
  account = await create('/v1/accounts', acmeAccount({ approval: { required: true } }));
});
afterAll(() => api.close());

async function signIn(k: string): Promise<string> {
  const r = await api.app.request(`${ORIGIN}/app/sign-in`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded', Origin: ORIGIN },
    body: new URLSearchParams({ key: k, next: '/app' }).toString(),
  });
  return r.headers.get('set-cookie')!.split(';')[0]!;
}
const calendarPath = () => `/app/accounts/${account}/calendar?view=week&date=2026-11-25`;
async function calendar(cookie: string): Promise<string> {
  const r = await api.app.request(`${ORIGIN}${calendarPath()}`, { headers: { Cookie: cookie } });
  expect(r.status).toBe(200);
  return r.text();
}
/** The fields of the form a card shows for `verb` on post `id` (hidden ones with their values), or undefined when the card has none. */
function formOf(html: string, id: string, verb: string): Record<string, string> | undefined {
  const m = new RegExp(`<form method="post" action="/app/posts/${id}/${verb}"[^>]*>([\\s\\S]*?)</form>`).exec(html);
  if (!m) return undefined;
  return Object.fromEntries(
    [...m[1]!.matchAll(/<input type="hidden" name="([^"]+)" value="([^"]*)"/g)].map((x) => [
      x[1]!,
      x[2]!.replace(/&amp;/g, '&'),
    ]),
  );
}
async function post(cookie: string, id: string, verb: string, fields: Record<string, string>, origin = ORIGIN) {
  const r = await api.app.request(`${ORIGIN}/app/posts/${id}/${verb}`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded', Origin: origin, Cookie: cookie },
    body: new URLSearchParams(fields).toString(),
  });
  return { status: r.status, location: r.headers.get('location'), text: await r.text() };
}
const newPost = async (voiceId: string, text: string, k = key) =>
  (await api.call('POST', `/v1/accounts/${account}/posts`, { key: k, body: { voiceId, text, at: AT } })).body;
const read = async (id: string) => (await api.call('GET', `/v1/posts/${id}`, { key })).body;

describe('Approve / Request changes on the calendar page', () => {
  it('an approver sees them on a post they may approve, never on their own; Approve records their voice, entered by their key', async () => {
    const theirs = await newPost(anna, 'Written by Anna');
    const own = await newPost(claire, 'Written by Claire herself');
    const cookie = await signIn(claireKey.key);
    const html = await calendar(cookie);
    expect(formOf(html, theirs.id, 'decide')).toBeDefined();
    expect(formOf(html, own.id, 'decide')).toBeUndefined();
    expect(formOf(html, theirs.id, 'reschedule')).toBeUndefined(); // an approver moves nothing

    const done = await post(cookie, theirs.id, 'decide', {
      ...formOf(html, theirs.id, 'decide')!,
      decision: 'approve',
    });
    expect(done.status).toBe(303);
    expect(done.location).toBe(`${calendarPath()}&done=approved`);
    const after = await read(theirs.id);
    expect(after.status).toBe('scheduled');
    expect(after.approvals).toEqual([
      expect.objectContaining({ voiceId: claire, enteredBy: claireKey.id, onBehalf: false }),
    ]);
    const shown = await api.app.request(`${ORIGIN}${done.location}`, { headers: { Cookie: cookie } });
    expect(await shown.text()).toContain('Approved: the post is scheduled');

    // Even a form made up for her own post approves nothing: the author may never approve their own post.
    const rev = postRev(await api.store.posts.get(ws, own.id));
    const forged = await post(cookie, own.id, 'decide', {
      ...formOf(html, theirs.id, 'decide')!,
      rev,
      decision: 'approve',
    });
    expect(forged.status).toBe(409);
    expect(forged.text).toContain('cannot approve it');
    expect((await read(own.id)).approvals).toEqual([]);
  });

  it('Request changes needs a note (422 on the page), then records it and emails the author', async () => {
    const p = await newPost(anna, 'Needs a price');
    const cookie = await signIn(claireKey.key);
    const fields = formOf(await calendar(cookie), p.id, 'decide')!;
    const empty = await post(cookie, p.id, 'decide', { ...fields, decision: 'changes', note: ' ' });
    expect(empty.status).toBe(422);
    expect(empty.text).toContain('Say what should change');
    const before = (await outbox(api.outboxDir)).length;
    const r = await post(cookie, p.id, 'decide', { ...fields, decision: 'changes', note: 'Please say it costs 4 €.' });
    expect(r.status).toBe(303);
    expect((await read(p.id)).rejections).toEqual([
      expect.objectContaining({ voiceId: claire, note: 'Please say it costs 4 €.', enteredBy: claireKey.id }),
    ]);
    const mails = (await outbox(api.outboxDir))
      .slice(before)
      .filter((m) => recipients(m).includes('anna@northwind.example'));
    expect(mails.map((m) => m.subject)).toEqual([expect.stringContaining('Changes requested')]);
  });

  it('a post edited since the page was drawn is a 409 on the page, and nothing is approved', async () => {
    const p = await newPost(anna, 'First words');
    const cookie = await signIn(claireKey.key);
    const fields = formOf(await calendar(cookie), p.id, 'decide')!;
    await api.call('PATCH', `/v1/posts/${p.id}`, { key, body: { text: 'Words Claire never saw' } });
    const r = await post(cookie, p.id, 'decide', { ...fields, decision: 'approve' });
    expect(r.status).toBe(409);
    expect(r.text).toContain('changed since the version you reviewed');
    expect(r.text).toContain('Words Claire never saw'); // the page as it now stands
    expect(await read(p.id)).toMatchObject({ status: 'pending_approval', approvals: [] });
  });
});

describe('Reschedule / Cancel on the calendar page', () => {
  it('an editor moves a scheduled post to a local time of the account’s zone (stored in UTC), and cancels it', async () => {
    const p = await newPost(anna, 'To move', key);
    const cookie = await signIn(claireKey.key);
    await post(cookie, p.id, 'decide', { ...formOf(await calendar(cookie), p.id, 'decide')!, decision: 'approve' });
    const editor = await signIn(annaKey);
    const html = await calendar(editor);
    expect(formOf(html, p.id, 'decide')).toBeUndefined();
    const fields = formOf(html, p.id, 'reschedule')!;
    expect(html).toMatch(/name="at" value="2026-11-25T09:30"/);
    const moved = await post(editor, p.id, 'reschedule', { ...fields, at: '2026-11-26T10:15' });
    expect(moved.status).toBe(303);
    expect(await read(p.id)).toMatchObject({ status: 'scheduled', scheduledAt: '2026-11-26T09:15:00.000Z' });

    // The old form (drawn before the move) is a 409; bad and past times are 422; none is a 5xx.
    expect((await post(editor, p.id, 'reschedule', { ...fields, at: '2026-11-27T10:00' })).status).toBe(409);
    const fresh = formOf(await calendar(editor), p.id, 'reschedule')!;
    const bad = await post(editor, p.id, 'reschedule', { ...fresh, at: 'next tuesday' });
    expect(bad.status).toBe(422);
    expect(bad.text).toContain('Enter the new date and time (in Europe/Paris)');
    const past = await post(editor, p.id, 'reschedule', { ...fresh, at: '2026-11-20T10:00' });
    expect(past.status).toBe(422);
    expect(past.text).toContain('has already passed');
    const gone = await post(editor, p.id, 'reschedule', { ...fresh, at: '2026-02-30T10:00' });
    expect(gone.status).toBe(422);

    const cancel = formOf(await calendar(editor), p.id, 'cancel')!;
    expect((await post(editor, p.id, 'cancel', cancel)).status).toBe(303);
    expect((await read(p.id)).status).toBe('canceled');
    expect((await post(editor, p.id, 'cancel', cancel)).status).toBe(409);
  });
});

describe('who may use the forms', () => {
  it('a viewer sees none and is refused (403 page); a bad form token or another origin is refused; another workspace’s post is 404', async () => {
    const p = await newPost(anna, 'Guarded');
    const viewer = await signIn(viewerKey);
    const html = await calendar(viewer);
    expect(html).not.toContain('/decide"');
    expect(html).not.toContain('/reschedule"');
    const viewerToken = /name="formToken" value="([^"]+)"/.exec(html)?.[1] ?? 'none';
    const refused = await post(viewer, p.id, 'decide', {
      formToken: viewerToken,
      next: calendarPath(),
      decision: 'approve',
    });
    expect(refused.status).toBe(403);

    const cookie = await signIn(claireKey.key);
    const fields = formOf(await calendar(cookie), p.id, 'decide')!;
    expect(
      (await post(cookie, p.id, 'decide', { ...fields, formToken: 'A'.repeat(43), decision: 'approve' })).status,
    ).toBe(403);
    expect(
      (await post(cookie, p.id, 'decide', { ...fields, decision: 'approve' }, 'https://evil.example')).status,
    ).toBe(403);
    // The token is this session's: sent with another session's cookie (Anna's), it does not hold.
    expect((await post(await signIn(annaKey), p.id, 'decide', { ...fields, decision: 'approve' })).status).toBe(403);
    expect((await read(p.id)).approvals).toEqual([]);

    const foreign = await foreignPost(api, 'Elsewhere', { approval: { required: true } });
    const r = await post(cookie, foreign, 'decide', { ...fields, decision: 'approve' });
    expect(r.status).toBe(404);
    expect(r.text).not.toContain('secret plans');
  });
});
