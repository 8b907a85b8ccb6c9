/**
 * `npm start`: the embedded drumbeat on one machine. Reads the environment,
 * starts the runtime, prints the credentials a first start creates, and shuts
 * down cleanly on Ctrl-C or SIGTERM.
 */
// Node 20 is supported here; the SDK's notice about future versions is noise in the embedded runtime's logs.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

import { readConfig } from './config.js';
import { createLogger } from './logger.js';
import { startRuntime } from './runtime.js';

const config = readConfig();
const logger = createLogger(config.logLevel);
const runtime = await startRuntime(config, { logger }).catch((err: Error) => {
  // A refusal to start (data dir in use, a store behind its checkpoint) is said plainly, without a stack trace.
  logger.fatal({ err }, 'drumbeat did not start');
  process.stderr.write(`\n  drumbeat did not start: ${err.message}\n\n`);
  process.exit(1);
});

// Secrets go to the terminal banner only, never into the JSON logs (which are shipped and kept).
if (!config.adminToken) logger.info({ file: `${config.dataDir}/admin-token` }, 'admin token (DRUMBEAT_ADMIN_TOKEN) printed below; keep it secret');
if (runtime.firstWorkspace) {
  const { workspace } = runtime.firstWorkspace;
  logger.info({ workspace: workspace.id, slug: workspace.slug }, 'first start: created a workspace; its owner key is printed below, only now');
}
// pino writes asynchronously: let those lines out first, so the banner is the last thing a first start prints.
await new Promise<void>((resolve) => logger.flush(() => resolve()));
process.stdout.write(
  `${[
    '',
    `  drumbeat is running at ${runtime.url}`,
    `  API reference: ${runtime.url}/docs`,
    ...(runtime.firstWorkspace ? [`  owner key (shown once): ${runtime.firstWorkspace.apiKey.key}`] : []),
    ...(!config.adminToken ? [`  admin token: ${runtime.adminToken}`] : []),
    '',
  ].join('\n')}\n`,
);

let stopping = false;
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'shutting down');
    runtime.stop().then(
      () => process.exit(0),
      (err) => {
        logger.error({ err }, 'shutdown failed');
        process.exit(1);
      },
    );
  });
}
