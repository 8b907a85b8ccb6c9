import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Drumbeat, type Account } from '@drumbeat/client';
import { startE2eRuntime, type E2eRuntime } from './runtime.js';

// Real headless Chromium against the real `npm start` process: the inbox
// (overdue first, network text inert) and the report's SVG chart drawn.
let rt: E2eRuntime;
let db: Drumbeat;
let account: Account;
const EVIL = '<img src=x onerror="window.__pwned = true">are you hiring?';

beforeAll(async () => {
  rt = await startE2eRuntime();
  db = new Drumbeat({ baseUrl: rt.proc.url, apiKey: rt.proc.ownerKey! });
  account = await db.accounts.create({
    name: 'Acme',
    network: 'mastodon',
    handle: '@acme',
    timezone: 'Europe/Paris',
    channel: { type: 'manual' },
  });
  const ago = (h: number) => new Date(Date.now() - h * 3_600_000).toISOString();
  const item = (externalId: string, text: string, receivedAt: string) => ({
    externalId,
    kind: 'mention' as const,
    author: { handle: '@jo@mastodon.example' },
    text,
    receivedAt,
  });
  // Older, but received while the account had no SLA: no deadline.
  await db.conversations.ingest(account.id, item('early', 'an early question', ago(3)));
  await db.accounts.update(account.id, { responses: { sla: 'PT1H' } });
  await db.conversations.ingest(account.id, item('late', EVIL, ago(2)));
}, 60_000);

afterAll(() => rt?.close());

describe('the inbox in a browser', () => {
  it('opens from the calendar, shows the overdue item first as text, and the report draws one bar per week', async () => {
    const link = await db.appLinks.create({ path: `/app/accounts/${account.id}/calendar` });
    const context = await rt.browser.newContext({ viewport: { width: 1024, height: 800 } });
    const page = await context.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(String(e)));
    await page.goto(link.url);
    await page.locator('#inbox-link').click();
    expect(new URL(page.url()).pathname).toBe(`/app/accounts/${account.id}/inbox`);
    const texts = await page.locator('li.conv .text').allTextContents();
    expect(texts).toEqual([EVIL, 'an early question']);
    await expect.poll(() => page.locator('li.conv').first().getAttribute('class')).toContain('overdue');
    expect(await page.evaluate(() => (globalThis as { __pwned?: boolean }).__pwned)).toBeUndefined();

    await page.getByRole('link', { name: 'Response report' }).first().click();
    const bars = page.locator('svg.chart rect.wk');
    const weeks = (await db.conversations.report(account.id)).weeks;
    expect(await bars.count()).toBe(weeks.length);
    // Drawn: the week with the two items has the tallest bar.
    const heights = await bars.evaluateAll((els) =>
      els.map((e) => (e as unknown as { getBBox(): { height: number } }).getBBox().height),
    );
    expect(Math.max(...heights)).toBeGreaterThan(50);
    expect(await page.locator('script').count()).toBe(0);
    expect(errors).toEqual([]);
    await context.close();
  });
});
