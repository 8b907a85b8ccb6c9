import type { Clock, UrlPolicy } from '@drumbeat/core';
import { createServices, type Services } from '@drumbeat/services';
import type { ApiConfig } from '@drumbeat/api';
import { LambdaImportJobs } from './import-jobs.js';
import { routeConsoleErrors } from './logger.js';
import type { AwsClients } from './aws-clients.js';
import { configFromResource, type FunctionConfig } from './config.js';
import { apiConfigOf } from './api-config.js';
import { buildAdapters, type Adapters } from './adapters.js';

export { awsClients, type AwsClients } from './aws-clients.js';
export { configFromResource, mailEventsConfigFromResource, type FunctionConfig } from './config.js';
export { fromAddress } from './adapters.js';

/**
 * The composition root of every worker Lambda: with adapters.ts, the only
 * modules under functions/ that pick implementations (they read SST's linked
 * `Resource` through config.ts). The worker handlers call `deps()` at module
 * load, built once per container. The API builds its own on its first
 * request, loading each use-case's code when a request needs it
 * (api-deps.ts).
 */

/** What the handlers use: the store, the ports' AWS adapters, the use-cases and the API settings. */
export interface FunctionDeps extends Omit<Adapters, 'clients' | 'serviceDeps'> {
  services: Services;
  apiConfig: ApiConfig;
}

/** Builds the store, the scheduler and mailer adapters and the services from a config. Pure wiring: no I/O. */
export function build(
  config: FunctionConfig,
  opts: { clients?: AwsClients; clock?: Clock; urlPolicy?: UrlPolicy } = {},
): FunctionDeps {
  const { clients, store, scheduler, mailer, sealer, timerQueue, clock, serviceDeps } = buildAdapters(config, opts);
  const services = createServices(serviceDeps);
  const importJobs =
    config.importsFunction && clients.lambda
      ? new LambdaImportJobs({ store, services, clock, lambda: clients.lambda, functionName: config.importsFunction })
      : undefined;
  const apiConfig = apiConfigOf(config, importJobs);
  return { config, store, scheduler, mailer, sealer, timerQueue, clock, services, apiConfig };
}
let container: FunctionDeps | undefined;

/**
 * The container's dependencies, built from `Resource` on first use and kept
 * for the container's life; `clients` are the SDK clients the handler made
 * already (the API's, made at module load), else made here.
 */
export function deps(clients?: AwsClients): FunctionDeps {
  if (!container) routeConsoleErrors();
  container ??= build(configFromResource(), clients ? { clients } : {});
  return container;
}
