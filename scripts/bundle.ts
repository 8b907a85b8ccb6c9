import { mkdirSync, rmSync } from 'node:fs';
import { basename, dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { build, type BuildOptions, type Metafile, type Plugin } from 'esbuild';
import { ESBUILD_PLUGINS } from '../infra/lambda.js';

/**
 * Bundles every Lambda in functions/ the way SST's Node builder does
 * (pkg/runtime/node/build.go) with the options infra/lambda.ts gives it: one
 * minified ESM `.mjs` per handler, platform node, keepNames, `module` before
 * `main`, a banner that gives ESM a `require`, no source map, the esbuild
 * plugins of infra/esbuild-plugins.mjs, the AWS SDK bundled in, and code
 * splitting (`nodejs.splitting`): what a request rarely needs (pages, the
 * OpenAPI document, CSV, iCalendar) is a chunk beside the handler, loaded on
 * first use. `npm run bundle` prints each handler's bytes, entry and chunks
 * (`--verbose`: the largest packages of each). Bytes are reported, not
 * budgeted: the budget is the API's module load time (`npm run bench`).
 */

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');

/** The Lambda handlers and their entry files (the `handler` paths infra/ uses, minus `.handler`). */
export const FUNCTIONS = {
  api: 'functions/api.ts',
  publish: 'functions/publish.ts',
  watchdog: 'functions/watchdog.ts',
  webhooks: 'functions/webhooks.ts',
  imports: 'functions/imports.ts',
  'mail-events': 'functions/mail-events.ts',
  listen: 'functions/listen.ts',
} as const;

export type FunctionName = keyof typeof FUNCTIONS;

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

/**
 * The esbuild options SST uses for a Node handler with infra/lambda.ts's
 * `nodejs` settings: with splitting, the handler is `<outDir>/<name>.mjs` and
 * its chunks sit under `<outDir>/chunks/`.
 */
export function lambdaBuildOptions(entry: string, outfile: string, plugins: Plugin[] = []): BuildOptions {
  return {
    entryPoints: [entry],
    outdir: dirname(outfile),
    entryNames: basename(outfile).replace(/\.mjs$/, ''),
    chunkNames: 'chunks/[name]-[hash]',
    outExtension: { '.js': '.mjs' },
    splitting: true,
    platform: 'node',
    format: 'esm',
    // SST passes esnext; node22 is the same output for our code and names the runtime we deploy.
    target: 'node22',
    bundle: true,
    minify: true,
    keepNames: true,
    mainFields: ['module', 'main'],
    external: ['sharp', 'pg-native'],
    banner: { js: BANNER },
    sourcemap: false,
    metafile: true,
    logLevel: 'silent',
    plugins,
  };
}

/** One built handler: its entry file and bytes (what a cold start loads), its chunks (loaded on first use), what it exports. */
export interface Bundle {
  name: FunctionName;
  file: string;
  /** Bytes of the entry file. */
  bytes: number;
  /** Bytes of the entry and every chunk. */
  totalBytes: number;
  /** The chunk files beside the entry. */
  chunks: string[];
  exports: string[];
  metafile: Metafile;
}

/** Builds one handler into `outDir/<name>/<name>.mjs` (and its chunks). */
export async function bundleFunction(name: FunctionName, outDir: string): Promise<Bundle> {
  const file = join(outDir, name, `${name}.mjs`);
  const result = await build(lambdaBuildOptions(join(ROOT, FUNCTIONS[name]), file, await lambdaPlugins()));
  const metafile = result.metafile as Metafile;
  const outputs = Object.entries(metafile.outputs);
  const output = outputs.find(([out]) => resolve(out) === resolve(file));
  if (!output) throw new Error(`esbuild produced no ${file}`);
  const chunks = outputs.map(([out]) => resolve(out)).filter((out) => out !== resolve(file));
  const totalBytes = outputs.reduce((sum, [, o]) => sum + o.bytes, 0);
  return { name, file, bytes: output[1].bytes, totalBytes, chunks, exports: output[1].exports, metafile };
}

/** Builds every handler into `outDir` (emptied first). */
export async function bundleAll(outDir: string): Promise<Bundle[]> {
  rmSync(outDir, { recursive: true, force: true });
  mkdirSync(outDir, { recursive: true });
  return Promise.all((Object.keys(FUNCTIONS) as FunctionName[]).map((name) => bundleFunction(name, outDir)));
}

/**
 * The output files a cold start loads: the entry and every chunk it imports
 * statically, transitively (chunks reached only by a dynamic `import()` load
 * on first use).
 */
export function coldStartOutputs(metafile: Metafile, entryFile: string): string[] {
  const outputs = metafile.outputs;
  const key = Object.keys(outputs).find((out) => resolve(out) === resolve(entryFile));
  if (!key) throw new Error(`no output ${entryFile} in the metafile`);
  const seen = new Set<string>();
  const todo = [key];
  while (todo.length) {
    const out = todo.pop()!;
    if (seen.has(out)) continue;
    seen.add(out);
    for (const i of outputs[out]!.imports) if (i.kind === 'import-statement' && !i.external) todo.push(i.path);
  }
  return [...seen];
}

/** Bytes a cold start parses: the entry and the chunks it imports statically (coldStartOutputs). */
export function coldStartBytes(metafile: Metafile, entryFile: string): number {
  return coldStartOutputs(metafile, entryFile).reduce((sum, out) => sum + metafile.outputs[out]!.bytes, 0);
}

/** The modules that put code into what a cold start loads (the entry and its static chunks). */
export function coldStartInputs(bundle: Bundle): string[] {
  const out = new Set<string>();
  for (const o of coldStartOutputs(bundle.metafile, bundle.file)) {
    for (const [input, { bytesInOutput }] of Object.entries(bundle.metafile.outputs[o]!.inputs))
      if (bytesInOutput > 0) out.add(input);
  }
  return [...out];
}

/** The modules that put code into the bundle (esbuild also lists modules it read and shook out entirely). */
export function bundledInputs(bundle: Bundle): string[] {
  const out = new Set<string>();
  for (const o of Object.values(bundle.metafile.outputs))
    for (const [input, { bytesInOutput }] of Object.entries(o.inputs)) if (bytesInOutput > 0) out.add(input);
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
  return [...byPkg]
    .map(([pkg, bytes]) => ({ pkg, bytes }))
    .sort((a, b) => b.bytes - a.bytes)
    .slice(0, top);
}

const kb = (n: number) => `${(n / 1024).toFixed(1)} KB`;

async function main(): Promise<void> {
  const outDir = join(ROOT, 'dist', 'functions');
  const bundles = await bundleAll(outDir);
  console.log('function   entry     cold start (entry + static chunks)   total (entry + chunks)');
  for (const b of bundles) {
    console.log(
      `${b.name.padEnd(9)} ${kb(b.bytes).padStart(9)} ${kb(coldStartBytes(b.metafile, b.file)).padStart(9)} ${kb(b.totalBytes).padStart(9)} (${b.chunks.length} chunks)  ${relative(ROOT, b.file)}`,
    );
    if (process.argv.includes('--verbose'))
      for (const c of contributions(b)) console.log(`            ${kb(c.bytes).padStart(9)}  ${c.pkg}`);
  }
  // Bytes are reported, not budgeted (DESIGN.md, Budgets): `npm run bench` holds the API's module load time to 1.3× a bare handler.
  console.log('bytes are reported only; the budget is the API module load ratio in `npm run bench`');
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) await main();
