import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

/**
 * Runs an ES module `script` (through tsx, from the repo root) in a child
 * process whose host time zone is `tz`. The script defines `main()`, which
 * returns a string; the child's own UTC offset on 1 January 2026 comes back
 * with it, so a test can check the child really ran in that zone.
 */
export function inHostZone(tz: string, script: string): { offset: number; out: string } {
  const program = `${script}\nprocess.stdout.write(JSON.stringify({ offset: new Date(2026, 0, 1).getTimezoneOffset(), out: await main() }));`;
  const stdout = execFileSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', program], {
    cwd: ROOT,
    env: { ...process.env, TZ: tz },
    encoding: 'utf8',
  });
  return JSON.parse(stdout) as { offset: number; out: string };
}
