import { runSstApp } from './sst-harness.js';

/**
 * Runs the app once in its own process and prints `{"ok":true,...}` or
 * `{"error":"…"}`, then exits: a run that fails (an unset secret) leaves
 * callbacks in flight that would otherwise leak into the next run.
 * Usage: tsx test/infra/run-app-child.ts <stage> '<env as JSON>'
 */
const [stage = 'ci', env = '{}'] = process.argv.slice(2);
try {
  const run = await runSstApp(stage, JSON.parse(env) as Record<string, string>);
  process.stdout.write(
    `${JSON.stringify({ ok: true, secrets: run.resources.filter((r) => r.type === 'sst:sst:Secret').map((r) => r.name) })}\n`,
  );
  process.exit(0);
} catch (err) {
  process.stdout.write(`${JSON.stringify({ error: err instanceof Error ? err.message : String(err) })}\n`);
  process.exit(0);
}
