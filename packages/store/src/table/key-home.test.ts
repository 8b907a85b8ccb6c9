import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

// The rule of packages/store/src/table (the store's README): every key template of the table
// lives in this folder, so a reader finds every key in one place. Outside it, in the store and
// in packages/local and functions/, no code writes a key prefix.
const ROOT = fileURLToPath(new URL('../../../..', import.meta.url));
const TABLE = join(ROOT, 'packages/store/src/table');
const SCANNED = [join(ROOT, 'packages/store/src'), join(ROOT, 'packages/local/src'), join(ROOT, 'functions')];

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory()
      ? e.name === 'node_modules'
        ? []
        : sources(join(dir, e.name))
      : /\.tsx?$/.test(e.name)
        ? [join(dir, e.name)]
        : [],
  );
}

const isTest = (file: string) => /\.test\.tsx?$/.test(file);

/** The code of a file without its comments (doc comments may name keys, code may not). */
const code = (text: string) => text.replace(/\/\*[\s\S]*?\*\//g, '').replace(/^\s*\/\/.*$/gm, '');

/** A key prefix written in code: `XYZ#${…}` in a template, or a literal that starts 'XYZ#…'. */
const PREFIX = /[A-Z][A-Z_]+#\$\{|['"`][A-Z][A-Z_]+#/g;

function prefixesIn(text: string): string[] {
  return [...code(text).matchAll(PREFIX)].map((m) => m[0]);
}

describe('every key of the table lives in packages/store/src/table', () => {
  it('finds a key prefix in the forms it looks for, and not in comments', () => {
    // (`$` + `{` keeps these samples plain strings, not templates.)
    expect(prefixesIn('const k = `POST#$' + '{id}`;')).toEqual(['`POST#']);
    expect(prefixesIn("const p = 'LEDGER#';")).toEqual(["'LEDGER#"]);
    expect(prefixesIn('const g = `$' + '{wsPk(ws)}#ACC#$' + '{account}#POSTS`;')).toEqual(['ACC#$' + '{']);
    expect(prefixesIn('/** At `ALERT#<id>`. */\nconst x = 1;')).toEqual([]);
  });

  it('the folder holds the templates', () => {
    const inTable = sources(TABLE)
      .filter((f) => !isTest(f))
      .flatMap((f) => prefixesIn(readFileSync(f, 'utf8')));
    expect(inTable.length).toBeGreaterThan(15);
  });

  it('no code of the store, packages/local or functions/ outside the folder writes a key prefix', () => {
    const files = SCANNED.flatMap(sources).filter((f) => !isTest(f) && !f.startsWith(TABLE));
    expect(files.length).toBeGreaterThan(30);
    const wrong = files.flatMap((f) => prefixesIn(readFileSync(f, 'utf8')).map((p) => `${relative(ROOT, f)}: ${p}`));
    expect(wrong).toEqual([]);
  });
});
