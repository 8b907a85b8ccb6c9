import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { accountBody, startTestApi, type TestApi } from '../support/api.js';

// The inbox and report pages, in-process (app.request) over the real embedded
// store: signed in with a key as the calendar pages are, no script anywhere.
const ORIGIN = 'http://localhost';
const EVIL = '<script>alert(1)</script> & "hiring?"';
let api: TestApi;
let key: string;
let accountId: string;
let cookie: string;
let hr: string;

const item = (externalId: string, receivedAt: string, text: string) => ({
  externalId,
  url: `https://mastodon.example/@jo/${externalId}`,
  kind: 'mention',
  author: { handle: '@jo@mastodon.example', displayName: 'Jo <b>bold</b>' },
  text,
  receivedAt,
});
const page = async (path: string, c = cookie) => {
  const r = await api.app.request(`${ORIGIN}${path}`, { headers: { Cookie: c } });
  return { status: r.status, html: await r.text() };
};

beforeAll(async () => {
  api = await startTestApi({ now: '2026-12-10T11:00:00Z' }); // Thursday 12:00 in Paris
  key = (await api.workspace()).key;
  hr = (
    await api.call('POST', '/v1/voices', {
      key,
      body: { name: 'Hélène RH', email: 'hr@acme.example', affiliation: 'in_house' },
    })
  ).body.id;
  accountId = (await api.call('POST', '/v1/accounts', { key, body: accountBody() })).body.id;
  const ingest = (body: unknown) => api.call('POST', `/v1/accounts/${accountId}/conversations`, { key, body });
  // Received first, before the account had an SLA: no deadline, never overdue.
  await ingest(item('early', '2026-12-01T09:00:00Z', 'an early question without deadline'));
  const patched = await api.call('PATCH', `/v1/accounts/${accountId}`, {
    key,
    body: { responses: { sla: 'PT2H', hours: [{ days: ['MO', 'TU', 'WE', 'TH', 'FR'], from: '09:00', to: '17:00' }] } },
  });
  expect(patched.status).toBe(200);
  // Wednesday 09:00 Paris: due Wednesday 11:00, overdue now.
  const late = (await ingest(item('late', '2026-12-09T08:00:00Z', EVIL))).body.items[0].id;
  await api.call('POST', `/v1/conversations/${late}/assign`, { key, body: { voiceId: hr } });
  // Thursday 11:30 Paris: due 13:30, not yet.
  await ingest(item('fresh', '2026-12-10T10:30:00Z', 'a fresh question'));
  const gone = (await ingest(item('spam', '2026-12-10T10:00:00Z', 'buy followers'))).body.items[0].id;
  await api.call('POST', `/v1/conversations/${gone}/dismiss`, { key, body: { reason: 'spam' } });
  const signIn = await api.app.request(`${ORIGIN}/app/sign-in`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded', Origin: ORIGIN },
    body: new URLSearchParams({ key, next: '/app' }).toString(),
  });
  cookie = signIn.headers.get('set-cookie')!.split(';')[0]!;
});
afterAll(async () => {
  await api.close();
});

describe('the inbox page', () => {
  it('lists the open items overdue first, escaped, with received and due times in the account zone and the assignee', async () => {
    const { status, html } = await page(`/app/accounts/${accountId}/inbox`);
    expect(status).toBe(200);
    expect(html).not.toMatch(/<script/i);
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt; &amp; &quot;hiring?&quot;');
    expect(html).toContain('Jo &lt;b&gt;bold&lt;/b&gt;');
    const order = [
      ...html.matchAll(/<li class="card conv[^"]*" data-conversation="[^"]+">[\s\S]*?<p class="text">([^<]*)</g),
    ].map((m) => m[1]);
    expect(order).toEqual([
      '&lt;script&gt;alert(1)&lt;/script&gt; &amp; &quot;hiring?&quot;',
      'a fresh question',
      'an early question without deadline',
    ]);
    expect(html).not.toContain('buy followers');
    expect(html).toContain('3 open items, 1 overdue');
    // Paris times: received Wed 9 Dec 09:00, due 11:00; assigned to HR.
    expect(html).toContain('Wed 9 Dec 09:00');
    expect(html).toContain('Wed 9 Dec 11:00');
    expect(html).toContain('Thu 10 Dec 13:30');
    expect(html).toContain('Hélène RH');
    expect(html).toContain('Overdue');
  });

  it('is linked from the calendar page, and asks to sign in without a session', async () => {
    const cal = await page(`/app/accounts/${accountId}/calendar`);
    expect(cal.html).toContain(`href="/app/accounts/${accountId}/inbox"`);
    const anonymous = await api.app.request(`${ORIGIN}/app/accounts/${accountId}/inbox`);
    expect(anonymous.status).toBe(303);
  });
});

describe('the report page', () => {
  it('shows the figures and one SVG bar per week, no script', async () => {
    const { status, html } = await page(
      `/app/accounts/${accountId}/inbox/report?from=2026-11-29T23:00:00Z&to=2026-12-13T23:00:00Z`,
    );
    expect(status).toBe(200);
    expect(html).not.toMatch(/<script/i);
    expect(html).toContain('<svg');
    expect([...html.matchAll(/<rect class="wk" data-week="([^"]+)"/g)].map((m) => m[1])).toEqual([
      '2026-W49',
      '2026-W50',
    ]);
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(html).toMatch(/<dt>Unanswered<\/dt><dd>3<\/dd>/);
  });

  it('has as many bars as the API report has weeks over the default 90 days, and a bad range is a 400 page', async () => {
    const api90 = await api.call('GET', `/v1/accounts/${accountId}/conversations/report`, { key });
    const { html } = await page(`/app/accounts/${accountId}/inbox/report`);
    expect(html.match(/<rect class="wk"/g)).toHaveLength(api90.body.weeks.length);
    expect(api90.body.weeks.length).toBe(14);
    const bad = await page(`/app/accounts/${accountId}/inbox/report?from=2026-12-12T00:00:00Z&to=2026-12-01T00:00:00Z`);
    expect(bad.status).toBe(400);
  });
});
