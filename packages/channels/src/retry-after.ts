const MAX_WAIT_MS = 24 * 3600_000;

/**
 * How long a server asked us to wait, in ms, from `Retry-After` (seconds or an
 * HTTP date) or, failing that, a rate-limit reset header (`x-ratelimit-reset` as
 * an ISO instant, as Mastodon sends; `ratelimit-reset` as epoch seconds, as
 * Bluesky sends, or as delta seconds). Capped at 24 h; undefined when absent.
 */
export function retryAfterMs(headers: Headers, nowMs: number = Date.now()): number | undefined {
  const clamp = (ms: number) => Math.min(Math.max(0, Math.round(ms)), MAX_WAIT_MS);
  const retryAfter = headers.get('retry-after')?.trim();
  if (retryAfter) {
    if (/^\d+$/.test(retryAfter)) return clamp(Number(retryAfter) * 1000);
    const at = Date.parse(retryAfter);
    if (!Number.isNaN(at)) return clamp(at - nowMs);
  }
  const isoReset = headers.get('x-ratelimit-reset')?.trim();
  if (isoReset) {
    const at = /^\d+$/.test(isoReset) ? Number(isoReset) * 1000 : Date.parse(isoReset);
    if (!Number.isNaN(at)) return clamp(at - nowMs);
  }
  const reset = headers.get('ratelimit-reset')?.trim();
  if (reset && /^\d+$/.test(reset)) {
    const n = Number(reset);
    return clamp(n > 1e9 ? n * 1000 - nowMs : n * 1000);
  }
  return undefined;
}
