/**
 * `npm start`: the embedded drumbeat on one machine. Reads the environment,
 * starts the runtime, prints the credentials a first start creates, and shuts
 * down cleanly on Ctrl-C or SIGTERM.
 */
// Node 20 is supported here; the SDK's notice about future versions is noise in the embedded runtime's logs.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

import { readConfig } from './config.js';
import { createLogger, printAfterLogs } from './logger.js';
import { startEarly } from './early-start.js';
import type { Runtime } from './runtime.js';

const config = readConfig();
const logger = createLogger(config.logLevel);
let runtime: Runtime;
try {
  // The lock first, then the engine's thread, which opens the store on its own core while this one
  // loads the rest of drumbeat (the bulk of a start's CPU time): the runtime's modules load after it.
  const early = startEarly(config);
  const { startRuntime } = await import('./runtime.js');
  runtime = await startRuntime(config, { logger, early });
} catch (e) {
  // A refusal to start (data dir in use, a store behind its checkpoint) is said plainly, without a stack trace.
  const err = e as Error;
  logger.fatal({ err }, 'drumbeat did not start');
  process.stderr.write(`\n  drumbeat did not start: ${err.message}\n\n`);
  process.exit(1);
}

// Secrets go to the terminal banner only, never into the JSON logs (which are shipped and kept).
if (!config.adminToken)
  logger.info(
    { file: `${config.dataDir}/admin-token` },
    'admin token (DRUMBEAT_ADMIN_TOKEN) printed below; keep it secret',
  );
if (runtime.firstWorkspace) {
  const { workspace } = runtime.firstWorkspace;
  logger.info(
    { workspace: workspace.id, slug: workspace.slug },
    'first start: created a workspace; its owner key is printed below, only now',
  );
}
// pino writes asynchronously, and its flush() does not wait for a write under way: the banner goes out
// through pino's own stream, after those lines, so it is the last thing a first start prints.
printAfterLogs(
  logger,
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
