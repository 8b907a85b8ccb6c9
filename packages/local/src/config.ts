import { resolve } from 'node:path';
import { durationMs } from '@drumbeat/core';

/** Everything the embedded runtime reads from its environment, in one place. */
export interface LocalConfig {
  port: number;
  host: string;
  dataDir: string;
  /** Keep the table in memory only (DRUMBEAT_MEMORY=1). */
  memory: boolean;
  adminToken: string | undefined;
  smtpUrl: string | undefined;
  mailFrom: string;
  /** Channel and webhook URLs may point at loopback/private addresses and use plain http. */
  allowPrivateUrls: boolean;
  /** The base URL people use to reach this server (links in emails, feed URLs); the listening URL when unset. */
  publicUrl: string | undefined;
  logLevel: string;
  tableName: string;
  /** Requests a minute per API key, and the burst allowed (DRUMBEAT_RATE_LIMIT, default 3000/600). */
  rateLimit: { perMinute: number; burst: number };
  /** Deliveries in a row that may exhaust their retries before a webhook subscription is disabled (DRUMBEAT_WEBHOOK_DISABLE_AFTER, default 5). */
  webhookDisableAfter: number;
  /** How long an approver's first waiting post gathers others into one email (DRUMBEAT_REVIEW_DIGEST_WINDOW, ISO 8601, default PT3M). */
  reviewDigestWindowMs: number;
}

function flag(v: string | undefined, fallback: boolean): boolean {
  if (v === undefined || v === '') return fallback;
  return !/^(0|false|no|off)$/i.test(v);
}

function parseRateLimit(text: string): { perMinute: number; burst: number } {
  const m = /^(\d+)\/(\d+)$/.exec(text.trim());
  if (!m || Number(m[1]) < 1 || Number(m[2]) < 1)
    throw new Error(`DRUMBEAT_RATE_LIMIT must be "<per minute>/<burst>", e.g. 600/60; got "${text}"`);
  return { perMinute: Number(m[1]), burst: Number(m[2]) };
}

function positiveInt(name: string, text: string): number {
  if (!/^\d+$/.test(text.trim()) || Number(text) < 1)
    throw new Error(`${name} must be a whole number of at least 1; got "${text}"`);
  return Number(text);
}

function isoDuration(name: string, text: string): number {
  try {
    return durationMs(text.trim());
  } catch (err) {
    throw new Error(`${name} must be an ISO 8601 duration such as PT3M; got "${text}" (${(err as Error).message})`);
  }
}

/** Reads the runtime configuration from `env` (DESIGN.md, Runtimes). */
export function readConfig(env: NodeJS.ProcessEnv = process.env): LocalConfig {
  const port = Number(env.PORT ?? 8787);
  if (!Number.isInteger(port) || port < 0 || port > 65535)
    throw new Error(`PORT must be a port number, got "${env.PORT}"`);
  const host = env.HOST ?? '127.0.0.1';
  return {
    port,
    host,
    dataDir: resolve(env.DRUMBEAT_DATA_DIR ?? '.drumbeat'),
    memory: flag(env.DRUMBEAT_MEMORY, false),
    adminToken: env.DRUMBEAT_ADMIN_TOKEN || undefined,
    smtpUrl: env.DRUMBEAT_SMTP_URL || undefined,
    mailFrom: env.DRUMBEAT_MAIL_FROM ?? 'drumbeat <drumbeat@localhost>',
    allowPrivateUrls: flag(env.DRUMBEAT_ALLOW_PRIVATE_URLS, true),
    publicUrl: env.DRUMBEAT_PUBLIC_URL ? env.DRUMBEAT_PUBLIC_URL.replace(/\/$/, '') : undefined,
    logLevel: env.LOG_LEVEL ?? 'info',
    tableName: env.DRUMBEAT_TABLE ?? 'drumbeat',
    rateLimit: parseRateLimit(env.DRUMBEAT_RATE_LIMIT ?? '3000/600'),
    webhookDisableAfter: positiveInt('DRUMBEAT_WEBHOOK_DISABLE_AFTER', env.DRUMBEAT_WEBHOOK_DISABLE_AFTER ?? '5'),
    reviewDigestWindowMs: isoDuration('DRUMBEAT_REVIEW_DIGEST_WINDOW', env.DRUMBEAT_REVIEW_DIGEST_WINDOW ?? 'PT3M'),
  };
}
