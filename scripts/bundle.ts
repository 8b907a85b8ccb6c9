import { mkdirSync, rmSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { build, type BuildOptions, type Metafile, type Plugin } from 'esbuild';
import { ESBUILD_PLUGINS, RUNTIME_PROVIDED } from '../infra/lambda.js';

/**
 * Bundles every Lambda in functions/ the way SST's Node builder does
 * (pkg/runtime/node/build.go) with the options infra/lambda.ts gives it: one
 * minified ESM `.mjs` per handler, platform node, keepNames, `module` before
 * `main`, a banner that gives ESM a `require`, no source map, the esbuild
 * plugins of infra/esbuild-plugins.mjs, and the AWS SDK v3 left external
 * because the Node 22 runtime ships it (infra/README.md says why).
 * `npm run bundle` prints each size and exits 1 when the API is over budget
 * (`--verbose`: the largest packages of each; `--no-fail`: report only).
 */

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');

/** The Lambda handlers and their entry files (the `handler` paths infra/ uses, minus `.handler`). */
export const FUNCTIONS = {
  api: 'functions/api.ts',
  publish: 'functions/publish.ts',
  watchdog: 'functions/watchdog.ts',
  webhooks: 'functions/webhooks.ts',
} as const;

export type FunctionName = keyof typeof FUNCTIONS;

/** DESIGN.md, Budgets: the API bundle, minified ESM, under 400 KB. */
export const API_BUDGET_BYTES = 400 * 1024;

/** SST's banner: ESM bundles get `require`, `__filename` and `__dirname`. */
const BANNER = [
  `import { createRequire as topLevelCreateRequire } from 'module';`,
  `const require = topLevelCreateRequire(import.meta.url);`,
  `import { fileURLToPath as topLevelFileUrlToPath, URL as topLevelURL } from "url"`,
  `const __filename = topLevelFileUrlToPath(import.meta.url)`,
  `const __dirname = topLevelFileUrlToPath(new topLevelURL(".", import.meta.url))`,
  '', // SST appends `nodejs.banner` here; drumbeat sets none.
].join('\n');

/** The esbuild plugins infra/lambda.ts hands SST (`nodejs.plugins`). */
export async function lambdaPlugins(): Promise<Plugin[]> {
  return (await import(pathToFileURL(join(ROOT, ESBUILD_PLUGINS)).href)).default as Plugin[];
}

/** The esbuild options SST uses for a Node handler with infra/lambda.ts's `nodejs` settings. */
export function lambdaBuildOptions(entry: string, outfile: string, plugins: Plugin[] = []): BuildOptions {
  return {
    entryPoints: [entry],
    outfile,
    platform: 'node',
    format: 'esm',
    // SST passes esnext; node22 is the same output for our code and names the runtime we deploy.
    target: 'node22',
    bundle: true,
    minify: true,
    keepNames: true,
    mainFields: ['module', 'main'],
    external: ['sharp', 'pg-native', ...RUNTIME_PROVIDED],
    banner: { js: BANNER },
    sourcemap: false,
    metafile: true,
    logLevel: 'silent',
    plugins,
  };
}

/** One built bundle: where it is, how big, and what its entry exports. */
export interface Bundle {
  name: FunctionName;
  file: string;
  bytes: number;
  exports: string[];
  metafile: Metafile;
}

/** Builds one handler into `outDir/<name>.mjs`. */
export async function bundleFunction(name: FunctionName, outDir: string): Promise<Bundle> {
  const file = join(outDir, `${name}.mjs`);
  const result = await build(lambdaBuildOptions(join(ROOT, FUNCTIONS[name]), file, await lambdaPlugins()));
  const metafile = result.metafile as Metafile;
  const output = Object.entries(metafile.outputs).find(([out]) => resolve(out) === resolve(file));
  if (!output) throw new Error(`esbuild produced no ${file}`);
  return { name, file, bytes: output[1].bytes, exports: output[1].exports, metafile };
}

/** Builds every handler into `outDir` (emptied first). */
export async function bundleAll(outDir: string): Promise<Bundle[]> {
  rmSync(outDir, { recursive: true, force: true });
  mkdirSync(outDir, { recursive: true });
  return Promise.all((Object.keys(FUNCTIONS) as FunctionName[]).map((name) => bundleFunction(name, outDir)));
}

/** The modules that put code into the bundle (esbuild also lists modules it read and shook out entirely). */
export function bundledInputs(bundle: Bundle): string[] {
  const out = new Set<string>();
  for (const o of Object.values(bundle.metafile.outputs)) for (const [input, { bytesInOutput }] of Object.entries(o.inputs)) if (bytesInOutput > 0) out.add(input);
  return [...out];
}

/** The bytes each package contributes to a bundle, largest first. */
export function contributions(bundle: Bundle, top = 8): { pkg: string; bytes: number }[] {
  const byPkg = new Map<string, number>();
  for (const out of Object.values(bundle.metafile.outputs)) {
    for (const [input, { bytesInOutput }] of Object.entries(out.inputs)) {
      const m = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(input);
      const pkg = m ? m[1]! : input.startsWith('packages/') ? `@drumbeat/${input.split('/')[1]}` : input.split('/')[0]!;
      byPkg.set(pkg, (byPkg.get(pkg) ?? 0) + bytesInOutput);
    }
  }
  return [...byPkg].map(([pkg, bytes]) => ({ pkg, bytes })).sort((a, b) => b.bytes - a.bytes).slice(0, top);
}

const kb = (n: number) => `${(n / 1024).toFixed(1)} KB`;

async function main(): Promise<void> {
  const outDir = join(ROOT, 'dist', 'functions');
  const bundles = await bundleAll(outDir);
  for (const b of bundles) {
    console.log(`${b.name.padEnd(9)} ${kb(b.bytes).padStart(9)}  ${relative(ROOT, b.file)}`);
    if (process.argv.includes('--verbose')) for (const c of contributions(b)) console.log(`            ${kb(c.bytes).padStart(9)}  ${c.pkg}`);
  }
  const api = bundles.find((b) => b.name === 'api')!;
  if (api.bytes >= API_BUDGET_BYTES) {
    console.error(`api bundle is ${kb(api.bytes)}: OVER the ${kb(API_BUDGET_BYTES)} budget (DESIGN.md, Budgets)`);
    // --no-fail: report only, e.g. while measuring a change.
    if (!process.argv.includes('--no-fail')) process.exitCode = 1;
  } else {
    console.log(`api bundle within budget: ${kb(api.bytes)} < ${kb(API_BUDGET_BYTES)}`);
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) await main();
