import type { ImportJobs } from '@drumbeat/api';
import { lazyServices, type LazyServices } from '@drumbeat/services/lazy';
import { LambdaImportJobs } from './import-jobs.js';
import type { AwsClients } from './aws-clients.js';
import type { FunctionConfig } from './config.js';
import { buildAdapters } from './adapters.js';

/** What the API builds on its first request: the adapters and the use-cases, each loaded when a request needs it. */
export interface ApiDeps {
  lazy: LazyServices;
  /** The Imports function's jobs, when one is linked. */
  importJobs: ImportJobs | undefined;
}

let container: ApiDeps | undefined;

/**
 * The API's composition root (deps.ts is the workers'): built on the first
 * request from the clients made at module load, and kept for the
 * container's life. Pure wiring: no I/O, and no use-case's code is loaded
 * until a request `prepare`s it (a workspace-create loads two of them).
 */
export function apiDeps(config: FunctionConfig, clients: AwsClients): ApiDeps {
  if (container) return container;
  const { store, clock, serviceDeps } = buildAdapters(config, { clients });
  const lazy = lazyServices(serviceDeps);
  const importJobs =
    config.importsFunction && clients.lambda
      ? new LambdaImportJobs({
          store,
          services: lazy.services,
          clock,
          lambda: clients.lambda,
          functionName: config.importsFunction,
        })
      : undefined;
  container = { lazy, importJobs };
  return container;
}
