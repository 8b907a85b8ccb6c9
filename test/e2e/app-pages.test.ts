import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { accountBody, startWithVoice, type TestApi } from '../support/api.js';

// In-process checks of the /app pages (the browser test drives the same pages in Chromium).
let api: TestApi;
let key: string;
let voiceId: string;
let accountId: string;
let scriptPostId: string;
const ORIGIN = 'http://localhost';

beforeAll(async () => {
  // Monday, 11:00 in Paris
  ({ api, key, voiceId } = await startWithVoice({
    name: 'Anna Bell',
    affiliation: 'agency',
    organization: 'Northwind',
  }));
  accountId = (await api.call('POST', '/v1/accounts', { key, body: accountBody({ name: 'Acme Paris' }) })).body.id; // MO, WE, FR 09:30 Paris
  await api.call('POST', `/v1/accounts/${accountId}/posts`, {
    key,
    body: { voiceId, text: 'Autumn blend is back', slot: 'next' },
  }); // Wed 25
  scriptPostId = (
    await api.call('POST', `/v1/accounts/${accountId}/posts`, {
      key,
      body: { voiceId, text: '<script>window.__pwned = 1</script> & "quotes"', at: '2026-11-26T15:00:00Z' },
    })
  ).body.id;
});
afterAll(() => api.close());

/** An account the owner makes from accountBody with `overrides`: its id. */
const account = async (overrides: Record<string, unknown>) =>
  (await api.call('POST', '/v1/accounts', { key, body: accountBody(overrides) })).body.id as string;

/** A request to the pages: a browser-like form post (same origin) or a GET, with an optional cookie. */
async function page(
  path: string,
  opts: { cookie?: string; form?: Record<string, string>; origin?: string; https?: boolean } = {},
) {
  const headers: Record<string, string> = {};
  if (opts.cookie) headers.Cookie = opts.cookie;
  let body: string | undefined;
  if (opts.form) {
    body = new URLSearchParams(opts.form).toString();
    headers['Content-Type'] = 'application/x-www-form-urlencoded';
    headers.Origin = opts.origin ?? (opts.https ? 'https://localhost' : ORIGIN);
  }
  const res = await api.app.request(`${opts.https ? 'https://localhost' : ORIGIN}${path}`, {
    method: opts.form ? 'POST' : 'GET',
    headers,
    ...(body ? { body } : {}),
  });
  return { status: res.status, headers: res.headers, text: await res.text() };
}

/** The cookie pair (name=value) a response sets. */
const cookieOf = (headers: Headers) => headers.get('set-cookie')!.split(';')[0]!;

async function signIn(k = key): Promise<string> {
  const r = await page('/app/sign-in', { form: { key: k, next: '/app' } });
  expect(r.status).toBe(303);
  return cookieOf(r.headers);
}

describe('signing in', () => {
  it('sends a person without a session to the sign-in form, remembering where they were going', async () => {
    const r = await page(`/app/accounts/${accountId}/calendar?view=month`);
    expect(r.status).toBe(303);
    expect(r.headers.get('location')).toBe(
      `/app/sign-in?next=${encodeURIComponent(`/app/accounts/${accountId}/calendar?view=month`)}`,
    );
    const form = await page('/app/sign-in?next=%2Fapp%2Faccounts');
    expect(form.status).toBe(200);
    expect(form.text).toContain('<label for="key">API key</label>');
    expect(form.text).toContain('value="/app/accounts"');
  });

  it('keeps a valid key in an http-only, SameSite=Lax cookie scoped to /app and redirects to the page asked for', async () => {
    const r = await page('/app/sign-in', { form: { key, next: `/app/accounts/${accountId}/calendar` } });
    expect(r.status).toBe(303);
    expect(r.headers.get('location')).toBe(`/app/accounts/${accountId}/calendar`);
    const cookie = r.headers.get('set-cookie')!;
    expect(cookie).toMatch(/^drumbeat_session=dbk\./);
    expect(cookie).toMatch(/HttpOnly/);
    expect(cookie).toMatch(/SameSite=Lax/);
    expect(cookie).toMatch(/Path=\/app/);
    expect(cookie).not.toMatch(/Secure/);
    const https = await page('/app/sign-in', { form: { key, next: '/app' }, https: true });
    expect(https.headers.get('set-cookie')).toMatch(/Secure/);
  });

  it('refuses a wrong key with the form again (401), an empty one with a 400, and never redirects off the site', async () => {
    const wrong = await page('/app/sign-in', { form: { key: 'dbk.ws_nope.key_nope.secret', next: '/app' } });
    expect(wrong.status).toBe(401);
    expect(wrong.headers.get('set-cookie')).toBeNull();
    expect(wrong.text).toContain('role="alert"');
    expect(wrong.text).toContain('That key is not valid');
    expect((await page('/app/sign-in', { form: { key: ' ', next: '/app' } })).status).toBe(400);
    for (const next of ['https://evil.example/', '//evil.example', '/docs', '/app\\evil']) {
      const r = await page('/app/sign-in', { form: { key, next } });
      expect(r.headers.get('location')).toBe('/app');
    }
  });

  it('refuses a form posted from another site (403, an HTML page)', async () => {
    const r = await page('/app/sign-in', { form: { key, next: '/app' }, origin: 'https://evil.example' });
    expect(r.status).toBe(403);
    expect(r.headers.get('content-type')).toContain('text/html');
    expect(r.headers.get('set-cookie')).toBeNull();
  });

  it('signs out: the cookie is cleared', async () => {
    const cookie = await signIn();
    const r = await page('/app/sign-out', { cookie, form: {} });
    expect(r.status).toBe(303);
    expect(r.headers.get('location')).toBe('/app/sign-in');
    expect(r.headers.get('set-cookie')).toMatch(/^drumbeat_session=;.*Max-Age=0/);
  });

  it('stops accepting a cookie whose key was revoked', async () => {
    const viewer = (await api.call('POST', '/v1/keys', { key, body: { name: 'looker', role: 'viewer' } })).body;
    const cookie = await signIn(viewer.key);
    expect((await page('/app', { cookie })).status).toBe(200);
    await api.call('DELETE', `/v1/keys/${viewer.id}`, { key });
    const r = await page('/app', { cookie });
    expect(r.status).toBe(303);
    expect(r.headers.get('location')).toBe('/app/sign-in?next=%2Fapp');
  });
});

describe('signed links from the API', () => {
  it('opens the page a short-lived link names, signed in as the key that asked for it', async () => {
    const path = `/app/accounts/${accountId}/calendar?view=month`;
    const link = await api.call('POST', '/v1/app-links', { key, body: { path } });
    expect(link.status).toBe(200);
    expect(Date.parse(link.body.expiresAt) - api.clock.now().getTime()).toBe(600_000);
    const url = new URL(link.body.url);
    const opened = await page(url.pathname + url.search);
    expect(opened.status).toBe(303);
    expect(opened.headers.get('location')).toBe(path);
    const cookie = cookieOf(opened.headers);
    expect(cookie).toMatch(/^drumbeat_session=dbs\./);
    expect((await page(path, { cookie })).status).toBe(200);
  });

  it('refuses an expired, tampered or foreign-purpose token with a 401 page', async () => {
    const link = new URL((await api.call('POST', '/v1/app-links', { key })).body.url);
    const token = link.searchParams.get('token')!;
    const tampered = token.slice(0, -2) + (token.endsWith('AA') ? 'BB' : 'AA');
    expect((await page(`/app/link?token=${encodeURIComponent(tampered)}`)).status).toBe(401);
    expect((await page(`/app/link?token=${encodeURIComponent(token.replace(/^dbl\./, 'dbs.'))}`)).status).toBe(401);
    api.clock.advance(11 * 60_000);
    try {
      const r = await page(link.pathname + link.search);
      expect(r.status).toBe(401);
      expect(r.text).toContain('This link has expired or is not valid');
    } finally {
      api.clock.advance(-11 * 60_000);
    }
  });

  it('refuses a link body naming a page outside /app (problem+json)', async () => {
    const r = await api.call('POST', '/v1/app-links', { key, body: { path: 'https://evil.example/' } });
    expect(r.status).toBe(400);
    expect(r.body.errors[0].path).toBe('path');
  });
});

describe('the calendar page', () => {
  let cookie: string;
  beforeAll(async () => {
    cookie = await signIn();
  });

  it('shows the week in the account’s local time: filled slots as cards, empty ones as gaps, today marked', async () => {
    const r = await page(`/app/accounts/${accountId}/calendar`, { cookie });
    expect(r.status).toBe(200);
    expect(r.headers.get('content-security-policy')).toContain("default-src 'none'");
    expect(r.headers.get('cache-control')).toBe('no-store');
    expect(r.text).toContain('Week of 23–29 November 2026');
    expect(r.text).toContain(
      'Times are in Europe/Paris, the account&#39;s time zone, where it is Monday 23 November 2026.',
    );
    // 09:30 Paris is 08:30 UTC: the page speaks local time, the datetime attribute the instant
    expect(r.text).toMatch(/<time class="t" datetime="2026-11-25T08:30:00.000Z">09:30<\/time>/);
    expect(r.text).toMatch(/<li class="gap past" data-slot="2026-11-23T08:30:00.000Z">.*Empty slot \(passed\)/);
    expect(r.text).toMatch(/<li class="gap" data-slot="2026-11-27T08:30:00.000Z">.*Empty slot</);
    expect(r.text).toContain('3 slots: 1 filled, 2 empty · 2 posts');
    expect(r.text).toMatch(/<li class="day today" aria-current="date" data-date="2026-11-23">/);
    expect(r.text).toContain('Anna Bell <span class="tag aff">Agency</span> · Northwind');
    expect(r.text).toContain('No approval required');
    expect(r.text).toContain(`href="/app/accounts/${accountId}/calendar?view=week&amp;date=2026-11-16" rel="prev"`);
    expect(r.text).toContain(`href="/app/accounts/${accountId}/calendar?view=week&amp;date=2026-11-30" rel="next"`);
  });

  it('renders a post text holding markup as text', async () => {
    const r = await page(`/app/accounts/${accountId}/calendar?date=2026-11-26`, { cookie });
    expect(r.text).toContain(`data-post-id="${scriptPostId}"`);
    expect(r.text).toContain('&lt;script&gt;window.__pwned = 1&lt;/script&gt; &amp; &quot;quotes&quot;');
    expect(r.text).not.toContain('<script>');
    expect(r.text).toMatch(
      /16:00<\/time><span class="tag b-scheduled">Scheduled<\/span><span class="tag aff"> Off-slot/,
    );
  });

  it('shows each text counted as its network counts it, against the limit, the signature included', async () => {
    const bsky = await account({
      name: 'Acme Sky',
      handle: '@acme.sky',
      network: 'bluesky',
      disclosure: { signature: 'initials' },
    });
    const text = '🇫🇷🇩🇪 👩‍👩‍👧‍👦 café'; // 9 graphemes (14 code points); signed " ^AB" makes 13
    expect(
      (
        await api.call('POST', `/v1/accounts/${bsky}/posts`, {
          key,
          body: { voiceId, text, at: '2026-11-25T12:00:00Z' },
        })
      ).status,
    ).toBe(201);
    const sky = await page(`/app/accounts/${bsky}/calendar?date=2026-11-25`, { cookie });
    expect(sky.text).toContain('<p class="count muted" data-count="true">13 / 300 characters with the signature</p>');
    const masto = await page(`/app/accounts/${accountId}/calendar`, { cookie });
    expect(masto.text).toContain('<p class="count muted" data-count="true">20 / 500 characters</p>'); // "Autumn blend is back"
  });

  it('shows a month in whole weeks, the days of other months dimmed', async () => {
    const r = await page(`/app/accounts/${accountId}/calendar?view=month&date=2026-11-10`, { cookie });
    expect(r.status).toBe(200);
    expect(r.text).toContain('<h2 id="range-title">November 2026</h2>');
    const days = [...r.text.matchAll(/data-date="(\d{4}-\d{2}-\d{2})"/g)].map((m) => m[1]);
    expect(days).toHaveLength(42);
    expect([days[0], days.at(-1)]).toEqual(['2026-10-26', '2026-12-06']);
    expect(r.text).toMatch(/<li class="day out" data-date="2026-10-26">/);
    expect(r.text).toContain('date=2026-10-01" rel="prev"');
    expect(r.text).toContain('date=2026-12-01" rel="next"');
  });

  it('shades the days of a cadence lapse', async () => {
    const quiet = await account({
      name: 'Quiet',
      handle: '@quiet',
      cadence: { slots: ['FREQ=DAILY;BYHOUR=9'], maxGap: 'PT48H' },
    });
    const r = await page(`/app/accounts/${quiet}/calendar?date=2026-11-23`, { cookie });
    // the cadence was set at 10:00 UTC on the 23rd; with nothing planned it lapses 48 h later
    expect(r.text).toMatch(/<li class="day lapse" data-date="2026-11-25">/);
    expect(r.text).toMatch(/<li class="day" data-date="2026-11-24">/);
    expect(r.text).toContain('Nothing published or planned from Wed 25 Nov 11:00 to the end of this week and beyond');
  });

  it('keeps local times right across a DST change, whatever the host zone', async () => {
    const ny = await account({
      name: 'NY',
      handle: '@ny',
      timezone: 'America/New_York',
      cadence: { slots: ['FREQ=DAILY;BYHOUR=9;BYMINUTE=30'] },
    });
    // a week in the past is still shown: 26 Oct - 1 Nov 2026, DST ends on 1 Nov
    const r = await page(`/app/accounts/${ny}/calendar?date=2026-10-28`, { cookie });
    expect(r.text).toMatch(/datetime="2026-10-31T13:30:00.000Z">09:30</);
    expect(r.text).toMatch(/datetime="2026-11-01T14:30:00.000Z">09:30</);
    expect([...r.text.matchAll(/data-slot=/g)]).toHaveLength(7);
  });

  it('answers bad input with an HTML error page and the right status, never a 5xx', async () => {
    for (const q of ['?date=2026-02-30', '?date=yesterday', '?view=year', '?date=0001-01-01']) {
      const r = await page(`/app/accounts/${accountId}/calendar${q}`, { cookie });
      expect(r.status, q).toBe(400);
      expect(r.headers.get('content-type')).toContain('text/html');
      expect(r.text).toContain('role="alert"');
    }
    const other = await api.workspace('Other brand');
    const theirs = (await api.call('POST', '/v1/accounts', { key: other.key, body: accountBody() })).body.id;
    for (const id of [theirs, 'acc_doesnotexist', '..%2F..%2Fetc', `${accountId}/calendar/more`]) {
      const r = await page(`/app/accounts/${id}/calendar`, { cookie });
      expect(r.status, id).toBe(404);
      expect(r.headers.get('content-type')).toContain('text/html');
    }
  });
});

describe('the accounts overview', () => {
  it('lists each account with its streak, next empty slot in local time and open alerts', async () => {
    const cookie = await signIn();
    const r = await page('/app', { cookie });
    expect(r.status).toBe(200);
    expect(r.text).toContain(`href="/app/accounts/${accountId}/calendar?view=week">Acme Paris</a>`);
    expect(r.text).toMatch(/<dt>Streak<\/dt><dd>0 slots in a row published<\/dd>/);
    // the next empty slot of Acme Paris is Friday 27 at 09:30 Paris (Wednesday's is filled)
    expect(r.text).toContain('<time datetime="2026-11-27T08:30:00.000Z">Fri 27 Nov 09:30</time>');
    expect(r.text).toMatch(/<dt>Open alerts<\/dt><dd>\d+/);
  });
});

describe('small things a person notices', () => {
  it('opens the week view on the week of the next slot when this week has only passed slots, and names the lookahead in words', async () => {
    const cookie = await signIn();
    // Mondays 09:00 Paris: this Monday's slot passed an hour ago (it is 11:00 in Paris).
    const mondays = await account({
      name: 'Mondays',
      handle: '@mondays',
      cadence: { slots: ['FREQ=WEEKLY;BYDAY=MO;BYHOUR=9'], lookahead: 'P7D' },
    });
    const r = await page(`/app/accounts/${mondays}/calendar`, { cookie });
    expect(r.status).toBe(200);
    expect(r.text).toMatch(/data-date="2026-11-30"/);
    expect(r.text).not.toMatch(/data-date="2026-11-23"/);
    expect(r.text).toContain('showing the week of the next slot, Monday 30 November 2026.');
    // A date asked for is kept; the account with slots left this week opens on this week.
    expect((await page(`/app/accounts/${mondays}/calendar?date=2026-11-23`, { cookie })).text).toMatch(
      /data-date="2026-11-23"/,
    );
    expect((await page(`/app/accounts/${accountId}/calendar`, { cookie })).text).not.toContain('opened-on-next');
    // A post still ahead this week (off any slot) keeps the view on this week.
    const withPost = await account({
      name: 'Mondays+',
      handle: '@mondays2',
      cadence: { slots: ['FREQ=WEEKLY;BYDAY=MO;BYHOUR=9'] },
    });
    expect(
      (
        await api.call('POST', `/v1/accounts/${withPost}/posts`, {
          key,
          body: { voiceId, text: 'Thursday', at: '2026-11-26T10:00:00Z' },
        })
      ).status,
    ).toBe(201);
    const kept = await page(`/app/accounts/${withPost}/calendar`, { cookie });
    expect(kept.text).toMatch(/data-date="2026-11-23"/);
    expect(kept.text).not.toContain('opened-on-next');
    // Its one slot within the lookahead filled, the overview says so in words, not "P7D".
    expect(
      (
        await api.call('POST', `/v1/accounts/${mondays}/posts`, {
          key,
          body: { voiceId, text: 'Monday post', slot: 'next' },
        })
      ).status,
    ).toBe(201);
    const overview = await page('/app', { cookie });
    expect(overview.text).toContain('none within 7 days');
    expect(overview.text).not.toContain('P7D');
  });
});
