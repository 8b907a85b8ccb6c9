import { readdirSync, readFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

// The import rule of packages/standards (its README): standards imports nothing of drumbeat's
// and does no I/O (no Node built-in, no AWS, no Hono), so any package may use it and a bundle
// takes only the standards it imports.
const PACKAGE = fileURLToPath(new URL('..', import.meta.url));
const SRC = join(PACKAGE, 'src');

/** The libraries the run-time code may import: each standard's own, pure ones. */
const ALLOWED_PACKAGES = /^(csv-parse\/sync|csv-stringify\/sync|zod\/mini)$/;

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? sources(join(dir, e.name)) : /\.tsx?$/.test(e.name) ? [join(dir, e.name)] : [],
  );
}

/** Every module specifier of `file`: static and dynamic imports and re-exports. */
function specifiers(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  const statements = /^\s*(?:import|export)\b[^;]*?\bfrom\s*['"]([^'"]+)['"]|^\s*import\s*['"]([^'"]+)['"]/gm;
  const dynamic = /\bimport\(\s*['"]([^'"]+)['"]\s*\)/g;
  return [...text.matchAll(statements), ...text.matchAll(dynamic)].map((m) => (m[1] ?? m[2])!);
}

const isTest = (file: string) => /\.test\.ts$|[\\/]test-[^\\/]*\.ts$/.test(file);
const files = sources(SRC);

describe('the import rule of packages/standards', () => {
  it('has sources to check', () => {
    expect(files.filter((f) => !isTest(f)).length).toBeGreaterThan(15);
  });

  it('run-time code imports only its own files and a few pure libraries: nothing of drumbeat, no Node, AWS or Hono', () => {
    const wrong: string[] = [];
    for (const file of files.filter((f) => !isTest(f))) {
      for (const s of specifiers(file)) {
        const inside = s.startsWith('.') && !relative(SRC, resolve(file, '..', s)).startsWith('..');
        if (!inside && !ALLOWED_PACKAGES.test(s)) wrong.push(`${relative(PACKAGE, file)}: ${s}`);
      }
    }
    expect(wrong).toEqual([]);
  });

  it('tests import nothing of drumbeat either (oracles and test tools only)', () => {
    const wrong: string[] = [];
    for (const file of files.filter(isTest)) {
      for (const s of specifiers(file)) {
        const target = s.startsWith('.') ? relative(PACKAGE, resolve(file, '..', s)) : s;
        // The repository's test support (running a child in another TZ) is a tool, not drumbeat's code.
        const ok = s.startsWith('.')
          ? !target.startsWith('..') || target.startsWith('../../test/support/')
          : !/^@drumbeat\//.test(s);
        if (!ok) wrong.push(`${relative(PACKAGE, file)}: ${s}`);
      }
    }
    expect(wrong).toEqual([]);
  });

  it('declares no dependency on a drumbeat package', () => {
    const pkg = JSON.parse(readFileSync(join(PACKAGE, 'package.json'), 'utf8')) as Record<string, unknown>;
    const deps = ['dependencies', 'devDependencies', 'peerDependencies'].flatMap((k) =>
      Object.keys((pkg[k] as Record<string, string> | undefined) ?? {}),
    );
    expect(deps.filter((d) => d.startsWith('@drumbeat/'))).toEqual([]);
  });
});
