import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createLogger, readConfig, startRuntime, type Runtime } from '@drumbeat/local';

/**
 * The embedded runtime as `npm start` runs it, in memory, over a fresh data folder named after `name`,
 * on a loopback port, logging nothing and with a rate limit no bench reaches; `stop` removes the folder too.
 */
export async function startBenchRuntime(name: string): Promise<{ rt: Runtime; stop(): Promise<void> }> {
  // Node 20 is supported here; the SDK's notice about future versions is noise in the table (as main.ts says).
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
  const dataDir = mkdtempSync(join(tmpdir(), `drumbeat-${name}-bench-`));
  const rt = await startRuntime(
    readConfig({
      PORT: '0',
      HOST: '127.0.0.1',
      DRUMBEAT_MEMORY: '1',
      DRUMBEAT_DATA_DIR: dataDir,
      DRUMBEAT_RATE_LIMIT: '1000000000/100000000',
    }),
    { logger: createLogger('silent') },
  );
  return {
    rt,
    async stop() {
      await rt.stop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
