import type { RecordPage as Page } from '@drumbeat/core';
import { endsOnAck, toAlert, type Alert, type AlertStatus } from '@drumbeat/core';
import type { ServiceDeps } from '../deps.js';
import type { AccountHooks } from '../account-hooks.js';

/** Alerts as the API shows them: list (newest first) and acknowledge. */
export class AlertService {
  constructor(
    private readonly deps: ServiceDeps,
    private readonly hooks: AccountHooks,
  ) {}

  /** A page of the workspace's alerts, newest first, optionally of one status or one account (NotFound for an account of another workspace). */
  async list(
    ws: string,
    q: { status?: AlertStatus | undefined; accountId?: string | undefined; limit: number; cursor?: string | undefined },
  ): Promise<Page<Alert>> {
    if (q.accountId) await this.deps.store.accounts.get(ws, q.accountId);
    const page = await this.deps.store.alerts.list(ws, q);
    return { items: page.items.map(toAlert), nextCursor: page.nextCursor };
  }

  /** One alert, or NotFound (also for another workspace's). */
  async get(ws: string, id: string): Promise<Alert> {
    return toAlert(await this.deps.store.alerts.get(ws, id));
  }

  /**
   * Acknowledges an alert: someone is on it. Idempotent (the first
   * acknowledgement is kept); the alert stays open until its condition clears,
   * except an email_bounced one: acknowledging it is the condition's end
   * (someone knows mail no longer reaches the address), so it resolves now.
   * `by` is the API key that acknowledged it, `byVoice` its person for a personal key.
   */
  async ack(ws: string, id: string, by: string, byVoice?: string, byRecipient?: string): Promise<Alert> {
    const now = this.deps.clock.now();
    // A second acknowledgement is refused (the first is kept) and gets the alert as it is, with the same follow-up.
    const acked =
      (await this.deps.store.alerts.apply(ws, id, { type: 'ack', by, byVoice, byRecipient }, now)) ??
      (await this.deps.store.alerts.get(ws, id));
    if (!endsOnAck(acked)) return toAlert(acked);
    await this.hooks.accountChanged(ws, acked.accountId);
    return toAlert(await this.deps.store.alerts.get(ws, id));
  }
}
