import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { buildLocal, LOCAL_ENTRY } from '../../scripts/build-local.mjs';

/** A drumbeat started as `npm start` and a supervisor start it (node on the built runtime), as a child process. */
export interface Started {
  child: ChildProcess;
  url: string;
  ownerKey?: string;
  adminToken?: string;
  output(): string;
  /** Sends `signal` and resolves with the exit code. */
  stop(signal?: NodeJS.Signals): Promise<number | null>;
}

let built: Promise<unknown> | undefined;

/**
 * Builds the runtime as `npm start` does (skipped while it is up to date),
 * once per test file: test files that start processes run in parallel, and
 * the build writes each file atomically.
 */
export function ensureBuilt(): Promise<unknown> {
  built ??= buildLocal().catch((err: unknown) => {
    built = undefined;
    throw err;
  });
  return built;
}

/** Runs the built runtime with `env` until it exits (a start that must be refused) and returns its exit code and output. */
export async function runToExit(
  env: Record<string, string>,
  timeoutMs = 30_000,
): Promise<{ code: number | null; out: string }> {
  await ensureBuilt();
  const { child, output } = spawnMain(env);
  const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
  const [code] = (await once(child, 'exit')) as [number | null];
  clearTimeout(timer);
  return { code, out: output() };
}

/** Spawns the built runtime as `npm start` and a supervisor run it (`node dist/local/drumbeat.mjs`) and collects what it prints. */
function spawnMain(env: Record<string, string>): { child: ChildProcess; output(): string } {
  const child = spawn(process.execPath, [LOCAL_ENTRY], {
    env: { ...process.env, PORT: '0', LOG_LEVEL: 'warn', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout!.on('data', (d) => (out += d));
  child.stderr!.on('data', (d) => (out += d));
  return { child, output: () => out };
}

/** Starts the built runtime with `env` and waits for it to say where it listens. */
export async function startDrumbeatProcess(env: Record<string, string>, timeoutMs = 30_000): Promise<Started> {
  await ensureBuilt();
  const { child, output } = spawnMain(env);
  const started = Date.now();
  while (!/running at (http:\/\/\S+)/.test(output())) {
    if (child.exitCode !== null || child.signalCode !== null) throw new Error(`drumbeat exited early:\n${output()}`);
    if (Date.now() - started > timeoutMs) {
      child.kill('SIGKILL');
      throw new Error(`drumbeat did not start in time:\n${output()}`);
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  const out = output();
  const url = /running at (http:\/\/\S+)/.exec(out)![1]!;
  const ownerKey = /owner key \(shown once\): (\S+)/.exec(out)?.[1];
  const adminToken = /admin token: (\S+)/.exec(out)?.[1];
  return {
    child,
    url,
    ...(ownerKey ? { ownerKey } : {}),
    ...(adminToken ? { adminToken } : {}),
    output,
    async stop(signal = 'SIGINT') {
      if (child.exitCode !== null || child.signalCode !== null) return child.exitCode;
      child.kill(signal);
      const [code] = (await once(child, 'exit')) as [number | null];
      return code;
    },
  };
}
