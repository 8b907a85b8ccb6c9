import { loggerOf } from '../logger.js';
import {
  alertRule,
  NOTIFY_CLAIM_STALE_MS,
  notifyPhase,
  notifyStanding,
  type AccountRecord,
  type AlertEvent,
  type AlertRecord,
  type ChatDestination,
} from '@drumbeat/core';
import type { ServiceDeps } from '../deps.js';
import type { ActionLinks } from '../action-links/index.js';
import { digestEmail, type DigestGroup } from './digest-email.js';
import { ChatDelivery } from './chat-delivery.js';
import { DIGEST_WINDOW_MS, recipientSet } from './notify-standing.js';

export { DIGEST_WINDOW_MS, NOTIFY_CLAIM_STALE_MS, NOTIFY_RETRY_MS } from './notify-standing.js';
/** A round that finds its digest being claimed by a concurrent round looks again this much later (in case that round died first). */
export const DIGEST_HANDOFF_MS = 10_000;

/** The notifier's timings. */
export interface AlertNotifierOptions {
  /** How long an alert's email waits for other alerts of the workspace to join it (default DIGEST_WINDOW_MS). */
  digestWindowMs: number;
}
export const DEFAULT_ALERT_NOTIFIER_OPTIONS: AlertNotifierOptions = { digestWindowMs: DIGEST_WINDOW_MS };

/** What a notification round did (the alerts it emailed, other accounts' included), and when the account needs another one. */
export interface NotifyOutcome {
  sent: AlertRecord[];
  next: Date | null;
}

interface Claimable {
  account: AccountRecord;
  alert: AlertRecord;
}

/**
 * Emails alerts once per alert opening: each alert is claimed by conditional
 * write before the send and marked notified after it, so a duplicate timer, a
 * second process or a concurrent round finds nothing to send, and a restart
 * sends what was not sent. An alert's email is due a gathering window after
 * it opened; the round then also takes the unsent alerts of the workspace's
 * other accounts with the same recipients that opened since shortly before
 * (their own rounds find nothing left) and sends one email for all: a digest
 * by account when several. Claims go in alert-id order, so of two rounds
 * racing for one digest the one that loses the first claim steps back. A
 * failed send is retried on a schedule; a sender that died after claiming is
 * taken over once its claim is stale, with the same Message-ID.
 */
export class AlertNotifier {
  private readonly windowMs: number;
  /** Chat destinations hear of what each email round sent; the last delivery's settling, for tests. */
  readonly chat: ChatDelivery;
  lastChat: Promise<void> = Promise.resolve();

  constructor(
    private readonly deps: ServiceDeps,
    opts: Partial<AlertNotifierOptions> = {},
    /** Signs each recipient's Acknowledge links; without it the email says the API call. */
    private readonly links?: ActionLinks,
  ) {
    this.windowMs = opts.digestWindowMs ?? DIGEST_WINDOW_MS;
    this.chat = new ChatDelivery(deps);
  }

  /** When an email is next due for `alerts` (the account's open ones): the end of a gathering window, a retry, a stale claim to take over; null when none. */
  dueAt(account: AccountRecord, alerts: AlertRecord[]): Date | null {
    if (recipientSet(account) === '') return null;
    const nowMs = this.deps.clock.now().getTime();
    const times = alerts.flatMap((a) => {
      const s = notifyStanding(a, nowMs, this.windowMs);
      return s ? [s.free ? Math.max(s.at, nowMs) : s.at] : [];
    });
    return times.length ? new Date(Math.min(...times)) : null;
  }

  /** Sends the email due for `alerts` (the account's open ones) now, if any, with what the workspace's other accounts have to join it. */
  async notify(account: AccountRecord, alerts: AlertRecord[]): Promise<NotifyOutcome> {
    const to = account.alerts?.emails ?? [];
    if (recipientSet(account) === '') return { sent: [], next: null };
    const now = this.deps.clock.now();
    const nowMs = now.getTime();
    const mine = alerts.flatMap((a) => {
      const s = notifyStanding(a, nowMs, this.windowMs);
      return s ? [{ a, ...s }] : [];
    });
    const later = mine.filter((m) => !m.free).map((m) => m.at);
    const free = mine.filter((m) => m.free);
    const next = (extra: number[]) => {
      const all = [...later, ...extra];
      return all.length ? new Date(Math.min(...all)) : null;
    };
    if (!free.some((m) => m.at <= nowMs)) return { sent: [], next: next(free.map((m) => m.at)) };

    const since = Math.min(...free.map((m) => Date.parse(m.a.openedAt))) - this.windowMs;
    const candidates: Claimable[] = [
      ...free.map((m) => ({ account, alert: m.a })),
      ...(await this.joiners(account, since, nowMs)),
    ];
    candidates.sort((x, y) => (x.alert.id < y.alert.id ? -1 : x.alert.id > y.alert.id ? 1 : 0));
    const claimedAt = now.toISOString();
    const ws = account.workspaceId;
    const claimed: Claimable[] = [];
    for (const c of candidates) {
      const won = await this.deps.store.alerts.apply(ws, c.alert.id, { type: 'claimNotify' }, now);
      if (won) {
        claimed.push({ account: c.account, alert: won });
        continue;
      }
      if (claimed.length === 0) {
        const current = await this.deps.store.alerts.find(ws, c.alert.id);
        // A concurrent round holds the first alert of this digest: it takes the rest; look again in case it dies first.
        if (current && notifyPhase(current, nowMs) === 'notifying')
          return { sent: [], next: next([nowMs + DIGEST_HANDOFF_MS]) };
      }
    }
    // An alert of this account that someone else claimed is looked at again when that claim would be stale.
    const lost = free
      .filter((m) => !claimed.some((c) => c.alert.id === m.a.id))
      .map(() => nowMs + NOTIFY_CLAIM_STALE_MS);
    if (claimed.length === 0) return { sent: [], next: next(lost) };
    return this.send(account, to, claimed, claimedAt, (retries) => next([...lost, ...retries]));
  }

  /** Sends one email for the claimed alerts, then records each as notified, or releases each for a retry. */
  private async send(
    account: AccountRecord,
    to: string[],
    claimed: Claimable[],
    claimedAt: string,
    next: (retries: number[]) => Date | null,
  ): Promise<NotifyOutcome> {
    const ws = account.workspaceId;
    const groups: DigestGroup[] = [];
    for (const c of claimed) {
      const g = groups.find((x) => x.account.id === c.account.id);
      if (g) g.alerts.push(c.alert);
      else groups.push({ account: c.account, alerts: [c.alert] });
    }
    // Claimed in id order, so the groups come in the order their first alerts opened, whichever round sends them.
    try {
      // With links, each recipient gets their own copy (their own Acknowledge links), under one Message-ID per recipient.
      let messageId = '';
      if (to.length === 0) {
        messageId = 'chat-only'; // an account alerted only in chat: nothing to mail, the chat round below is the notification
      } else if (this.links && this.deps.sealer) {
        // Sorted, so a retry or another account's round gives each recipient the same Message-ID.
        for (const [i, recipient] of [...to].sort((x, y) => x.toLowerCase().localeCompare(y.toLowerCase())).entries()) {
          const links = new Map<string, string>();
          for (const c of claimed) links.set(c.alert.id, (await this.links.ackLink(ws, c.alert, recipient)).url);
          const mail = digestEmail(groups, this.deps.publicUrl, [recipient], links);
          if (i > 0 && mail.headers?.['Message-ID'])
            mail.headers['Message-ID'] = mail.headers['Message-ID'].replace('@', `.r${i}@`);
          const sent = await this.deps.mailer.send(mail);
          messageId ||= sent.messageId;
        }
      } else {
        messageId = (await this.deps.mailer.send(digestEmail(groups, this.deps.publicUrl, to))).messageId;
      }
      const sentAt = this.deps.clock.now();
      const sent: AlertRecord[] = [];
      const mark: AlertEvent = { type: 'markNotified', claimedAt, messageId };
      for (const c of claimed) sent.push((await this.deps.store.alerts.apply(ws, c.alert.id, mark, sentAt)) ?? c.alert);
      // The lifecycle's post-to-chat, once the email is recorded (a retried round never posts twice); not awaited: chat never holds email.
      const links = this.deps.sealer ? this.links : undefined;
      const acksFor = links
        ? async (dest: ChatDestination) => {
            const acks = new Map<string, string>();
            for (const c of claimed) acks.set(c.alert.id, (await links.chatAckLink(ws, c.alert, dest)).url);
            return acks;
          }
        : undefined;
      this.lastChat = this.chat.deliver(groups, acksFor).catch(() => undefined);
      return { sent, next: next([]) };
    } catch (err) {
      const failedAt = this.deps.clock.now();
      const retries: number[] = [];
      for (const c of claimed) {
        const attempts = c.alert.notifyAttempts ?? 1;
        const release: AlertEvent = { type: 'releaseNotify', claimedAt, attempts, error: String(err) };
        await this.deps.store.alerts.apply(ws, c.alert.id, release, failedAt);
        for (const e of alertRule(release, failedAt).effects) if (e.type === 'retry') retries.push(Date.parse(e.at));
      }
      const accounts = groups.map((g) => g.account.id);
      loggerOf(this.deps).error(
        {
          account: account.id,
          accounts,
          alerts: claimed.map((c) => c.alert.id),
          err: String(err),
          retry: retries.length > 0,
        },
        'alert email not sent',
      );
      return { sent: [], next: next(retries) };
    }
  }

  /**
   * The unsent alerts, opened at or after `since`, of the workspace's other
   * live accounts whose recipients are the same set as `account`'s: read from
   * the workspace's open episodes (one query), then each candidate account and
   * alert (only those opened since `since`, so history costs nothing).
   */
  private async joiners(account: AccountRecord, since: number, nowMs: number): Promise<Claimable[]> {
    const ws = account.workspaceId;
    const keys = (await this.deps.store.alerts.workspaceOpenKeys(ws)).filter(
      (k) => k.accountId !== account.id && Date.parse(k.openedAt) >= since,
    );
    if (keys.length === 0) return [];
    const recipients = recipientSet(account);
    const out: Claimable[] = [];
    for (const accountId of new Set(keys.map((k) => k.accountId))) {
      const other = await this.deps.store.accounts.find(ws, accountId);
      if (!other || other.archivedAt || recipientSet(other) !== recipients) continue;
      for (const k of keys.filter((x) => x.accountId === accountId)) {
        const alert = await this.deps.store.alerts.find(ws, k.alertId);
        if (alert && notifyStanding(alert, nowMs, this.windowMs)?.free) out.push({ account: other, alert });
      }
    }
    return out;
  }
}
