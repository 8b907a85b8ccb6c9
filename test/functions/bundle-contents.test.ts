import { execFile } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { build } from 'esbuild';
import { beforeAll, describe, expect, it } from 'vitest';
import { builtBundles } from './built-bundles.js';
import * as source from '../../packages/core/src/cadence/index.js';
import { bundledInputs, lambdaBuildOptions, lambdaPlugins, ROOT } from '../../scripts/bundle.js';
import { startTestApi } from '../support/api.js';
import { functionUrlEvent, lambdaContext, startLambdaEnv } from './lambda-env.js';

// What the Lambda bundles must not carry (infra/README.md, Bundles): each cut
// here was made on purpose and must not creep back, and must not change what
// the bundled code does.
const built = builtBundles('functions-contents');

const inputs = bundledInputs;

const guard = (await import(pathToFileURL(join(ROOT, 'infra/esbuild-plugins.mjs')).href)) as {
  KEPT_OUT: { pattern: RegExp; instead: string }[];
  keptOutReason(specifier: string): string | null;
};

// One specifier per KEPT_OUT entry, and the node_modules folders each brings.
const KEPT_OUT_PACKAGES: [specifier: string, folder: RegExp][] = [
  ['rrule-temporal', /node_modules\/rrule-temporal\//],
  ['temporal-polyfill', /node_modules\/temporal-polyfill\//],
  ['zod', /node_modules\/zod\/(v4\/)?classic\//],
  ['@hono/zod-openapi', /node_modules\/(@hono\/zod-openapi|@asteasolutions\/zod-to-openapi)\//],
  ['standardwebhooks', /node_modules\/(standardwebhooks|@stablelib)\//],
  ['ical.js', /node_modules\/ical\.js\//],
];

describe('what the Lambda bundles leave out (infra/esbuild-plugins.mjs, KEPT_OUT)', () => {
  it("carries none of the replaced packages, and only English of zod's locales", () => {
    expect(KEPT_OUT_PACKAGES.map(([s]) => guard.keptOutReason(s) !== null)).toEqual(KEPT_OUT_PACKAGES.map(() => true));
    expect(guard.KEPT_OUT.length).toBe(KEPT_OUT_PACKAGES.length);
    const MCP_SDK = /node_modules\/@modelcontextprotocol\/sdk\//;
    for (const b of built.all) {
      // The MCP SDK's own classic zod may ride in the chunk that carries the SDK (loaded by the first /mcp request), nowhere else.
      const outsideMcp = Object.values(b.metafile.outputs)
        .filter((o) => !Object.keys(o.inputs).some((i) => MCP_SDK.test(i)))
        .flatMap((o) =>
          Object.entries(o.inputs)
            .filter(([, x]) => x.bytesInOutput > 0)
            .map(([i]) => i),
        );
      for (const [specifier, folder] of KEPT_OUT_PACKAGES)
        expect(
          (specifier === 'zod' ? outsideMcp : inputs(b)).filter((i) => folder.test(i)),
          `${b.name} ${specifier}`,
        ).toEqual([]);
      const entry = Object.values(b.metafile.outputs).find((o) => o.entryPoint);
      expect(
        Object.keys(entry?.inputs ?? {}).filter((i) => MCP_SDK.test(i)),
        `${b.name}: the MCP SDK stays off the cold start`,
      ).toEqual([]);
      expect(
        inputs(b).filter((i) => /node_modules\/zod\/v4\/locales\//.test(i) && !i.endsWith('/en.js')),
        b.name,
      ).toEqual([]);
    }
  });

  it('lets zod/mini and hono through, and fails a build that imports a replaced package, naming the importer', async () => {
    for (const ok of [
      'zod/mini',
      'zod/locales',
      'hono',
      'hono/validator',
      'temporal',
      'csv',
      'csv-parse/sync',
      'csv-stringify/sync',
    ])
      expect(guard.keptOutReason(ok), ok).toBeNull();
    const dir = join(built.outDir, 'guard');
    mkdirSync(dir, { recursive: true });
    for (const [specifier] of KEPT_OUT_PACKAGES) {
      const entry = join(dir, 'entry.ts');
      writeFileSync(entry, `import * as m from ${JSON.stringify(specifier)};\nexport default m;\n`);
      const failure = await build(lambdaBuildOptions(entry, join(dir, 'out.mjs'), await lambdaPlugins())).then(
        () => null,
        (err: Error) => err.message,
      );
      expect(failure, specifier).toContain(`${specifier} is kept out of the Lambda bundles`);
      expect(failure, specifier).toContain('entry.ts');
    }
  });
});

describe('the cadence engine as bundled, against its source', () => {
  let bundled: typeof source;
  beforeAll(async () => {
    const file = join(built.outDir, 'cadence.mjs');
    await build(lambdaBuildOptions(join(ROOT, 'packages/core/src/cadence/index.ts'), file, await lambdaPlugins()));
    bundled = (await import(pathToFileURL(file).href)) as typeof source;
  });

  // The shapes once left to rrule-temporal (COUNT, BYWEEKNO, BYYEARDAY, yearly
  // ordinals, non-monthly BYSETPOS; RSCALE, now refused) and sub-daily rules across DST changes.
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
  const ZONES = [
    'Europe/Paris',
    'America/New_York',
    'Australia/Lord_Howe',
    'Pacific/Chatham',
    'America/Santiago',
    'Asia/Kolkata',
    'UTC',
  ];
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

  it('gives the same slots for every shape of rule, in zones with every kind of DST', () => {
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
    const rules = [
      ...RULES,
      'FREQ=WEEKLY;BYDAY=XX',
      'FREQ=DAILY;UNTIL=2026-13-01',
      'FREQ=MONTHLY;RSCALE=NOPE;BYMONTHDAY=1',
      'FREQ=DAILY;BYHOUR=24',
      'FREQ=SECONDLY',
    ];
    for (const rule of rules) expect(bundled.parseRRule(rule), rule).toEqual(source.parseRRule(rule));
  });
});

describe('the built API bundle, with these cuts', () => {
  it('serves the same OpenAPI document as the source app, and its reference page', async () => {
    const env = await startLambdaEnv();
    const api = await startTestApi();
    try {
      const file = built.all.find((b) => b.name === 'api')!.file;
      const events = [functionUrlEvent('GET', '/openapi.json'), functionUrlEvent('GET', '/docs')];
      const script = `const { handler } = await import(${JSON.stringify(file)}); const out = []; for (const e of ${JSON.stringify(events)}) out.push(await handler(e, ${JSON.stringify(lambdaContext)})); process.stdout.write(JSON.stringify(out));`;
      const { stdout } = await promisify(execFile)(process.execPath, ['--input-type=module', '-e', script], {
        env: { ...process.env, ...env.vars },
        cwd: ROOT,
        maxBuffer: 64 * 1024 * 1024,
      });
      const [doc, docs] = JSON.parse(stdout) as { statusCode: number; body: string }[];
      expect(doc!.statusCode).toBe(200);
      expect(JSON.parse(doc!.body)).toEqual(await (await api.app.request('/openapi.json')).json());
      expect(docs!.statusCode).toBe(200);
      expect(docs!.body).toContain('<script src="/docs/api-reference-1.76.0.js" defer>');
    } finally {
      await api.close();
      await env.close();
    }
  }, 60_000);
});
