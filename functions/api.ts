import { handle } from 'hono/aws-lambda';
// The app alone, not the package's barrel: its other exports (the OpenAPI document, CSV import) are not a cold start's.
import { createApp } from '@drumbeat/api/app';
import type { ImportJobs } from '@drumbeat/api';
import { awsClients } from './aws-clients.js';
import { configFromResource } from './config.js';
import { apiConfigOf, SYNC_IMPORT_ROWS } from './api-config.js';
import { originGuard } from './origin-guard.js';
import { routeConsoleErrors } from './logger.js';

/**
 * The HTTP API on Lambda, behind its function URL; only requests the Router
 * forwarded reach the app.
 *
 * At module load: the configuration, the DynamoDB and Scheduler clients (what
 * the bare baseline of `npm run bench` loads too) and the Hono app with its
 * middleware, each route group mounted but not loaded (route-table.ts). The
 * store and adapters (api-deps.ts) are built on the first request and kept
 * for the container's life; each route group's module, and the code of each
 * use-case it lists, loads on the first request that needs it; `npm run
 * bench` reports module load and module load + first request.
 */
routeConsoleErrors(); // before the first request: a failure to build the services is logged as JSON too
const config = configFromResource();
const clients = awsClients();
const load = () => import('./api-deps.js').then((m) => m.apiDeps(config, clients));

/** The Imports function's jobs, through the services once built (the row limit is known before). */
const importJobs: ImportJobs | undefined = config.importsFunction
  ? {
      syncRows: SYNC_IMPORT_ROWS,
      submit: async (ws, job) => (await load()).importJobs!.submit(ws, job),
      get: async (ws, id) => (await load()).importJobs!.get(ws, id),
    }
  : undefined;

// A request loads the use-cases its route group lists (and what they are built from), no others.
const app = createApp(async (names) => (await load()).lazy.prepare(names), apiConfigOf(config, importJobs));

export const handler = originGuard(config.originSecret, handle(app));
