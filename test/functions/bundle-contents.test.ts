import { execFile } from 'node:child_process';
import { readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { build } from 'esbuild';
import ts from 'typescript';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as source from '../../packages/core/src/cadence/index.js';
import { bundleAll, lambdaBuildOptions, lambdaPlugins, ROOT, type Bundle } from '../../scripts/bundle.js';
import { startTestApi } from '../support/api.js';
import { functionUrlEvent, lambdaContext, startLambdaEnv } from './lambda-env.js';

// What the Lambda bundles must not carry (infra/README.md, Bundles): each cut
// here was made on purpose and must not creep back, and must not change what
// the bundled code does.
const outDir = join(ROOT, 'dist', `functions-contents-${process.pid}`);
let bundles: Bundle[];

beforeAll(async () => {
  bundles = await bundleAll(outDir);
});
afterAll(() => rmSync(outDir, { recursive: true, force: true }));

const inputs = (b: Bundle) => Object.keys(b.metafile.inputs);
const occurrences = (text: string, needle: string) => text.split(needle).length - 1;

describe('what the Lambda bundles leave out', () => {
  it('carries no iCalendar library: the feed is written by packages/api/src/ics-writer.ts', () => {
    for (const b of bundles) expect(inputs(b).filter((i) => /node_modules\/ical\.js\//.test(i)), b.name).toEqual([]);
  });

  it('carries one Temporal polyfill, not two: rrule-temporal shares the temporal-polyfill package', () => {
    for (const b of bundles) {
      // An error message of the polyfill's core, once per copy of it.
      expect(occurrences(readFileSync(b.file, 'utf8'), 'Invalid leap month'), b.name).toBe(1);
      expect(inputs(b), b.name).toContain('node_modules/temporal-polyfill/full/implementation.js');
    }
  });
});

// --- zod's opt-in tools, replaced by infra/esbuild-plugins.mjs ---------------

const ZOD = join(ROOT, 'node_modules/zod');
const ZOD_TOOLS = ['v4/core/compile.js', 'v4/classic/from-json-schema.js'];
const TOOL_NAMES = /\b(compile|compileFn|withParser|fromJSONSchema|ZodCompile\w*)\b/;

const zodFiles = (dir: string): string[] =>
  readdirSync(join(ZOD, dir), { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? zodFiles(join(dir, e.name)) : e.name.endsWith('.js') ? [join(dir, e.name)] : [],
  );

describe("zod's compiler and JSON Schema importer", () => {
  it('are left out of every bundle (after upgrading zod, re-verify and pin it in infra/esbuild-plugins.mjs)', () => {
    for (const b of bundles) {
      for (const tool of ZOD_TOOLS) {
        const bytes = Object.values(b.metafile.outputs).reduce((n, o) => n + (o.inputs[`node_modules/zod/${tool}`]?.bytesInOutput ?? 0), 0);
        expect(bytes, `${b.name} ${tool}`).toBeLessThan(1_000);
      }
    }
  });

  it('are reached only through the z namespace: no other zod module imports them', () => {
    const importers = zodFiles('v4').filter((f) => /(compile|from-json-schema)\.js["']/.test(readFileSync(join(ZOD, f), 'utf8')));
    expect(importers.sort()).toEqual(['v4/classic/external.js', 'v4/core/index.js']);
  });

  it('are named by no other module in any bundle', () => {
    for (const b of bundles) {
      const naming = inputs(b).filter((i) => !/node_modules\/zod\//.test(i) && !i.startsWith('<') && TOOL_NAMES.test(readFileSync(join(ROOT, i), 'utf8')));
      expect(naming, b.name).toEqual([]);
    }
  });

  it('are replaced by modules with the same exports that refuse to run', async () => {
    for (const tool of ZOD_TOOLS) {
      const file = join(ZOD, tool);
      const standIn = plugins.zodToolStandIn(file, readFileSync(file, 'utf8'));
      expect(standIn, tool).not.toBeNull();
      const original = (await import(pathToFileURL(file).href)) as Record<string, unknown>;
      const replaced = (await import(`data:text/javascript,${encodeURIComponent(standIn!)}`)) as Record<string, unknown>;
      expect(Object.keys(replaced).sort(), tool).toEqual(Object.keys(original).sort());
      const fn = (replaced.compile ?? replaced.fromJSONSchema) as () => unknown;
      expect(fn, tool).toThrow(/is not in drumbeat's Lambda bundles/);
    }
  });
});

// --- rrule-temporal's chunk, rewritten by infra/esbuild-plugins.mjs ---------

const plugins = (await import(pathToFileURL(join(ROOT, 'infra/esbuild-plugins.mjs')).href)) as {
  sharedTemporalChunk(source: string): string | null;
  zodToolStandIn(path: string, source: string): string | null;
};
const chunkDir = join(ROOT, 'node_modules/rrule-temporal/dist');
const chunkFile = readFileSync(join(chunkDir, 'index.js'), 'utf8').match(/from"\.\/(src-[^"]+\.js)"/)?.[1];

/** The names `code` uses but never declares and no ES2023 or Node global provides, per the TypeScript checker (each once). */
function unknownNames(code: string): string[] {
  const file = join(ROOT, 'dist', 'rrule-temporal-chunk.js'); // never written: served from memory
  const options: ts.CompilerOptions = {
    allowJs: true,
    checkJs: true,
    noEmit: true,
    target: ts.ScriptTarget.ES2023,
    module: ts.ModuleKind.ESNext,
    moduleResolution: ts.ModuleResolutionKind.Bundler,
    lib: ['lib.es2023.d.ts'],
    types: ['node'],
    typeRoots: [join(ROOT, 'node_modules/@types')],
    skipLibCheck: true,
  };
  const host = ts.createCompilerHost(options);
  const getSourceFile = host.getSourceFile.bind(host);
  host.getSourceFile = (name, language, ...rest) => (name === file ? ts.createSourceFile(name, code, language) : getSourceFile(name, language, ...rest));
  const fileExists = host.fileExists.bind(host);
  host.fileExists = (name) => name === file || fileExists(name);
  const program = ts.createProgram([file], options, host);
  const names = program
    .getSemanticDiagnostics(program.getSourceFile(file))
    .filter((d) => d.code === 2304 || d.code === 2552) // Cannot find name 'x' (. Did you mean 'y'?)
    .map((d) => /'([^']+)'/.exec(ts.flattenDiagnosticMessageText(d.messageText, '\n'))![1]!);
  return [...new Set(names)];
}

describe("rrule-temporal's chunk without its inlined polyfill", () => {
  const published = readFileSync(join(chunkDir, chunkFile ?? 'missing'), 'utf8');
  const rewritten = plugins.sharedTemporalChunk(published);

  it('is a chunk the plugin knows (after upgrading rrule-temporal, re-verify and pin it in infra/esbuild-plugins.mjs)', () => {
    expect(chunkFile).toBeDefined();
    expect(rewritten).not.toBeNull();
    expect(rewritten!.length).toBeLessThan(published.length - 60_000);
  });

  it('names nothing of the part it drops: the engine reaches the polyfill only through the imported binding', () => {
    expect(unknownNames(rewritten!)).toEqual([]);
    // The check sees through minified code: without the import, the polyfill binding is reported.
    const binding = /^import\{Temporal as ([\w$]+)\}/.exec(rewritten!)![1]!;
    expect(unknownNames(rewritten!.replace(/^import[^\n]*\n/, ''))).toEqual([binding]);
  }, 60_000);
});

describe('the cadence engine as bundled, against its source', () => {
  let bundled: typeof source;
  beforeAll(async () => {
    const file = join(outDir, 'cadence.mjs');
    await build(lambdaBuildOptions(join(ROOT, 'packages/core/src/cadence/index.ts'), file, await lambdaPlugins()));
    bundled = (await import(pathToFileURL(file).href)) as typeof source;
  });

  // Rules that go to rrule-temporal (COUNT, BYWEEKNO, BYYEARDAY, yearly ordinals,
  // non-monthly BYSETPOS, RSCALE) and sub-daily rules across DST changes.
  const RULES = [
    'FREQ=DAILY;COUNT=40;BYHOUR=2;BYMINUTE=30',
    'FREQ=WEEKLY;COUNT=30;BYDAY=MO,TH;BYHOUR=9',
    'FREQ=MONTHLY;BYDAY=FR;BYSETPOS=-1;BYHOUR=17',
    'FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR;BYSETPOS=1,-1;BYHOUR=8',
    'FREQ=YEARLY;BYWEEKNO=1,20,-1;BYDAY=MO;BYHOUR=8',
    'FREQ=YEARLY;BYYEARDAY=1,100,-1;BYHOUR=12',
    'FREQ=YEARLY;BYMONTH=3,10;BYDAY=-1SU;BYHOUR=1;BYMINUTE=30',
    'FREQ=MONTHLY;BYMONTHDAY=31,-1;BYHOUR=9',
    'FREQ=MONTHLY;RSCALE=HEBREW;BYMONTHDAY=1;BYHOUR=9',
    'FREQ=YEARLY;RSCALE=CHINESE;BYMONTH=1;BYMONTHDAY=1;BYHOUR=9',
    'FREQ=HOURLY;INTERVAL=5;COUNT=500',
    'FREQ=MINUTELY;INTERVAL=90;BYHOUR=0,1,2,3',
    'FREQ=HOURLY;BYMINUTE=0,30;UNTIL=20261108T120000Z',
  ];
  const ZONES = ['Europe/Paris', 'America/New_York', 'Australia/Lord_Howe', 'Pacific/Chatham', 'America/Santiago', 'Asia/Kolkata', 'UTC'];
  // Each window holds a DST change in the north or in the south.
  const WINDOWS = [
    ['2026-03-01T00:00:00Z', '2026-04-20T00:00:00Z'],
    ['2026-09-15T00:00:00Z', '2026-11-15T00:00:00Z'],
  ] as const;

  const run = (engine: typeof source, spec: source.CadenceSpec, from: string, to: string) => {
    try {
      return engine.slotsBetween(spec, new Date(from), new Date(to)).map((d) => d.toISOString());
    } catch (err) {
      return `${(err as Error).name}: ${(err as Error).message}`;
    }
  };

  it('gives the same slots for rules rrule-temporal expands, in zones with every kind of DST', () => {
    let slots = 0;
    for (const rule of RULES) {
      for (const timezone of ZONES) {
        for (const anchor of [undefined, '2026-02-27']) {
          const spec = { slots: [rule], timezone, ...(anchor ? { anchor } : {}) };
          for (const [from, to] of WINDOWS) {
            const want = run(source, spec, from, to);
            expect(run(bundled, spec, from, to), `${rule} ${timezone} ${anchor ?? ''} ${from}`).toEqual(want);
            if (Array.isArray(want)) slots += want.length;
          }
        }
      }
    }
    expect(slots).toBeGreaterThan(10_000); // the comparison is not vacuous
  }, 120_000);

  it('accepts and refuses the same slot rules, with the same messages', () => {
    const rules = [...RULES, 'FREQ=WEEKLY;BYDAY=XX', 'FREQ=DAILY;UNTIL=2026-13-01', 'FREQ=MONTHLY;RSCALE=NOPE;BYMONTHDAY=1', 'FREQ=DAILY;BYHOUR=24', 'FREQ=SECONDLY'];
    for (const rule of rules) expect(bundled.parseSlotRule(rule), rule).toEqual(source.parseSlotRule(rule));
  });
});

describe('the built API bundle, with these cuts', () => {
  it('serves the same OpenAPI document as the source app, and its reference page', async () => {
    const env = await startLambdaEnv();
    const api = await startTestApi();
    try {
      const file = bundles.find((b) => b.name === 'api')!.file;
      const events = [functionUrlEvent('GET', '/openapi.json'), functionUrlEvent('GET', '/docs')];
      const script = `const { handler } = await import(${JSON.stringify(file)}); const out = []; for (const e of ${JSON.stringify(events)}) out.push(await handler(e, ${JSON.stringify(lambdaContext)})); process.stdout.write(JSON.stringify(out));`;
      const { stdout } = await promisify(execFile)(process.execPath, ['--input-type=module', '-e', script], { env: { ...process.env, ...env.vars }, cwd: ROOT, maxBuffer: 64 * 1024 * 1024 });
      const [doc, docs] = JSON.parse(stdout) as { statusCode: number; body: string }[];
      expect(doc!.statusCode).toBe(200);
      expect(JSON.parse(doc!.body)).toEqual(await (await api.app.request('/openapi.json')).json());
      expect(docs!.statusCode).toBe(200);
      expect(docs!.body).toContain('/v1/accounts/{id}/calendar.ics');
    } finally {
      await api.close();
      await env.close();
    }
  }, 60_000);
});
