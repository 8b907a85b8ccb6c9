import type { Clock } from '@drumbeat/core';

/** How long this process trusts its note that an account needs no watching. */
export const WATCHED_CACHE_MS = 5 * 60_000;

/**
 * A per-process note of which accounts the watchdog has nothing to do for (no
 * cadence, no approval SLA, no open alert), so the posts of such an account
 * change and publish without a single extra read. Every evaluation and every
 * account change in this process refreshes the note at once; a cadence set
 * through another process is noticed here within `ttlMs` (that process has
 * evaluated and armed the account already). A process that is the table's
 * only writer (the embedded runtime) keeps its notes for good.
 */
export class WatchedAccounts {
  private readonly entries = new Map<string, { watched: boolean; until: number }>();

  constructor(
    private readonly clock: Clock,
    private readonly ttlMs = WATCHED_CACHE_MS,
    private readonly max = 10_000,
  ) {}

  /** True or false while the note is fresh; undefined when unknown. */
  get(ws: string, accountId: string): boolean | undefined {
    const e = this.entries.get(`${ws}/${accountId}`);
    return e && e.until > this.clock.now().getTime() ? e.watched : undefined;
  }

  /** Notes whether the account needs watching. */
  set(ws: string, accountId: string, watched: boolean): void {
    const key = `${ws}/${accountId}`;
    this.entries.delete(key);
    if (this.entries.size >= this.max) this.entries.delete(this.entries.keys().next().value!);
    this.entries.set(key, { watched, until: this.clock.now().getTime() + this.ttlMs });
  }

  /** Forgets the note: the next change evaluates the account. */
  forget(ws: string, accountId: string): void {
    this.entries.delete(`${ws}/${accountId}`);
  }
}
