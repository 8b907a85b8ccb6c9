import {
  bounceCondition,
  failureCondition,
  listeningCondition,
  mergeBounces,
  timerName,
  watch,
  watchPolicy,
  webhookCondition,
  type AccountRecord,
  type AlertCondition,
  type MailBounce,
  type PostRecord,
  type TimerPayload,
} from '@drumbeat/core';
import { normalizeAddress } from '@drumbeat/store';
import { accountsUsing, bouncesStillUsed, type MailReport } from './mail-bounces.js';
import type { ServiceDeps } from '../deps.js';
import type { AccountHooks } from '../account-hooks.js';
import type { AlertBook, OpenEpisode } from '../alerts/alert-book.js';
import type { AlertNotifier } from '../alerts/alert-notifier.js';
import { KeyedSerial } from './keyed-serial.js';
import { WATCHED_CACHE_MS, WatchedAccounts } from './watched-accounts.js';
import { readWatchInput } from './watch-input.js';
import { MISSED_REASON } from '../publisher.js';

/** What a `watchdog` timer carries. */
export type WatchdogPayload = Extract<TimerPayload, { kind: 'watchdog' }>;

/** What one evaluation of an account found and did. */
export interface WatchdogOutcome {
  accountId: string;
  /** False when the account asks for no watching (no cadence rule, no SLA, archived or gone). */
  watched: boolean;
  /** Alert ids opened, resolved and emailed by this evaluation (emailed: with the other accounts' alerts its digest took), and how many are open after it. */
  opened: string[];
  resolved: string[];
  notified: string[];
  open: number;
  /** The timer's new due instant; null when it was cancelled (nothing is due). */
  next: string | null;
}

/**
 * The cadence watchdog, deadline-driven: each account with something to watch
 * has one timer, `watchdog-<accountId>`, at the next instant its alerts can
 * change by time alone (lapse, empty slots entering or leaving the lookahead,
 * an approval running past its SLA, an email to retry). Each evaluation reads
 * the account, reconciles its alerts, emails the new ones and re-arms the
 * timer, or cancels it when nothing is due. A new alert's email waits a short
 * gathering window, so alerts of the workspace that open together go out as
 * one digest (see AlertNotifier). Nothing sweeps: an account with
 * nothing due costs no read and no invocation. Evaluations of one account in
 * one process run one at a time, coalesced.
 */
export class WatchdogService {
  private readonly serial = new KeyedSerial<WatchdogOutcome>();
  /** Which accounts need no evaluation when their posts change (per process). */
  readonly watched: WatchedAccounts;
  /** What the planning and publishing use-cases call (set as the `LateHooks` target). */
  readonly hooks: AccountHooks;

  constructor(
    private readonly deps: ServiceDeps,
    private readonly book: AlertBook,
    private readonly notifier: AlertNotifier,
  ) {
    // The only writer (embedded runtime) sees every account change, so its note never goes stale.
    this.watched = new WatchedAccounts(deps.clock, deps.singleWriter ? Infinity : WATCHED_CACHE_MS);
    this.hooks = {
      accountChanged: async (ws, accountId) => {
        this.watched.forget(ws, accountId);
        await this.evaluate(ws, accountId);
      },
      postsChanged: async (ws, accountId, change) => {
        // A scheduled post off every slot fills no slot and publishes nothing: no check can change by it.
        if (change?.offSlot || this.watched.get(ws, accountId) === false) return;
        await this.serial.run(`${ws}/${accountId}`, () => this.check(ws, accountId, 'posts'));
      },
      publishFailed: (ws, post, reason) => this.publishFailed(ws, post, reason),
      webhookChanged: (ws, webhookId, accountId) => this.webhookChanged(ws, webhookId, accountId),
      emailsChanged: (ws) => this.emailsChanged(ws),
    };
  }

  /**
   * Settles when the chat posts of the last alert round (and their retries) are done, or after `maxMs`.
   * Lambda freezes a container once its handler returns, so the watchdog function waits here first.
   */
  chatSettled(maxMs: number): Promise<void> {
    let timer: ReturnType<typeof setTimeout> | undefined;
    const cap = new Promise<void>((r) => (timer = setTimeout(r, maxMs)));
    return Promise.race([this.notifier.lastChat, cap]).finally(() => clearTimeout(timer));
  }

  /** The `watchdog` timer handler: evaluates the account the timer names, emails its new alerts and re-arms it. Idempotent. */
  run(payload: WatchdogPayload): Promise<WatchdogOutcome> {
    return this.serial.run(`${payload.workspaceId}/${payload.accountId}`, () =>
      this.check(payload.workspaceId, payload.accountId, 'timer'),
    );
  }

  /**
   * Evaluates an account now, as a change requires: its alerts opened,
   * refreshed or resolved, its timer armed at the next deadline or cancelled.
   * Email is left to the timer (armed for when some is due: the end of a new
   * alert's gathering window, a retry), so a request that changed the account
   * never waits on a mail server.
   */
  evaluate(ws: string, accountId: string): Promise<WatchdogOutcome> {
    return this.serial.run(`${ws}/${accountId}`, () => this.check(ws, accountId, 'account'));
  }

  /** Opens the publish_failed alert of a post that failed for good, then evaluates its account (which emails it). */
  async publishFailed(ws: string, post: PostRecord, reason: string): Promise<void> {
    const account = await this.deps.store.accounts.find(ws, post.accountId);
    if (!account) return;
    await this.book.raise(account, failureCondition(post, reason, account.timezone), this.deps.clock.now());
    this.watched.set(ws, account.id, true);
    await this.evaluate(ws, account.id);
  }

  /**
   * The account's listening started or stopped failing (issue 18): while its
   * listen state says the network refuses it, listening_failed opens (once:
   * the episode's key) and is emailed by the evaluation; once a poll works
   * again, the evaluation resolves it.
   */
  async listeningChanged(ws: string, accountId: string): Promise<void> {
    const account = await this.deps.store.accounts.find(ws, accountId);
    if (!account) return;
    const condition = await this.listeningFailure(account);
    if (condition) {
      await this.book.raise(account, condition, this.deps.clock.now());
      this.watched.set(ws, account.id, true);
    }
    await this.evaluate(ws, account.id);
  }

  /** The listening_failed condition while the account listens and its polls are refused; null otherwise. */
  private async listeningFailure(account: {
    workspaceId: string;
    id: string;
    listening?: { enabled: boolean };
    archivedAt?: string;
  }): Promise<AlertCondition | null> {
    if (!account.listening?.enabled || account.archivedAt) return null;
    const state = await this.deps.store.listenStates.get(account.workspaceId, account.id);
    return state?.failingSince
      ? listeningCondition(state.lastError ?? 'the network refused the poll', state.failingSince, state.nextPollAt)
      : null;
  }

  /**
   * A subscription gave up delivering an event of `accountId`: its
   * webhook_failing alert opens (and is emailed by the evaluation). Or it
   * delivered again: every account with such an alert is evaluated, which
   * resolves them.
   */
  async webhookChanged(ws: string, webhookId: string, accountId: string | undefined): Promise<void> {
    const webhook = await this.deps.store.webhooks.find(ws, webhookId);
    if (accountId && webhook?.failedDeliveries) {
      const account = await this.deps.store.accounts.find(ws, accountId);
      if (!account) return;
      await this.book.raise(account, webhookCondition(webhook), this.deps.clock.now());
      this.watched.set(ws, account.id, true);
      await this.evaluate(ws, account.id);
      return;
    }
    const failing = (await this.deps.store.alerts.workspaceOpenKeys(ws)).filter((k) => k.kind === 'webhook_failing');
    for (const accountId of new Set(failing.map((k) => k.accountId))) await this.evaluate(ws, accountId);
  }

  /**
   * SES reported that mail to an address bounced for good or was marked as
   * spam (it is suppressed already): every live account using it (alert
   * emails, an approver's address) gets an email_bounced alert naming it, or
   * its open one gains the address. Then the account's watchdog timer is
   * armed for now, so the watchdog function emails and posts it like any
   * alert (this path itself sends nothing and reads no posts). Idempotent:
   * a repeated report changes nothing. Returns the accounts alerted.
   */
  async mailProblem(
    report: MailReport,
  ): Promise<{ workspaceId: string; accountId: string; alertId: string; opened: boolean }[]> {
    const out: { workspaceId: string; accountId: string; alertId: string; opened: boolean }[] = [];
    const now = this.deps.clock.now();
    for (const { account, use } of await accountsUsing(this.deps.store, report.address)) {
      const ws = account.workspaceId;
      const key = (await this.deps.store.alerts.openKeys(ws, account.id)).find((k) => k.kind === 'email_bounced');
      const open = key ? await this.deps.store.alerts.find(ws, key.alertId) : undefined;
      const earlier = open && !open.resolvedAt && !open.ackedAt ? (open.details.bounces ?? []) : [];
      const reported: MailBounce = {
        address: normalizeAddress(report.address),
        event: report.event,
        detail: report.detail,
        reportedAt: report.reportedAt,
        ...use,
      };
      const condition = bounceCondition(mergeBounces(earlier, [reported]));
      const r = await this.book.raise(
        account,
        condition,
        now,
        key && open && !open.resolvedAt ? { key, alert: open } : undefined,
      );
      out.push({ workspaceId: ws, accountId: account.id, alertId: r.alert.id, opened: r.opened });
      const payload: WatchdogPayload = { kind: 'watchdog', workspaceId: ws, accountId: account.id };
      await this.deps.scheduler.schedule({ name: timerName(payload), at: now, payload });
    }
    return out;
  }

  /** A voice's address changed or the voice went: the accounts with an email_bounced alert are evaluated (which resolves those no longer using the address). */
  async emailsChanged(ws: string): Promise<void> {
    const bounced = (await this.deps.store.alerts.workspaceOpenKeys(ws)).filter((k) => k.kind === 'email_bounced');
    for (const accountId of new Set(bounced.map((k) => k.accountId))) await this.evaluate(ws, accountId);
  }

  /**
   * One evaluation; evaluations of one account in this process run one at a
   * time (a call arriving meanwhile shares the next run, whatever its kind:
   * a timer run that lands on a change's run finds its email due now and
   * fires again). Only the timer sends email. A change of posts on an
   * account that asks for no watching and has no alert leaves the timer
   * alone: it can have none (only an account change or an alert arms one).
   */
  private async check(ws: string, accountId: string, from: 'timer' | 'account' | 'posts'): Promise<WatchdogOutcome> {
    const send = from === 'timer';
    const now = this.deps.clock.now();
    const payload: WatchdogPayload = { kind: 'watchdog', workspaceId: ws, accountId };
    const name = timerName(payload);
    const account = await this.deps.store.accounts.find(ws, accountId);
    if (!account) {
      await this.deps.scheduler.cancel(name);
      this.watched.set(ws, accountId, false);
      return { accountId, watched: false, opened: [], resolved: [], notified: [], open: 0, next: null };
    }
    const policy = watchPolicy(account);
    const episodes = await this.book.episodes(ws, accountId);
    const verdict = policy
      ? watch(await readWatchInput(this.deps.store, account, policy, now))
      : { conditions: [], next: null };
    // An archived account publishes nothing more: every alert of it resolves, failed posts included.
    const conditions = account.archivedAt
      ? []
      : [...verdict.conditions, ...(await this.failures(ws, episodes, account.timezone, account))];
    const r = await this.book.reconcile(account, episodes, conditions, now);
    const mail = send
      ? await this.notifier.notify(account, r.open)
      : { sent: [], next: this.notifier.dueAt(account, r.open) };
    const times = [verdict.next, mail.next].filter((d): d is Date => d !== null).map((d) => d.getTime());
    const next = times.length ? new Date(Math.min(...times)) : null;
    if (next) await this.deps.scheduler.schedule({ name, at: next, payload });
    else if (from !== 'posts' || policy !== null || episodes.length > 0) await this.deps.scheduler.cancel(name);
    this.watched.set(ws, accountId, policy !== null || r.open.length > 0);
    return {
      accountId,
      watched: policy !== null,
      opened: r.opened.map((a) => a.id),
      resolved: r.resolved.map((a) => a.id),
      notified: mail.sent.map((a) => a.id),
      open: r.open.length,
      next: next?.toISOString() ?? null,
    };
  }

  /**
   * The publish_failed conditions that still hold (open episodes whose post is
   * still failed or missed: republished or canceled ones clear), and the
   * webhook_failing one while its subscription still fails (a delivered event
   * or deleting the subscription clears it), and the email_bounced one while
   * the account still uses a reported address and nobody acknowledged it.
   */
  private async failures(
    ws: string,
    episodes: OpenEpisode[],
    timezone: string,
    account: AccountRecord,
  ): Promise<AlertCondition[]> {
    const out: AlertCondition[] = [];
    for (const e of episodes) {
      if (e.key.kind === 'email_bounced') {
        // Acknowledged: someone knows; otherwise it holds while the account still uses one of the addresses.
        const still =
          e.alert && !e.alert.ackedAt
            ? await bouncesStillUsed(this.deps.store, account, e.alert.details.bounces ?? [])
            : undefined;
        if (still) out.push(still);
        continue;
      }
      if (e.key.kind === 'webhook_failing') {
        const webhook = e.alert?.details.webhookId
          ? await this.deps.store.webhooks.find(ws, e.alert.details.webhookId)
          : undefined;
        if (webhook?.failedDeliveries) out.push(webhookCondition(webhook));
        continue;
      }
      if (e.key.kind === 'listening_failed') {
        const account = await this.deps.store.accounts.find(ws, e.key.accountId);
        const c = account ? await this.listeningFailure(account) : null;
        if (c) out.push(c);
        continue;
      }
      if (e.key.kind !== 'publish_failed' || !e.key.postId) continue;
      const post = await this.deps.store.posts.find(ws, e.key.postId);
      if (post?.status === 'failed')
        out.push(failureCondition(post, post.failure ?? e.alert?.details.reason ?? 'the channel refused it', timezone));
      if (post?.status === 'missed') out.push(failureCondition(post, MISSED_REASON, timezone));
    }
    return out;
  }
}
