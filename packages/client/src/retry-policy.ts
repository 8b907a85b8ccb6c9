/** How the client retries: at most `retries` more attempts, never waiting longer than `maxDelayMs` at once. */
export interface RetryOptions {
  /** Further attempts after the first (default 3; 0 disables retries). */
  retries?: number;
  /** First backoff when the server gives no Retry-After (default 250 ms, doubling, with jitter). */
  baseDelayMs?: number;
  /** The longest single wait (default 30 s). A Retry-After beyond it ends the retries. */
  maxDelayMs?: number;
  /** How long in all to wait out 409 `in-progress` answers (the first attempt of a POST still running) before reporting one (default 60 s). */
  inProgressMs?: number;
}

/** The retry options with their defaults applied. */
export function retryDefaults(o: RetryOptions = {}): Required<RetryOptions> {
  return {
    retries: o.retries ?? 3,
    baseDelayMs: o.baseDelayMs ?? 250,
    maxDelayMs: o.maxDelayMs ?? 30_000,
    inProgressMs: o.inProgressMs ?? 60_000,
  };
}

/** Whether a status is worth another attempt: 429 and 5xx, but not 501 (it will never work). */
export function retryableStatus(status: number): boolean {
  return status === 429 || (status >= 500 && status !== 501);
}

/** A Retry-After header (delay seconds or an HTTP date) in ms from `now`; undefined when absent or unreadable. */
export function retryAfterMs(header: string | null, now = Date.now()): number | undefined {
  if (!header) return undefined;
  if (/^\s*\d+\s*$/.test(header)) return Number(header) * 1000;
  const at = Date.parse(header);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}

/**
 * How long to wait before attempt `attempt + 1`: the server's Retry-After when
 * given, else exponential backoff with full jitter; undefined when the wait
 * would exceed `maxDelayMs` (then the caller gives up and reports the error).
 */
export function retryDelay(
  attempt: number,
  serverDelayMs: number | undefined,
  o: Required<RetryOptions>,
  random = Math.random,
): number | undefined {
  if (serverDelayMs !== undefined) return serverDelayMs <= o.maxDelayMs ? serverDelayMs : undefined;
  const ceiling = Math.min(o.maxDelayMs, o.baseDelayMs * 2 ** attempt);
  return Math.round(ceiling / 2 + random() * (ceiling / 2));
}
