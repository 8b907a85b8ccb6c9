import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { build, type Plugin } from 'esbuild';
import { ROOT } from '../../scripts/bundle.js';
import { awsMocks, type RecordedResource } from './aws-mocks.js';
import { startRpcStandin, type RecordedBuild } from './rpc-standin.js';

/**
 * Runs the app's `run()` the way `sst deploy` does, minus the cloud: SST's own
 * platform code (.sst/platform, from `npm run sst:install`) and sst.config.ts
 * are bundled with the same esbuild settings the CLI uses (pkg/project/run.go
 * and pkg/js), with `$app`, `$cli` and `$dev` defined and the globals
 * injected, then evaluated inside a Pulumi stack whose engine is replaced by
 * mocks (`runtime.setMocks`). Function builds go through an RPC stand-in that
 * really bundles each handler.
 */

export const PLATFORM = join(ROOT, '.sst', 'platform');

/** Everything one run registered and returned. */
export interface SstRun {
  stage: string;
  app: { name: string; stage: string; removal: string; home: string; protect?: boolean };
  resources: RecordedResource[];
  invokes: string[];
  builds: RecordedBuild[];
  rpcCalls: string[];
  outputs: Record<string, unknown>;
}

type Pulumi = {
  runtime: { setMocks(mocks: unknown, project: string, stack: string, preview: boolean): Promise<void> };
};

/** Throws with the fix when the platform has not been installed. */
export function requirePlatform(): void {
  if (
    !existsSync(join(PLATFORM, 'src', 'auto', 'run.ts')) ||
    !existsSync(join(PLATFORM, 'node_modules', '@pulumi', 'pulumi'))
  ) {
    throw new Error('SST platform missing: run `npm run sst:install` first');
  }
}

const EXTERNAL = [
  '@pulumi/*',
  'undici',
  '@pulumiverse/*',
  '@sst-provider/*',
  '@aws-sdk/*',
  'esbuild',
  'archiver',
  'glob',
  'vite',
];
const BANNER = [
  `import { createRequire as topLevelCreateRequire } from 'module';`,
  `const require = topLevelCreateRequire(import.meta.url);`,
  `import { fileURLToPath as topLevelFileUrlToPath, URL as topLevelURL } from "url"`,
  `const __filename = topLevelFileUrlToPath(import.meta.url)`,
  `const __dirname = topLevelFileUrlToPath(new topLevelURL(".", import.meta.url))`,
].join('\n');

/** SST refuses top-level imports in sst.config.ts (infra must load inside run()). */
const disallowImports: Plugin = {
  name: 'DisallowImports',
  setup(b) {
    b.onResolve({ filter: /.*/ }, (args) => {
      if (args.importer.endsWith('sst.config.ts') && args.kind === 'import-statement') {
        return { errors: [{ text: 'sst.config.ts may not have top-level imports: import infra/* inside run()' }] };
      }
      return undefined;
    });
  },
};

function virtual(name: string, contents: string): Plugin {
  return {
    name,
    setup(b) {
      b.onResolve({ filter: new RegExp(`^${name}$`) }, () => ({ path: name, namespace: name }));
      b.onLoad({ filter: /.*/, namespace: name }, () => ({ contents, resolveDir: ROOT, loader: 'js' }));
    },
  };
}

async function bundleEval(
  code: string,
  outfile: string,
  define: Record<string, string>,
  inject: string[],
  plugins: Plugin[],
): Promise<void> {
  await build({
    stdin: { contents: code, resolveDir: ROOT, sourcefile: 'eval.ts', loader: 'ts' },
    banner: { js: BANNER },
    mainFields: ['module', 'main'],
    format: 'esm',
    platform: 'node',
    nodePaths: [join(PLATFORM, 'node_modules')],
    external: EXTERNAL,
    define,
    inject,
    outfile,
    bundle: true,
    write: true,
    logLevel: 'silent',
    plugins: [...plugins, disallowImports],
  });
}

/** Evaluates `app({ stage })` of sst.config.ts, as `sst` does before a deploy. */
async function evalApp(stage: string, workDir: string): Promise<SstRun['app']> {
  const outfile = join(PLATFORM, `drumbeat-app-${process.pid}-${Date.now()}.mjs`);
  try {
    await bundleEval(
      `import mod from ${JSON.stringify(join(ROOT, 'sst.config.ts'))};\nexport default await mod.app(${JSON.stringify({ stage })});`,
      outfile,
      {},
      ['sst:config-shim'],
      [virtual('sst:config-shim', 'export const $config = (input) => input;')],
    );
    const app = (await import(pathToFileURL(outfile).href)).default as Omit<SstRun['app'], 'stage'>;
    void workDir;
    return { ...app, stage };
  } finally {
    rmSync(outfile, { force: true });
  }
}

/** Runs sst.config.ts's `run()` for `stage` under Pulumi mocks; `env` is set for the run (secrets, settings). */
export async function runSstApp(stage: string, env: Record<string, string> = {}): Promise<SstRun> {
  requirePlatform();
  const workDir = mkdtempSync(join(tmpdir(), 'drumbeat-sst-'));
  const rpc = await startRpcStandin(workDir);
  const saved = { ...process.env };
  Object.assign(process.env, env, { SST_SERVER: rpc.url });
  const outfile = join(PLATFORM, `drumbeat-run-${process.pid}-${Date.now()}.mjs`);
  const cwd = process.cwd();
  let failRun: (err: unknown) => void = () => undefined;
  const runError: unknown[] = [];
  const onRejection = (err: unknown) => {
    runError.push(err);
    failRun(err);
  };
  const priorListeners = process.listeners('unhandledRejection');
  process.removeAllListeners('unhandledRejection');
  process.on('unhandledRejection', onRejection);
  try {
    const app = await evalApp(stage, workDir);
    const cli = {
      command: 'deploy',
      rpc: rpc.url,
      paths: { home: join(workDir, 'home'), root: ROOT, work: join(workDir, 'work'), platform: PLATFORM },
      state: { version: {} },
    };
    await bundleEval(
      [
        `import { run } from ${JSON.stringify(join(PLATFORM, 'src/auto/run.ts'))};`,
        `import * as components from ${JSON.stringify(join(PLATFORM, 'src/components'))};`,
        `import mod from ${JSON.stringify(join(ROOT, 'sst.config.ts'))};`,
        // The CLI injects \`sst\` as a global; set here, after every platform module has initialised.
        `globalThis.sst = components;`,
        `export function main() { return run(mod.run); }`,
      ].join('\n'),
      outfile,
      {
        $app: JSON.stringify({ ...app, providers: { aws: { region: 'us-east-1' } } }),
        $cli: JSON.stringify(cli),
        $dev: 'false',
      },
      [join(PLATFORM, 'src/shim/run.js'), 'sst:globals'],
      [virtual('sst:globals', 'export * as aws from "@pulumi/aws";')],
    );

    const requireFromPlatform = createRequire(join(PLATFORM, 'package.json'));
    const pulumi = requireFromPlatform('@pulumi/pulumi') as Pulumi;
    const { runInPulumiStack } = requireFromPlatform('@pulumi/pulumi/runtime/stack') as {
      runInPulumiStack(init: () => Promise<unknown>): Promise<unknown>;
    };
    const resources: RecordedResource[] = [];
    const invokes: string[] = [];
    await pulumi.runtime.setMocks(awsMocks(resources, invokes), app.name, stage, false);
    const mod = (await import(pathToFileURL(outfile).href)) as { main(): Promise<Record<string, unknown>> };
    // As under Pulumi's language host, an error thrown inside an apply() (an unset
    // sst.Secret, say) fails the run: it surfaces as an unhandled rejection.
    const failed = new Promise<never>((_, reject) => {
      failRun = reject;
    });
    failed.catch(() => undefined);
    const outputs = (await Promise.race([runInPulumiStack(() => mod.main()), failed])) as Record<string, unknown>;
    // Let registrations started by apply() callbacks (links, routes) finish.
    for (let i = 0; i < 20; i++) await new Promise((r) => setTimeout(r, 25));
    if (runError.length > 0) throw runError[0];
    return { stage, app, resources, invokes, builds: rpc.builds, rpcCalls: rpc.calls, outputs };
  } finally {
    // A failed run leaves callbacks in flight (builds, bootstrap lookups) on a stack nobody awaits any
    // more: the RPC stand-in stays up, and SST_SERVER pointed at it, for them (until the worker exits).
    const failedRun = runError.length > 0;
    if (failedRun) await new Promise((r) => setTimeout(r, 500));
    process.off('unhandledRejection', onRejection);
    for (const l of priorListeners) process.on('unhandledRejection', l);
    process.chdir(cwd);
    for (const k of Object.keys(process.env)) if (!(k in saved)) delete process.env[k];
    Object.assign(process.env, saved);
    if (failedRun) process.env.SST_SERVER = rpc.url;
    rmSync(outfile, { force: true });
    if (!failedRun) await rpc.close();
    rmSync(workDir, { recursive: true, force: true });
  }
}
