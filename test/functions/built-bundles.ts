import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll } from 'vitest';
import { bundleAll, ROOT, type Bundle } from '../../scripts/bundle.js';

/**
 * Every Lambda bundle, built once for the calling test file into a folder of
 * its own under dist/ (test files run in parallel) and removed afterwards.
 * `all` is filled before the file's first test runs.
 */
export function builtBundles(tag: string): { readonly outDir: string; all: Bundle[] } {
  const built = { outDir: join(ROOT, 'dist', `${tag}-${process.pid}`), all: [] as Bundle[] };
  beforeAll(async () => {
    built.all = await bundleAll(built.outDir);
  });
  afterAll(() => rmSync(built.outDir, { recursive: true, force: true }));
  return built;
}
