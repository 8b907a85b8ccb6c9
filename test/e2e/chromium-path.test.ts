import { existsSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { chromiumPath, launchChromium } from './chromium.js';

const saved = process.env.CHROMIUM_PATH;
afterEach(() => {
  if (saved === undefined) delete process.env.CHROMIUM_PATH;
  else process.env.CHROMIUM_PATH = saved;
});

describe('the browser tests without a system Chromium', () => {
  it('run the Chromium of the @sparticuz/chromium npm package when CHROMIUM_PATH points nowhere', async () => {
    process.env.CHROMIUM_PATH = '/nowhere/chromium';
    const path = await chromiumPath();
    expect(path).not.toBe('/nowhere/chromium');
    expect(existsSync(path)).toBe(true);
    const browser = await launchChromium();
    try {
      const page = await browser.newPage();
      await page.setContent('<h1>drumbeat</h1>');
      expect(await page.textContent('h1')).toBe('drumbeat');
    } finally {
      await browser.close();
    }
  }, 60_000);
});
