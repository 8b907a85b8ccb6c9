import { everySlotBetween, type AccountStats } from '@drumbeat/core';
import type { ServiceDeps } from '../deps.js';
import { cadenceSpec } from '../slot-claims.js';
import { accountStats, weekStarts } from './account-stats.js';

/** Scheduled this long before the first week, a post may still have been published within it. */
const SLACK_MS = 86_400_000;

/** An account's publishing health (`GET /v1/accounts/{id}/stats`). */
export class StatsService {
  constructor(private readonly deps: ServiceDeps) {}

  /** The stats of an account over the last 12 local weeks; NotFound for an account of another workspace. */
  async account(ws: string, accountId: string): Promise<AccountStats> {
    const account = await this.deps.store.accounts.get(ws, accountId);
    const now = this.deps.clock.now();
    const weeks = weekStarts(now, account.timezone);
    const from = weeks[0]!;
    const posts = await this.deps.store.posts.allInWindow(
      ws,
      accountId,
      new Date(from.getTime() - SLACK_MS).toISOString(),
      '9',
    );
    // Every slot of the 12 weeks (up to 1,440 a day), not the first 10,000: the streak counts back from now.
    const pastSlots = account.cadence?.slots.length
      ? everySlotBetween(cadenceSpec(account), from, new Date(now.getTime() + 1))
      : [];
    const openAlerts = await this.deps.store.alerts.countOpen(ws, accountId);
    return accountStats({ accountId, timezone: account.timezone, now, weeks, posts, pastSlots, openAlerts });
  }
}
