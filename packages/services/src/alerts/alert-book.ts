import { loggerOf } from '../logger.js';
import {
  alertDedupeKey,
  alertRule,
  detailsChanged,
  newId,
  toAccount,
  toAlert,
  toConversation,
  type AccountRecord,
  type AlertCondition,
  type AlertEffect,
  type AlertEvent,
  type AlertRecord,
  type EventSink,
  type NewAlert,
} from '@drumbeat/core';
import type { OpenAlertKey } from '@drumbeat/store';
import type { ServiceDeps } from '../deps.js';
import { announce, event } from '../event-data.js';

/** An open episode of an account: its key, and its alert unless an opening died before writing it. */
export interface OpenEpisode {
  key: OpenAlertKey;
  alert?: AlertRecord;
}

/** What one reconciliation changed, and every alert of the account still open after it. */
export interface Reconciled {
  opened: AlertRecord[];
  resolved: AlertRecord[];
  open: AlertRecord[];
}

/**
 * The write side of alerts: opens an alert once per episode (the dedupe key
 * is claimed by conditional write), refreshes its details when the problem
 * changes, resolves it when the problem clears, and announces `alert.opened`
 * and `alert.resolved` to webhook subscribers — each by the one caller whose
 * conditional write won.
 */
export class AlertBook {
  constructor(
    private readonly deps: ServiceDeps,
    private readonly events: EventSink,
  ) {}

  /** The account's open episodes; an episode whose alert was resolved but whose key stayed (a crash) is closed here. */
  async episodes(ws: string, accountId: string): Promise<OpenEpisode[]> {
    const out: OpenEpisode[] = [];
    for (const key of await this.deps.store.alerts.openKeys(ws, accountId)) {
      const alert = await this.deps.store.alerts.find(ws, key.alertId);
      if (alert?.resolvedAt) await this.deps.store.alerts.releaseKey(ws, key.dedupeKey, key.alertId);
      else out.push(alert ? { key, alert } : { key });
    }
    return out;
  }

  /**
   * Makes the account's alerts match `conditions`: opens or refreshes one alert
   * per condition, and resolves every open episode whose condition is gone.
   */
  async reconcile(
    account: AccountRecord,
    episodes: OpenEpisode[],
    conditions: AlertCondition[],
    now: Date,
  ): Promise<Reconciled> {
    const byKey = new Map(episodes.map((e) => [e.key.dedupeKey, e]));
    const result: Reconciled = { opened: [], resolved: [], open: [] };
    const seen = new Set<string>();
    for (const c of conditions) {
      const dk = alertDedupeKey(account.id, c.kind, c.postId ?? c.conversationId);
      if (seen.has(dk)) continue;
      seen.add(dk);
      const r = await this.raise(account, c, now, byKey.get(dk));
      if (r.opened) result.opened.push(r.alert);
      result.open.push(r.alert);
    }
    for (const e of episodes) {
      if (seen.has(e.key.dedupeKey)) continue;
      const resolved = await this.resolve(account, e, now);
      if (resolved) result.resolved.push(resolved);
    }
    return result;
  }

  /** Opens the alert of a condition, or refreshes the open one of its episode; `opened` is true only for the caller that opened it. */
  async raise(
    account: AccountRecord,
    c: AlertCondition,
    now: Date,
    known?: OpenEpisode,
    attempt = 0,
  ): Promise<{ alert: AlertRecord; opened: boolean }> {
    const ws = account.workspaceId;
    const dk = alertDedupeKey(account.id, c.kind, c.postId ?? c.conversationId);
    let episode = known;
    if (!episode) {
      const key: OpenAlertKey = {
        dedupeKey: dk,
        alertId: newId('alert', now.getTime()),
        accountId: account.id,
        kind: c.kind,
        openedAt: now.toISOString(),
        ...(c.postId ? { postId: c.postId } : {}),
      };
      const claim = await this.deps.store.alerts.claimKey(ws, key);
      if (claim.claimed) return this.write(account, key, c, now);
      if (attempt >= 3) throw new Error(`alert ${dk}: the episode keeps changing hands; try again`);
      if (!claim.holder) return this.raise(account, c, now, undefined, attempt + 1); // ended meanwhile
      const alert = await this.deps.store.alerts.find(ws, claim.holder.alertId);
      if (alert?.resolvedAt) {
        await this.deps.store.alerts.releaseKey(ws, dk, alert.id);
        return this.raise(account, c, now, undefined, attempt + 1);
      }
      episode = alert ? { key: claim.holder, alert } : { key: claim.holder };
    }
    // An opening that died between claiming the key and writing the alert is completed here, with the key's id.
    if (!episode.alert) return this.write(account, episode.key, c, now);
    const current = episode.alert;
    if (!detailsChanged(current, c.details)) return { alert: current, opened: false };
    const refreshed = await this.deps.store.alerts.apply(
      ws,
      current.id,
      { type: 'refresh', details: c.details, readVersion: current.version },
      now,
    );
    return { alert: refreshed ?? (await this.deps.store.alerts.get(ws, current.id)), opened: false };
  }

  /** Writes the alert of a claimed key and announces it; when another caller wrote it first, returns theirs unannounced. */
  private async write(
    account: AccountRecord,
    key: OpenAlertKey,
    c: AlertCondition,
    now: Date,
  ): Promise<{ alert: AlertRecord; opened: boolean }> {
    const ws = account.workspaceId;
    const open: AlertEvent = { type: 'open', alert: newAlert(account, key, c) };
    const record = await this.deps.store.alerts.apply(ws, key.alertId, open, now);
    if (!record) return { alert: await this.deps.store.alerts.get(ws, key.alertId), opened: false };
    for (const effect of alertRule(open, now).effects) await this.announce(account, record, effect, now);
    return { alert: record, opened: true };
  }

  private async announce(account: AccountRecord, alert: AlertRecord, effect: AlertEffect, now: Date): Promise<void> {
    if (effect.type !== 'announce') return;
    if (effect.event === 'conversation.overdue') return this.announceOverdue(account, alert, now);
    await announce(
      this.events,
      account.workspaceId,
      event(effect.event, now, { alert: toAlert(alert), account: toAccount(account) }),
      loggerOf(this.deps),
    );
  }

  /** Issue 18: an item past its response deadline is also announced as `conversation.overdue`, with the item as it stands. */
  private async announceOverdue(account: AccountRecord, alert: AlertRecord, now: Date): Promise<void> {
    const id = alert.details.conversationId;
    const c = typeof id === 'string' ? await this.deps.store.conversations.find(account.workspaceId, id) : undefined;
    if (!c) return;
    await announce(
      this.events,
      account.workspaceId,
      event('conversation.overdue', now, {
        conversation: toConversation(c),
        account: toAccount(account),
        alert: toAlert(alert),
      }),
      loggerOf(this.deps),
    );
  }

  /** Resolves an episode's alert (announcing it if this caller resolved it) and ends the episode. */
  async resolve(account: AccountRecord, e: OpenEpisode, now: Date): Promise<AlertRecord | undefined> {
    const ws = account.workspaceId;
    const rule = alertRule({ type: 'resolve' }, now);
    const resolved = e.alert ? await this.deps.store.alerts.apply(ws, e.alert.id, { type: 'resolve' }, now) : undefined;
    // The key goes even when this caller did not resolve the alert (or it was never written): the episode is over.
    for (const effect of rule.effects)
      if (effect.type === 'release-key') await this.deps.store.alerts.releaseKey(ws, e.key.dedupeKey, e.key.alertId);
      else if (resolved) await this.announce(account, resolved, effect, now);
    return resolved;
  }
}

/** The alert a claimed key opens: the key's id and instant, the condition's kind, post and details. */
function newAlert(account: AccountRecord, key: OpenAlertKey, c: AlertCondition): NewAlert {
  return {
    id: key.alertId,
    workspaceId: account.workspaceId,
    accountId: account.id,
    kind: c.kind,
    ...(c.postId ? { postId: c.postId } : {}),
    dedupeKey: key.dedupeKey,
    openedAt: key.openedAt,
    details: c.details,
  };
}
