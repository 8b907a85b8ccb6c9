import type { AccountRecord, AlertRecord } from '@drumbeat/core';
import type { ServiceDeps } from '../deps.js';
import { alertEmail } from './alert-email.js';

/** Delays before re-sending an alert email whose send failed, by attempt; after the last, it is given up. */
export const NOTIFY_RETRY_MS: readonly number[] = [60_000, 5 * 60_000, 30 * 60_000, 2 * 3_600_000];
/** A send claimed this long ago without being recorded is taken as dead (its process died) and may be retried. */
export const NOTIFY_CLAIM_STALE_MS = 15 * 60_000;

/** What a notification round did, and when the account needs another one (a retry, or a stale claim to take over). */
export interface NotifyOutcome {
  sent: AlertRecord[];
  next: Date | null;
}

/**
 * Emails an account's open alerts to its `alerts.emails`, once per alert: each
 * alert is claimed by conditional write before the send and marked notified
 * after it, so a duplicate timer or a second process finds nothing to send,
 * and a restart sends what was not sent. Alerts due together go out as one
 * email (a digest when several). A failed send is retried on a schedule; a
 * sender that died after claiming is taken over once its claim is stale,
 * with the same Message-ID.
 */
export class AlertNotifier {
  constructor(private readonly deps: ServiceDeps) {}

  /** When an email is next due for `alerts` (the account's open ones): now, a retry, a stale claim to take over; null when none. */
  dueAt(account: AccountRecord, alerts: AlertRecord[]): Date | null {
    const { due, later } = this.sort(account, alerts, this.deps.clock.now().getTime());
    const times = [...(due.length ? [this.deps.clock.now().getTime()] : []), ...later];
    return times.length ? new Date(Math.min(...times)) : null;
  }

  /** The alerts to email now, and the instants others will be due. */
  private sort(account: AccountRecord, alerts: AlertRecord[], nowMs: number): { due: AlertRecord[]; later: number[] } {
    if ((account.alerts?.emails ?? []).length === 0) return { due: [], later: [] };
    const later: number[] = [];
    const due: AlertRecord[] = [];
    for (const a of alerts) {
      if (a.resolvedAt || a.notifiedAt || (a.notifyAttempts ?? 0) > NOTIFY_RETRY_MS.length) continue;
      if (a.notifyingAt && Date.parse(a.notifyingAt) > nowMs - NOTIFY_CLAIM_STALE_MS) later.push(Date.parse(a.notifyingAt) + NOTIFY_CLAIM_STALE_MS);
      else if (a.notifyError && !a.notifyRetryAt) continue; // given up
      else if (a.notifyRetryAt && Date.parse(a.notifyRetryAt) > nowMs) later.push(Date.parse(a.notifyRetryAt));
      else due.push(a);
    }
    return { due, later };
  }

  /** Sends the email due for `alerts` (the account's open ones) now, if any. */
  async notify(account: AccountRecord, alerts: AlertRecord[]): Promise<NotifyOutcome> {
    const recipients = account.alerts?.emails ?? [];
    const now = this.deps.clock.now();
    const nowMs = now.getTime();
    const { due, later } = this.sort(account, alerts, nowMs);
    const claimed: AlertRecord[] = [];
    const claimedAt = now.toISOString();
    const stale = new Date(nowMs - NOTIFY_CLAIM_STALE_MS).toISOString();
    for (const a of due) {
      const c = await this.deps.store.alerts.claimNotify(account.workspaceId, a.id, claimedAt, stale);
      if (c) claimed.push(c);
    }
    const next = (extra: number[]) => {
      const all = [...later, ...extra];
      return all.length ? new Date(Math.min(...all)) : null;
    };
    if (claimed.length === 0) return { sent: [], next: next([]) };
    try {
      const { messageId } = await this.deps.mailer.send(alertEmail(claimed, account, this.deps.publicUrl, recipients));
      const sentAt = this.deps.clock.now().toISOString();
      const sent: AlertRecord[] = [];
      for (const a of claimed) sent.push((await this.deps.store.alerts.markNotified(account.workspaceId, a.id, claimedAt, sentAt, messageId)) ?? a);
      return { sent, next: next([]) };
    } catch (err) {
      const retries: number[] = [];
      for (const a of claimed) {
        const delay = NOTIFY_RETRY_MS[(a.notifyAttempts ?? 1) - 1];
        const retryAt = delay !== undefined ? new Date(nowMs + delay) : undefined;
        await this.deps.store.alerts.releaseNotify(account.workspaceId, a.id, claimedAt, String(err).slice(0, 500), retryAt?.toISOString());
        if (retryAt) retries.push(retryAt.getTime());
      }
      console.error(JSON.stringify({ level: 'error', msg: 'alert email not sent', account: account.id, alerts: claimed.map((a) => a.id), err: String(err), retry: retries.length > 0 }));
      return { sent: [], next: next(retries) };
    }
  }
}
