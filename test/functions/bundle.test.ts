import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { builtBundles } from './built-bundles.js';
import { bundledInputs, coldStartInputs, FUNCTIONS, ROOT, type Bundle } from '../../scripts/bundle.js';
import { ADMIN_TOKEN, functionUrlEvent, lambdaContext, startLambdaEnv, type LambdaEnv } from './lambda-env.js';

const run = promisify(execFile);
const built = builtBundles('functions-test');

const inputs = bundledInputs;

describe('the Lambda bundles', () => {
  it('builds one ESM bundle per handler, each exporting `handler`', () => {
    expect(built.all.map((b) => b.name).sort()).toEqual(Object.keys(FUNCTIONS).sort());
    for (const b of built.all) {
      expect(b.exports, b.name).toEqual(['handler']);
      expect(
        readFileSync(b.file, 'utf8').startsWith("import { createRequire as topLevelCreateRequire } from 'module';"),
        b.name,
      ).toBe(true);
    }
  });

  /** The modules in the handler's own file (what a cold start loads), not in a chunk loaded later. */
  const inEntry = (b: Bundle) => {
    const [, entry] = Object.entries(b.metafile.outputs).find(([out]) => resolve(out) === resolve(b.file))!;
    return Object.entries(entry.inputs)
      .filter(([, i]) => i.bytesInOutput > 0)
      .map(([input]) => input);
  };

  it('bundles the AWS SDK (no module left to the runtime) and keeps only the English zod locale', async () => {
    for (const b of built.all) {
      expect(
        inputs(b).filter((i) => /node_modules\/@aws-sdk\/client-(dynamodb|sesv2)\//.test(i)),
        b.name,
      ).not.toEqual([]);
      expect(readFileSync(b.file, 'utf8'), b.name).not.toMatch(/from\s*["']@aws-sdk\/|import\(["']@aws-sdk\//);
      expect(
        inputs(b).filter((i) => /zod\/v4\/locales\/(?!en\.js|index\.js)/.test(i)),
        b.name,
      ).toEqual([]);
    }
  });

  it('leaves what a request rarely needs (pages, the OpenAPI document, CSV, iCalendar, SES) to chunks loaded on first use', () => {
    const api = built.all.find((b) => b.name === 'api')!;
    expect(api.chunks.length).toBeGreaterThan(0);
    const rare =
      /packages\/api\/src\/(routes\/app-pages-app|pages\/|openapi\/app-document|docs-page|csv-text|ics|transparency-page)|packages\/standards\/src\/((csv|ics)\.ts|openapi\/)|@aws-sdk\/client-sesv2\//;
    expect(inputs(api).filter((i) => rare.test(i)).length).toBeGreaterThan(5); // in the bundle…
    expect(inEntry(api).filter((i) => rare.test(i))).toEqual([]); // …but not in what a cold start loads
  });

  it('keeps every route group, the services and zod off the API cold start, shared chunks included', () => {
    // esbuild's splitting puts a module in the chunks of every entry whose imports reach it, tree-shaken or not:
    // one barrel import on the static path (`@drumbeat/core`) would bring every schema (and zod) back.
    const api = built.all.find((b) => b.name === 'api')!;
    const cold = coldStartInputs(api);
    expect(cold.filter((i) => /packages\/api\/src\/app\.ts$/.test(i))).toHaveLength(1);
    const deferred =
      /packages\/api\/src\/(routes\/(?!lazy-group|route-table)|openapi\/|pages\/(?!page-response))|packages\/(services\/src\/(?!secret-hash)|store|channels|aws)\/|packages\/core\/src\/(?!errors|roles)|packages\/standards\/|node_modules\/zod\/|@aws-sdk\/client-lambda\//;
    expect(inputs(api).filter((i) => deferred.test(i)).length).toBeGreaterThan(50); // in the bundle…
    expect(cold.filter((i) => deferred.test(i))).toEqual([]); // …but not in what a cold start loads
  });

  it("loads only what a workspace-create touches on the API's first request: no other use-case, no channel", () => {
    // The first request loads the services' composition (api-deps.ts), the route group's module and the use-cases
    // the group lists (lazy-services.ts), each a dynamic import: their entries and the chunks those import statically.
    const api = built.all.find((b) => b.name === 'api')!;
    const outputs = api.metafile.outputs;
    const entryOf = (suffix: string) => {
      const found = Object.entries(outputs).filter(([, o]) => o.entryPoint?.endsWith(suffix));
      expect(
        found.map(([, o]) => o.entryPoint),
        suffix,
      ).toHaveLength(1);
      return found[0]![0];
    };
    const loaded = new Set<string>();
    const todo = [
      'functions/api-deps.ts',
      'packages/api/src/routes/workspaces.ts',
      'packages/services/src/workspaces.ts',
      'packages/services/src/api-keys.ts',
    ].map(entryOf);
    while (todo.length) {
      const out = todo.pop()!;
      if (loaded.has(out)) continue;
      loaded.add(out);
      for (const i of outputs[out]!.imports) if (i.kind === 'import-statement' && !i.external) todo.push(i.path);
    }
    const inputs = [...loaded].flatMap((o) =>
      Object.entries(outputs[o]!.inputs)
        .filter(([, i]) => i.bytesInOutput > 0)
        .map(([input]) => input),
    );
    expect(inputs).toContain('packages/services/src/workspaces.ts');
    expect(inputs).toContain('packages/services/src/api-keys.ts');
    // The store keeps every entity, so the few record helpers it calls come with it (core's
    // conversations/record.ts: which items await an answer, for the open-item index; alerts/alert-lifecycle.ts:
    // the rules the store writes an alert's transitions from).
    const untouched =
      /packages\/services\/src\/(publisher|posts|ledger|watchdog|alerts|conversations|listening|action-links|webhooks|approvals|accounts|voices|csv-import|stats|transparency|signing-keys)|packages\/channels\/|packages\/api\/src\/(mcp|pages|openapi\/openapi-document)|packages\/core\/src\/(cadence|conversations\/(?!record\.ts)|alerts\/(?!alert-lifecycle\.ts)|ledger)|@modelcontextprotocol|@aws-sdk\/client-(lambda|sesv2|kms|sqs)\//;
    expect(inputs.filter((i) => untouched.test(i))).toEqual([]);
  });

  it('keeps the worker bundles free of the HTTP layer (the Imports function takes the CSV import alone)', () => {
    for (const b of built.all.filter((x) => x.name !== 'api')) {
      const csvOnly = b.name === 'imports' ? /packages\/api\/src\/(import-csv|csv-text)\.ts$/ : /^$/;
      expect(
        inputs(b).filter((i) => /packages\/api\/|node_modules\/hono\//.test(i) && !csvOnly.test(i)),
        b.name,
      ).toEqual([]);
    }
    expect(
      inputs(built.all.find((b) => b.name === 'imports')!)
        .filter((i) => /packages\/api\//.test(i))
        .sort(),
    ).toEqual(['packages/api/src/csv-text.ts', 'packages/api/src/import-csv.ts']);
  });
});

describe('the built API bundle, run by plain node as Lambda would', () => {
  let env: LambdaEnv;
  beforeAll(async () => {
    env = await startLambdaEnv();
  });
  afterAll(() => env.close());

  it('reads its links, reaches the table and serves a request', async () => {
    const api = built.all.find((b) => b.name === 'api')!;
    const event = functionUrlEvent('POST', '/v1/workspaces', {
      headers: { authorization: `Bearer ${ADMIN_TOKEN}` },
      body: { name: 'Bundled' },
    });
    const script = `const { handler } = await import(${JSON.stringify(api.file)}); const res = await handler(${JSON.stringify(event)}, ${JSON.stringify(lambdaContext)}); process.stdout.write(JSON.stringify(res));`;
    const { stdout } = await run(process.execPath, ['--input-type=module', '-e', script], {
      env: { ...process.env, ...env.vars },
      cwd: ROOT,
    });
    const res = JSON.parse(stdout) as { statusCode: number; body: string };
    expect(res.statusCode).toBe(201);
    const { workspace } = JSON.parse(res.body) as { workspace: { id: string } };
    expect(await env.store.workspaces.find(workspace.id)).toMatchObject({ name: 'Bundled' });
  });
});
