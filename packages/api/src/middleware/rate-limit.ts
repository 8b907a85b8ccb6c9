import { createMiddleware } from 'hono/factory';
import { RateLimited } from '@drumbeat/core/errors';
import type { AppEnv } from '../env.js';

/** Requests per minute per API key, and how many may come at once. */
export interface RateLimitConfig {
  perMinute: number;
  burst: number;
}

interface Bucket {
  tokens: number;
  at: number;
}

const MAX_BUCKETS = 50_000;

/**
 * A token bucket per API key, in this process: `burst` requests at once, then
 * `perMinute` a minute. Over the limit is a 429 with Retry-After (seconds until
 * a token is back). On AWS each container counts for itself, so the limit is
 * per container there; the edge can add a global one.
 */
export function rateLimit(config: RateLimitConfig, now: () => number = Date.now) {
  const buckets = new Map<string, Bucket>();
  const perMs = config.perMinute / 60_000;
  return createMiddleware<AppEnv>(async (c, next) => {
    const key = c.get('principal')?.keyId;
    if (!key) return next();
    const t = now();
    const b = buckets.get(key) ?? { tokens: config.burst, at: t };
    b.tokens = Math.min(config.burst, b.tokens + (t - b.at) * perMs);
    b.at = t;
    if (b.tokens < 1) {
      buckets.set(key, b);
      throw new RateLimited(
        `this key is limited to ${config.perMinute} requests a minute (bursts of ${config.burst}); retry shortly`,
        Math.max(1, Math.ceil((1 - b.tokens) / perMs / 1000)),
      );
    }
    b.tokens -= 1;
    if (!buckets.has(key) && buckets.size >= MAX_BUCKETS) buckets.delete(buckets.keys().next().value!);
    buckets.set(key, b);
    c.header('RateLimit-Limit', String(config.perMinute));
    c.header('RateLimit-Remaining', String(Math.floor(b.tokens)));
    return next();
  });
}
