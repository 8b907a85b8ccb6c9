/**
 * Real headless Chromium for the browser tests, driven by playwright-core:
 * CHROMIUM_PATH, else Debian's `/usr/bin/chromium` when it is installed, else
 * the Chromium shipped inside the npm package `@sparticuz/chromium` (unpacked
 * into the temp folder on first use), so `npm ci && npm test` needs no system
 * package. The flags keep it from reaching out to the network on its own.
 */
import { existsSync, mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { chromium, type Browser } from 'playwright-core';

const SYSTEM_CHROMIUM = '/usr/bin/chromium';

/** The Chromium binary to run: CHROMIUM_PATH or Debian's when present, else the npm package's. */
export async function chromiumPath(): Promise<string> {
  const given = process.env.CHROMIUM_PATH ?? SYSTEM_CHROMIUM;
  if (existsSync(given)) return given;
  const { default: packaged } = await import('@sparticuz/chromium');
  return packaged.executablePath();
}

/** Launches headless Chromium with a fresh profile. */
export async function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: await chromiumPath(),
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}

/** The path of a test artifact under test-results/e2e/ (git-ignored), its folder created. */
export function artifact(name: string): string {
  const path = join(process.cwd(), 'test-results', 'e2e', name);
  mkdirSync(dirname(path), { recursive: true });
  return path;
}
