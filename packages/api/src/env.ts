import type { Principal, Services } from '@drumbeat/services';

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
}

/** The Hono environment: what middleware puts on the context. */
export interface AppEnv {
  Variables: {
    services: Services;
    config: ApiConfig;
    principal: Principal;
  };
}
