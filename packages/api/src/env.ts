import type { Principal, ServiceName, Services } from '@drumbeat/services';
import type { ImportJobs } from './import-jobs.js';

/**
 * The use-cases a request needs, loaded (and, on Lambda, their code): a route
 * group's list (route-table.ts), or all of them.
 */
export type ServiceSource = (names: readonly ServiceName[] | 'all') => Promise<Services>;

/** Runtime settings the composition root hands the API. */
export interface ApiConfig {
  /** Token for POST /v1/workspaces. */
  adminToken: string;
  /** Largest accepted request body, bytes. */
  maxBodyBytes: number;
  /** Per-key request limit; none when absent. */
  rateLimit?: { perMinute: number; burst: number };
  /** The base URL people reach the API by, for absolute links (feeds); the request's origin when unset. */
  publicUrl?: string;
  /** Signs /app links and sessions (HMAC); a random secret of this process when unset (links then die with it). */
  sessionSecret?: string;
  /** Runs large imports outside the request (202 + a status URL); absent, every import is synchronous. */
  importJobs?: ImportJobs;
}

/** The Hono environment: what middleware puts on the context. */
export interface AppEnv {
  Variables: {
    services: Services;
    config: ApiConfig;
    principal: Principal;
  };
}
