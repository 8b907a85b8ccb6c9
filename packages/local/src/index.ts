export { readConfig, type LocalConfig } from './config.js';
export { startEmbeddedDynamo, type EmbeddedDynamo } from './embedded-dynamo.js';
export { startRuntime, type Runtime } from './runtime.js';
export { createLogger, type Logger } from './logger.js';
