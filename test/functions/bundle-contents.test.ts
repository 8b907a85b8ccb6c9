import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bundleAll, ROOT, type Bundle } from '../../scripts/bundle.js';

// What the Lambda bundles must not carry (infra/README.md, Bundles): each line
// here is a cut that was made on purpose and must not creep back.
const outDir = join(ROOT, 'dist', `functions-contents-${process.pid}`);
let bundles: Bundle[];

beforeAll(async () => {
  bundles = await bundleAll(outDir);
});
afterAll(() => rmSync(outDir, { recursive: true, force: true }));

const inputs = (b: Bundle) => Object.keys(b.metafile.inputs);

describe('what the Lambda bundles leave out', () => {
  it('carries no iCalendar library: the feed is written by packages/api/src/ics-writer.ts', () => {
    for (const b of bundles) expect(inputs(b).filter((i) => /node_modules\/ical\.js\//.test(i)), b.name).toEqual([]);
  });
});
