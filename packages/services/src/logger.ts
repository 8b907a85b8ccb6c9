import type { Logger } from '@drumbeat/core';
import type { ServiceDeps } from './deps.js';

/**
 * The logger of services built without one (tests, scripts): one JSON line on
 * stderr per entry, with pino's level names as text. Composition roots pass
 * their own (packages/local: pino; functions: the JSON logger).
 */
export const stderrLogger: Logger = {
  info: (fields, msg) => console.error(JSON.stringify({ level: 'info', msg, ...fields })),
  warn: (fields, msg) => console.error(JSON.stringify({ level: 'warn', msg, ...fields })),
  error: (fields, msg) => console.error(JSON.stringify({ level: 'error', msg, ...fields })),
};

/** The services' logger: the composition root's, else stderr. */
export const loggerOf = (deps: Pick<ServiceDeps, 'logger'>): Logger => deps.logger ?? stderrLogger;
