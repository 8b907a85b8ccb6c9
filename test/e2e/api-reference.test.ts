import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AddressInfo } from 'node:net';
import { serve, type ServerType } from '@hono/node-server';
import type { Browser } from 'playwright-core';
import { startTestApi, type TestApi } from '../support/api.js';
import { acmeAccount } from '../support/bodies.js';
import { launchChromium } from './chromium.js';

// /docs in real headless Chromium: Scalar's reference, served from the package, under a strict CSP.
let api: TestApi;
let server: ServerType;
let origin: string;
let browser: Browser;

beforeAll(async () => {
  api = await startTestApi({ now: '2026-11-23T10:00:00Z' });
  server = await new Promise<ServerType>((resolve) => {
    const s = serve({ fetch: api.app.fetch, hostname: '127.0.0.1', port: 0 }, () => resolve(s));
  });
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  browser = await launchChromium();
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await new Promise((r) => server?.close(r));
  await api?.close();
});

describe('the API reference in a browser', () => {
  it('renders the operations from /openapi.json with no CSP violation and no request off-origin', async () => {
    const context = await browser.newContext({ viewport: { width: 1366, height: 900 } });
    const page = await context.newPage();
    const requests: string[] = [];
    const violations: string[] = [];
    const errors: string[] = [];
    page.on('request', (r) => requests.push(r.url()));
    page.on('console', (m) => {
      if (/Content Security Policy|Refused to/i.test(m.text())) violations.push(m.text());
      if (m.type() === 'error') errors.push(m.text());
    });
    page.on('pageerror', (e) => errors.push(String(e)));
    await page.addInitScript({
      content:
        "document.addEventListener('securitypolicyviolation', (e) => { (window.__csp ??= []).push(e.violatedDirective + ' ' + e.blockedURI + ' ' + e.sourceFile + ':' + e.lineNumber + ':' + e.columnNumber); });",
    });
    const res = await page.goto(`${origin}/docs`);
    expect(res!.status()).toBe(200);
    expect(res!.headers()['content-security-policy']).toContain("script-src 'self'");
    // Operations by their summaries, as Scalar shows them.
    await page.getByText('Plan a post at an explicit time').first().waitFor({ timeout: 30_000 });
    await page.getByText("List an account's posts").first().waitFor();
    await page.getByText('/v1/accounts/{id}/calendar.ics').first().waitFor();
    await page.waitForLoadState('networkidle');
    const csp = await page.evaluate<string[]>('window.__csp ?? []');
    expect(csp).toEqual([]);
    expect(violations).toEqual([]);
    expect(requests.filter((u) => !u.startsWith(`${origin}/`) && !u.startsWith('data:'))).toEqual([]);
    expect(requests).toContain(`${origin}/openapi.json`);
    expect(errors).toEqual([]);
    await context.close();
  }, 90_000);

  it('serves the script from the package with a long cache, and nothing else under /docs', async () => {
    const page = await (await api.app.request('/docs')).text();
    const src = /<script src="(\/docs\/api-reference-[\d.]+\.js)" defer>/.exec(page)?.[1];
    expect(src).toBeDefined();
    const script = await api.app.request(src!);
    expect(script.status).toBe(200);
    expect(script.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    expect(script.headers.get('cache-control')).toContain('immutable');
    expect((await script.text()).length).toBeGreaterThan(1_000_000);
    expect((await api.app.request('/docs/init.js')).status).toBe(200);
    expect((await api.app.request('/docs/api-reference-0.0.1.js')).status).toBe(404);
    expect((await api.app.request('/docs/..%2Fpackage.json')).status).toBe(404);
  });
});

describe('the site icon', () => {
  it('is served, named by every page, and no page load in Chromium ends in a 404', async () => {
    const ws = await api.workspace('Icon test');
    const accountId = (
      await api.call('POST', '/v1/accounts', {
        key: ws.key,
        body: acmeAccount({ disclosure: { publicPage: true } }),
      })
    ).body.id;
    expect(accountId).toBeDefined();
    const context = await browser.newContext();
    const page = await context.newPage();
    const failed: string[] = [];
    page.on('response', (r) => {
      if (r.status() >= 400) failed.push(`${r.status()} ${r.url()}`);
    });
    for (const path of ['/app/sign-in', `/t/${ws.slug}/acme`]) {
      const res = await page.goto(`${origin}${path}`);
      expect(res!.status(), path).toBe(200);
      expect(await page.locator('link[rel="icon"]').getAttribute('href'), path).toBe('/favicon.svg');
      // Headless Chromium does not fetch icons itself: ask for the one the page names, from the same browser context.
      const answer = await context.request.get(new URL('/favicon.svg', page.url()).href);
      const icon = { status: answer.status(), type: answer.headers()['content-type'] ?? null };
      expect(icon).toEqual({ status: 200, type: 'image/svg+xml' });
    }
    const ico = await page.goto(`${origin}/favicon.ico`);
    expect(ico!.status()).toBe(200);
    expect(failed).toEqual([]);
    await context.close();
  }, 60_000);
});
