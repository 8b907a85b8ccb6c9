import type { Clock, WebhookRecord } from '@drumbeat/core';

/** How long a workspace's subscription list is reused before it is read again. */
export const SUBSCRIPTION_CACHE_MS = 30_000;

/**
 * A short-lived, per-process copy of each workspace's subscriptions, so an
 * event fan-out usually costs no read. Creating or removing a subscription in
 * this process drops the copy at once; elsewhere (another Lambda container,
 * another process on the same table) a new subscription may miss events for up
 * to `ttlMs`. A removed or disabled one never receives anything it should not:
 * each delivery re-reads its subscription before sending.
 */
export class SubscriptionCache {
  private readonly entries = new Map<string, { until: number; subs: WebhookRecord[] }>();
  /** Bumped by every invalidation, so a read that started before one is not kept. */
  private generation = 0;

  constructor(
    private readonly clock: Clock,
    private readonly ttlMs = SUBSCRIPTION_CACHE_MS,
    private readonly maxWorkspaces = 1_000,
  ) {}

  /** The workspace's subscriptions, from the copy while fresh, else through `load`. */
  async get(ws: string, load: () => Promise<WebhookRecord[]>): Promise<WebhookRecord[]> {
    const now = this.clock.now().getTime();
    const hit = this.entries.get(ws);
    if (hit && hit.until > now) return hit.subs;
    const generation = this.generation;
    const subs = await load();
    if (generation !== this.generation) return subs;
    this.entries.delete(ws);
    if (this.entries.size >= this.maxWorkspaces) this.entries.delete(this.entries.keys().next().value!);
    this.entries.set(ws, { until: now + this.ttlMs, subs });
    return subs;
  }

  /** Forgets the workspace's copy: the next `get` reads again. */
  invalidate(ws: string): void {
    this.generation++;
    this.entries.delete(ws);
  }
}
