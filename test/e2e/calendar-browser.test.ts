import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { existsSync, statSync } from 'node:fs';
import type { Page } from 'playwright-core';
import { localToInstant } from '@drumbeat/core';
import { Drumbeat, type Account, type Post } from '@drumbeat/client';
import { artifact } from './chromium.js';
import { startE2eRuntime, type E2eRuntime } from './runtime.js';

// Real headless Chromium against the real `npm start` process. The process runs in a
// far-off host zone and the browser in another: every time shown must be Tokyo's.
let rt: E2eRuntime;
let db: Drumbeat;
let account: Account;
let first: Post;
let script: Post;
let published: Post;
const SCRIPT_TEXT = '<script>window.__pwned = true</script>Tasting notes <img src=x onerror="window.__pwned = true">';

beforeAll(async () => {
  rt = await startE2eRuntime({ env: { TZ: 'Pacific/Kiritimati' } });
  expect(rt.proc.ownerKey).toMatch(/^dbk\./);
  db = new Drumbeat({ baseUrl: rt.proc.url, apiKey: rt.proc.ownerKey! });
  const anna = await db.voices.create({ name: 'Anna Bell', affiliation: 'agency', organization: 'Northwind Agency' });
  const bo = await db.voices.create({ name: 'Bo Chen', affiliation: 'in_house' });
  account = await db.accounts.create({
    name: 'Acme Tokyo',
    network: 'mastodon',
    handle: '@acme_jp',
    timezone: 'Asia/Tokyo',
    channel: { type: 'manual' },
    cadence: { slots: ['FREQ=DAILY;BYHOUR=9;BYMINUTE=30'], maxGap: 'P2D' },
    disclosure: { signature: 'none', publicPage: true },
  });
  first = await db.posts.create(account.id, { text: 'Autumn blend is back ☕', voiceId: anna.id, slot: 'next' });
  script = await db.posts.create(account.id, { text: SCRIPT_TEXT, voiceId: anna.id, slot: 'next' });
  const manual = await db.posts.create(account.id, {
    text: 'Behind the counter with Bo',
    voiceId: bo.id,
    at: new Date(Date.now() + 2 * 3600_000).toISOString(),
  });
  published = await db.posts.markPublished(manual.id, { url: 'https://mastodon.example/@acme_jp/1' });
}, 60_000);

afterAll(() => rt?.close());

/** The week heading and the day dates a calendar page shows. */
async function shownDays(page: Page): Promise<string[]> {
  return page.locator('ol.days > li').evaluateAll((els) => els.map((e) => e.getAttribute('data-date')!));
}

describe('the calendar in a browser', () => {
  it('signs in, opens the account, shows filled and empty slots in local time, navigates a week, and runs no script from a post', async () => {
    const context = await rt.browser.newContext({
      viewport: { width: 1366, height: 900 },
      timezoneId: 'America/Los_Angeles',
      locale: 'en-US',
    });
    const page = await context.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(String(e)));

    // unauthenticated: sent to sign-in; a wrong key is refused; the right one lands on the overview
    await page.goto(`${rt.proc.url}/app`);
    expect(new URL(page.url()).pathname).toBe('/app/sign-in');
    await page.getByLabel('API key').fill('dbk.ws_00000000000000000000000000.key_00000000000000000000000000.nope');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await expect.poll(() => page.getByRole('alert').textContent()).toContain('That key is not valid');
    await page.getByLabel('API key').fill(rt.proc.ownerKey!);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForURL(`${rt.proc.url}/app`);
    const cookie = (await context.cookies()).find((c) => c.name === 'drumbeat_session')!;
    expect([cookie.httpOnly, cookie.sameSite, cookie.path]).toEqual([true, 'Lax', '/app']);
    const card = page.getByRole('listitem').filter({ has: page.getByRole('heading', { name: 'Acme Tokyo' }) });
    await expect.poll(() => card.textContent()).toMatch(/Next empty slot/);

    // the account's calendar opens on this week, today marked
    await card.getByRole('link', { name: 'Acme Tokyo' }).click();
    await page.waitForURL(/\/calendar\?view=week$/);
    const thisWeek = await shownDays(page);
    expect(thisWeek).toHaveLength(7);
    const today = await page.locator('li.day[aria-current="date"]').getAttribute('data-date');
    expect(thisWeek).toContain(today);
    expect(await page.locator('li.day[aria-current="date"] .tag.today').textContent()).toBe('Today');

    // navigate a week forward and back
    await page.getByRole('link', { name: 'Next week →' }).click();
    await page.waitForURL(/date=\d{4}-\d{2}-\d{2}/);
    const nextWeek = await shownDays(page);
    expect(Date.parse(nextWeek[0]!) - Date.parse(thisWeek[0]!)).toBe(7 * 86_400_000);
    await page.getByRole('link', { name: '← Previous week' }).click();
    await page.waitForURL(/date=/);
    expect(await shownDays(page)).toEqual(thisWeek);

    // the week of the first planned post (this one or the next)
    const week = thisWeek.includes(first.scheduledLocal.slice(0, 10)) ? thisWeek : nextWeek;
    if (week === nextWeek) await page.getByRole('link', { name: 'Next week →' }).click();
    await expect.poll(() => shownDays(page)).toEqual(week);

    // filled slots: cards at 09:30 Tokyo time (00:30 UTC), whatever the host's or the browser's zone
    const firstCard = page.locator(`article[data-post-id="${first.id}"]`);
    expect(await firstCard.locator('time').textContent()).toBe('09:30');
    expect(await firstCard.locator('time').getAttribute('datetime')).toBe(first.scheduledAt);
    expect(first.scheduledAt).toMatch(/T00:30:00\.000Z$/);
    expect(await firstCard.textContent()).toContain('Anna Bell');
    expect(await firstCard.locator('.tag.aff').first().textContent()).toBe('Agency');
    expect(await firstCard.textContent()).toContain('Scheduled');

    // the page shows exactly the API's slots for that local week, filled and empty
    const from = localToInstant(`${week[0]}T00:00`, 'Asia/Tokyo').toISOString();
    const to = localToInstant(`${week[6]}T00:00`, 'Asia/Tokyo');
    const cal = await db.calendar.get(account.id, { from, to: new Date(to.getTime() + 86_400_000).toISOString() });
    expect(await page.locator('ol.days li.gap').count()).toBe(cal.gaps.length);
    expect(cal.gaps.length).toBeGreaterThan(0);
    const filled = cal.slots.filter((s) => s.postId !== null).map((s) => s.postId);
    for (const id of filled) expect(await page.locator(`article[data-post-id="${id}"]`).count()).toBe(1);
    for (const gap of await page.locator('ol.days li.gap time').allTextContents()) expect(gap).toBe('09:30');

    // a post with markup in its text shows the markup as text and runs nothing
    if (week.includes(script.scheduledLocal.slice(0, 10))) {
      expect(await page.locator(`article[data-post-id="${script.id}"] .text`).innerText()).toBe(SCRIPT_TEXT);
    }
    await page.screenshot({ path: artifact('calendar-week.png'), fullPage: true });

    await page.goto(`${rt.proc.url}/app/accounts/${account.id}/calendar?date=${script.scheduledLocal.slice(0, 10)}`);
    const scriptCard = page.locator(`article[data-post-id="${script.id}"]`);
    expect(await scriptCard.locator('.text').innerText()).toBe(SCRIPT_TEXT);
    expect(await scriptCard.isVisible()).toBe(true);
    expect(await page.locator('main script, main img').count()).toBe(0);
    expect(await page.evaluate('window.__pwned')).toBeUndefined();

    // the published manual post shows as published, with its link
    await page.goto(`${rt.proc.url}/app/accounts/${account.id}/calendar?date=${published.scheduledLocal.slice(0, 10)}`);
    const pub = page.locator(`article[data-post-id="${published.id}"]`);
    expect(await pub.locator('.tag.b-published').textContent()).toBe('Published');
    expect(await pub.getByRole('link', { name: 'See it published' }).getAttribute('href')).toBe(
      'https://mastodon.example/@acme_jp/1',
    );

    // the month view: whole weeks, the days of other months dimmed
    await page.getByRole('link', { name: 'Month', exact: true }).click();
    await page.waitForURL(/view=month/);
    expect([35, 42, 28]).toContain((await shownDays(page)).length);
    await page.screenshot({ path: artifact('calendar-month.png'), fullPage: true });

    // signing out ends the session
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.waitForURL(/\/app\/sign-in$/);
    await page.goto(`${rt.proc.url}/app`);
    expect(new URL(page.url()).pathname).toBe('/app/sign-in');

    expect(errors).toEqual([]);
    expect(statSync(artifact('calendar-week.png')).size).toBeGreaterThan(10_000);
    await context.close();
  }, 60_000);

  it('opens from a signed link and reads well on a phone', async () => {
    const link = await db.appLinks.create({
      path: `/app/accounts/${account.id}/calendar?view=week&date=${first.scheduledLocal.slice(0, 10)}`,
    });
    const context = await rt.browser.newContext({
      viewport: { width: 390, height: 844 },
      deviceScaleFactor: 2,
      isMobile: true,
      hasTouch: true,
    });
    const page = await context.newPage();
    await page.goto(link.url);
    expect(new URL(page.url()).pathname).toBe(`/app/accounts/${account.id}/calendar`);
    expect(await page.locator(`article[data-post-id="${first.id}"] .text`).innerText()).toBe('Autumn blend is back ☕');
    const overflow = await page.evaluate<number>(
      'document.documentElement.scrollWidth - document.documentElement.clientWidth',
    );
    expect(overflow).toBeLessThanOrEqual(0);
    const fontSize = await page.evaluate<number>(
      "parseFloat(getComputedStyle(document.querySelector('article .text')).fontSize)",
    );
    expect(fontSize).toBeGreaterThanOrEqual(16);
    await page.screenshot({ path: artifact('calendar-phone.png'), fullPage: true });
    await context.close();
  }, 30_000);
});

describe('the public transparency page in a browser', () => {
  it('renders readable content on a phone-sized screen', async () => {
    const context = await rt.browser.newContext({
      viewport: { width: 390, height: 844 },
      deviceScaleFactor: 2,
      isMobile: true,
      hasTouch: true,
      javaScriptEnabled: true,
    });
    const page = await context.newPage();
    const res = await page.goto(`${rt.proc.url}/t/my-workspace/${encodeURIComponent('@acme_jp')}`);
    expect(res!.status()).toBe(200);
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('Who speaks for @acme_jp on Mastodon');
    const row = page.getByRole('row').filter({ hasText: 'Bo Chen' });
    expect(await row.getByRole('cell').allTextContents()).toEqual(['Bo Chen', 'In-house', '—', '1']);
    expect(await page.getByRole('link', { name: 'see it' }).getAttribute('href')).toBe(
      'https://mastodon.example/@acme_jp/1',
    );
    const overflow = await page.evaluate<number>(
      'document.documentElement.scrollWidth - document.documentElement.clientWidth',
    );
    expect(overflow).toBeLessThanOrEqual(0);
    const body = await page.evaluate<{ size: number; color: string }>(
      '({ size: parseFloat(getComputedStyle(document.body).fontSize), color: getComputedStyle(document.body).color })',
    );
    expect(body.size).toBeGreaterThanOrEqual(16);
    expect(body.color).toBe('rgb(27, 27, 27)');
    await page.screenshot({ path: artifact('transparency-phone.png'), fullPage: true });
    expect(existsSync(artifact('transparency-phone.png'))).toBe(true);
    await context.close();
  }, 30_000);
});
