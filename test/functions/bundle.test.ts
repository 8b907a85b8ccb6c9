import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { builtBundles } from './built-bundles.js';
import { API_BUDGET_BYTES, bundledInputs, FUNCTIONS, ROOT } from '../../scripts/bundle.js';
import { ADMIN_TOKEN, functionUrlEvent, lambdaContext, startLambdaEnv, type LambdaEnv } from './lambda-env.js';

const run = promisify(execFile);
const built = builtBundles('functions-test');

const inputs = bundledInputs;

describe('the Lambda bundles', () => {
  it('builds one ESM bundle per handler, each exporting `handler`', () => {
    expect(built.all.map((b) => b.name).sort()).toEqual(Object.keys(FUNCTIONS).sort());
    for (const b of built.all) {
      expect(b.exports, b.name).toEqual(['handler']);
      expect(readFileSync(b.file, 'utf8').startsWith("import { createRequire as topLevelCreateRequire } from 'module';"), b.name).toBe(true);
    }
  });

  it('keeps the API bundle under its budget (DESIGN.md, Budgets: 400 KB minified ESM)', () => {
    const api = built.all.find((b) => b.name === 'api')!;
    expect(api.bytes).toBeGreaterThan(100 * 1024); // the real bundle, not an empty build
    expect(api.bytes).toBeLessThan(API_BUDGET_BYTES);
  });

  it('leaves the AWS SDK to the Lambda runtime and keeps only the English zod locale', () => {
    for (const b of built.all) {
      expect(inputs(b).filter((i) => /node_modules\/(@aws-sdk|@smithy)\//.test(i)), b.name).toEqual([]);
      expect(inputs(b).filter((i) => /zod\/v4\/locales\/(?!en\.js|index\.js)/.test(i)), b.name).toEqual([]);
    }
  });

  it('keeps the worker bundles free of the HTTP layer', () => {
    for (const b of built.all.filter((x) => x.name !== 'api')) {
      expect(inputs(b).filter((i) => /packages\/api\/|node_modules\/hono\//.test(i)), b.name).toEqual([]);
    }
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
    const event = functionUrlEvent('POST', '/v1/workspaces', { headers: { authorization: `Bearer ${ADMIN_TOKEN}` }, body: { name: 'Bundled' } });
    const script = `const { handler } = await import(${JSON.stringify(api.file)}); const res = await handler(${JSON.stringify(event)}, ${JSON.stringify(lambdaContext)}); process.stdout.write(JSON.stringify(res));`;
    const { stdout } = await run(process.execPath, ['--input-type=module', '-e', script], { env: { ...process.env, ...env.vars }, cwd: ROOT });
    const res = JSON.parse(stdout) as { statusCode: number; body: string };
    expect(res.statusCode).toBe(201);
    const { workspace } = JSON.parse(res.body) as { workspace: { id: string } };
    expect(await env.store.workspaces.find(workspace.id)).toMatchObject({ name: 'Bundled' });
  });
});
