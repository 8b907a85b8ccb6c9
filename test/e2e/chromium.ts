/**
 * Real headless Chromium for the browser tests: Debian's `chromium` package
 * (installed by .ci/run), driven by playwright-core. The flags keep it from
 * reaching out to the network on its own (this sandbox has none).
 */
import { existsSync, mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { chromium, type Browser } from 'playwright-core';

/** Where Chromium is: CHROMIUM_PATH, else Debian's /usr/bin/chromium. */
export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/** Launches headless Chromium with a fresh profile; fails loudly when it is not installed. */
export async function launchChromium(): Promise<Browser> {
  if (!existsSync(CHROMIUM_PATH)) throw new Error(`Chromium not found at ${CHROMIUM_PATH}: apt-get install chromium (as .ci/run does) or set CHROMIUM_PATH`);
  return chromium.launch({
    executablePath: CHROMIUM_PATH,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
}

/** The path of a test artifact under test-results/e2e/ (git-ignored), its folder created. */
export function artifact(name: string): string {
  const path = join(process.cwd(), 'test-results', 'e2e', name);
  mkdirSync(dirname(path), { recursive: true });
  return path;
}
