import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { existsSync, mkdirSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { build, type BuildOptions, type Metafile, type Plugin } from 'esbuild';
import { ROOT } from '../../scripts/bundle.js';

/**
 * A stand-in for the SST CLI's local RPC server, the part of `sst deploy`
 * that the components call while the program runs: `Runtime.Build` (bundle a
 * function's handler, which this does for real with esbuild, mirroring SST's
 * Node builder, pkg/runtime/node/build.go) and `Provider.Aws.Bootstrap` (the
 * account's asset bucket, which needs AWS and is answered with fixed names).
 * Any other method is refused, so an unexpected call fails the run.
 */

/** What SST's builder received for one function, and what came out. */
export interface RecordedBuild {
  functionID: string;
  handler: string;
  /** The entry file the handler path points at (null when none exists). */
  entry: string | null;
  properties: Record<string, unknown>;
  options: BuildOptions;
  outfile: string;
  exports: string[];
  errors: string[];
  /** The files SST copies into the function's package, as its Runtime.Build receives them. */
  copyFiles: { from: string; to: string; isDir: boolean }[];
}

const NODE_EXTENSIONS = ['.ts', '.tsx', '.mts', '.cts', '.js', '.jsx', '.mjs', '.cjs'];

/** The file a `dir/file.export` handler names, tried with SST's extensions, or null. */
export function handlerEntry(handler: string): string | null {
  const base = handler.slice(0, handler.lastIndexOf('.'));
  for (const ext of NODE_EXTENSIONS) {
    const file = join(ROOT, base + ext);
    if (existsSync(file)) return file;
  }
  return null;
}

const BANNER = [
  `import { createRequire as topLevelCreateRequire } from 'module';`,
  `const require = topLevelCreateRequire(import.meta.url);`,
  `import { fileURLToPath as topLevelFileUrlToPath, URL as topLevelURL } from "url"`,
  `const __filename = topLevelFileUrlToPath(import.meta.url)`,
  `const __dirname = topLevelFileUrlToPath(new topLevelURL(".", import.meta.url))`,
];

/** SST's esbuild options for a Node handler, from the `properties` the Function component sends. */
export async function sstBuildOptions(
  entry: string,
  outfile: string,
  properties: Record<string, any>,
): Promise<BuildOptions> {
  const plugins: Plugin[] = properties.plugins
    ? ((await import(pathToFileURL(join(ROOT, properties.plugins)).href)).default as Plugin[])
    : [];
  // nodejs.splitting: esbuild writes the handler and its chunks into the output folder (SST's builder does the same).
  const split = properties.splitting
    ? {
        outdir: dirname(outfile),
        entryNames: basename(outfile).replace(/\.mjs$/, ''),
        chunkNames: 'chunks/[name]-[hash]',
        outExtension: { '.js': '.mjs' },
        splitting: true,
      }
    : { outfile };
  return {
    entryPoints: [entry],
    ...split,
    platform: 'node',
    format: properties.format === 'cjs' ? 'cjs' : 'esm',
    target: 'esnext',
    bundle: true,
    minify: Boolean(properties.minify),
    keepNames: true,
    mainFields: ['module', 'main'],
    external: ['sharp', 'pg-native', ...(properties.install ?? []), ...(properties.esbuild?.external ?? [])],
    banner: { js: [...BANNER, properties.banner ?? ''].join('\n') },
    sourcemap: false,
    metafile: true,
    logLevel: 'silent',
    plugins,
  };
}

/** The RPC stand-in; `url` is what SST_SERVER must be set to. */
export async function startRpcStandin(
  workDir: string,
): Promise<{ url: string; builds: RecordedBuild[]; calls: string[]; close(): Promise<void> }> {
  const builds: RecordedBuild[] = [];
  const calls: string[] = [];
  const methods: Record<string, (args: any) => Promise<unknown>> = {
    'Provider.Aws.Bootstrap': async () => ({
      asset: 'sst-asset-standin',
      assetEcrRegistryId: '123456789012',
      assetEcrUrl: '123456789012.dkr.ecr.us-east-1.amazonaws.com/sst-asset',
      state: 'sst-state-standin',
      appsyncHttp: '',
      appsyncRealtime: '',
    }),
    'Runtime.Build': async (input: any) => {
      const handler: string = input.handler;
      const entry = handlerEntry(handler);
      const out = join(workDir, 'artifacts', input.functionID);
      mkdirSync(out, { recursive: true });
      const fileName = (entry ? entry.slice(entry.lastIndexOf('/') + 1).replace(/\.[^.]+$/, '') : 'missing').replaceAll(
        '.',
        '-',
      );
      const outfile = join(out, `${fileName}.mjs`);
      const options = await sstBuildOptions(entry ?? join(ROOT, handler), outfile, input.properties ?? {});
      const record: RecordedBuild = {
        functionID: input.functionID,
        handler,
        entry,
        properties: input.properties ?? {},
        options,
        outfile,
        exports: [],
        errors: [],
        copyFiles: input.copyFiles ?? [],
      };
      builds.push(record);
      if (!entry) {
        record.errors.push(`Handler not found: ${handler}`);
      } else {
        try {
          const result = await build(options);
          const meta = result.metafile as Metafile;
          record.exports = Object.values(meta.outputs).flatMap((o) => o.exports);
        } catch (err) {
          record.errors.push((err as Error).message);
        }
      }
      return {
        handler: fileName + handler.slice(handler.lastIndexOf('.')),
        out,
        errors: record.errors,
        sourcemaps: [],
      };
    },
  };

  const server: Server = createServer((req, res) => {
    let body = '';
    req.on('data', (c) => (body += c));
    req.on('end', async () => {
      const { method, params } = JSON.parse(body) as { method: string; params: unknown[] };
      calls.push(method);
      const impl = methods[method];
      let reply: { result?: unknown; error?: string };
      if (!impl) reply = { error: `rpc: can't find method ${method}` };
      else {
        try {
          reply = { result: await impl(params[0]) };
        } catch (err) {
          reply = { error: (err as Error).message };
        }
      }
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ id: null, ...reply }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    builds,
    calls,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
