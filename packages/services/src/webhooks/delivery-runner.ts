import { loggerOf } from '../logger.js';
import {
  Conflict,
  toDelivery,
  toWebhook,
  type DeliveryAttempt,
  type DeliveryRecord,
  type TimerPayload,
  type WebhookAttempt,
  type WebhookRecord,
} from '@drumbeat/core';
import type { ServiceDeps } from '../deps.js';
import { nextStep } from './retry-plan.js';
import type { AccountHooks } from '../account-hooks.js';
import { event } from '../event-data.js';
import { fanOut } from './fan-out.js';
import { deliveryTimer } from './delivery-timer.js';
import { ChannelSecrets } from '../sealing/channel-secrets.js';

/** Which delivery a `deliver` timer (or a queue message) names. */
export type DeliverPayload = Pick<Extract<TimerPayload, { kind: 'deliver' }>, 'workspaceId' | 'deliveryId'>;

/** After how many deliveries in a row exhaust their retries a subscription is disabled, by default (Svix disables a failing endpoint too). */
export const DEFAULT_DISABLE_AFTER = 5;

/** How long one attempt holds its claim: well beyond any sender timeout. */
export const DELIVERY_CLAIM_MS = 60_000;

/**
 * Runs one firing of a `deliver` timer. Timers fire at least once, so every
 * step is guarded: a delivery no longer pending is left alone; one fired
 * early (a late duplicate of an earlier firing) or held by an attempt in
 * progress is re-armed for when it may go; otherwise the attempt is claimed
 * by a conditional write before sending, so two firings never both send.
 */
export class DeliveryRunner {
  private readonly secrets: ChannelSecrets;

  constructor(
    private readonly deps: ServiceDeps,
    /** Called when a subscription is disabled, to drop cached copies. */
    private readonly onDisabled: (workspaceId: string) => void,
    private readonly hooks: AccountHooks,
    /** Deliveries in a row that may exhaust their retries before the subscription is disabled. */
    private readonly disableAfter = DEFAULT_DISABLE_AFTER,
  ) {
    this.secrets = new ChannelSecrets(deps.sealer);
  }

  /** Attempts the delivery once if it is due, and records what follows. */
  async run(p: DeliverPayload): Promise<void> {
    const { store, clock } = this.deps;
    const d = await store.deliveries.find(p.workspaceId, p.deliveryId);
    if (d?.status !== 'pending') return;
    const now = clock.now();
    const notBefore = Math.max(Date.parse(d.claimedUntil ?? '') || 0, Date.parse(d.nextAttemptAt ?? '') || 0);
    if (notBefore > now.getTime()) return this.arm(d, new Date(notBefore));

    const webhook = await store.webhooks.find(d.workspaceId, d.webhookId);
    if (!webhook) return this.giveUp(d, 'the subscription was deleted');
    if (webhook.disabledAt)
      return this.giveUp(d, `the subscription is disabled: ${webhook.disabledReason ?? 'no reason given'}`);

    const claimed: DeliveryRecord = {
      ...d,
      claimedUntil: new Date(now.getTime() + DELIVERY_CLAIM_MS).toISOString(),
      updatedAt: now.toISOString(),
      version: d.version + 1,
    };
    try {
      await store.deliveries.replace(claimed, d.version);
    } catch (err) {
      // Another firing claimed it: look again once its claim could have lapsed.
      if (err instanceof Conflict) return this.arm(d, new Date(now.getTime() + DELIVERY_CLAIM_MS));
      throw err;
    }

    // Opened for this signature only; a secret that no longer opens (another sealing key) is a failed attempt, not retried.
    const secret = await this.secrets.webhookSecret(webhook).catch(() => undefined);
    const result: WebhookAttempt =
      secret === undefined
        ? {
            ok: false,
            retryable: false,
            error: 'the signing secret does not open with this sealing key; create the subscription again',
            durationMs: 0,
          }
        : await this.deps.webhookSender.send({ url: webhook.url, secret, msgId: d.msgId, event: d.event });
    const attempt: DeliveryAttempt = {
      at: now.toISOString(),
      ...(result.status !== undefined ? { status: result.status } : {}),
      ...(result.ok ? {} : { error: result.error ?? `HTTP ${result.status ?? '?'}` }),
      durationMs: result.durationMs,
    };
    const after = clock.now();
    const { claimedUntil: _c, nextAttemptAt: _n, ...rest } = claimed;
    const next: DeliveryRecord = {
      ...rest,
      attempts: [...d.attempts, attempt],
      updatedAt: after.toISOString(),
      version: claimed.version + 1,
    };
    const step = nextStep(next.attempts.length, result);
    switch (step.kind) {
      case 'delivered':
        next.status = 'delivered';
        if (webhook.failedDeliveries) {
          await store.webhooks.clearExhausted(d.workspaceId, webhook.id);
          this.onDisabled(d.workspaceId);
          await this.hooks.webhookChanged(d.workspaceId, webhook.id, undefined);
        }
        break;
      case 'gone':
        await store.webhooks.disable(d.workspaceId, webhook.id, after.toISOString(), 'the receiver answered 410 Gone');
        this.onDisabled(d.workspaceId);
        next.status = 'failed';
        next.failure = 'the receiver answered 410 Gone; the subscription is disabled';
        break;
      case 'exhausted':
        next.status = 'failed';
        next.failure = `gave up after ${next.attempts.length} attempts`;
        break;
      case 'retry':
        next.nextAttemptAt = new Date(after.getTime() + step.delayMs).toISOString();
        break;
    }
    await store.deliveries.replace(next, claimed.version);
    if (next.nextAttemptAt) await this.arm(next, new Date(next.nextAttemptAt));
    if (step.kind === 'exhausted') await this.exhausted(next, webhook);
  }

  /**
   * A delivery gave up: counted on the subscription, which is disabled once
   * `disableAfter` deliveries in a row gave up; a `webhook.exhausted` event
   * goes to the workspace's other subscriptions, and the account the event
   * was about gets a webhook_failing alert (emailed like any other).
   */
  private async exhausted(d: DeliveryRecord, webhook: WebhookRecord): Promise<void> {
    const { store, clock } = this.deps;
    const ws = d.workspaceId;
    const failed = await store.webhooks.noteExhausted(ws, webhook.id);
    if (failed === undefined) return; // deleted meanwhile
    const now = clock.now();
    if (failed >= this.disableAfter) {
      await store.webhooks.disable(
        ws,
        webhook.id,
        now.toISOString(),
        `${failed} deliveries in a row failed every retry`,
      );
    }
    this.onDisabled(ws);
    const current = (await store.webhooks.find(ws, webhook.id)) ?? { ...webhook, failedDeliveries: failed };
    const others = (await store.webhooks.all(ws)).filter((w) => w.id !== webhook.id);
    const data = {
      webhook: toWebhook(current),
      delivery: toDelivery(d),
      failedDeliveries: failed,
      disabled: current.disabledAt !== undefined,
    };
    try {
      await fanOut(this.deps, others, ws, event('webhook.exhausted', now, data));
    } catch (err) {
      loggerOf(this.deps).error({ type: 'webhook.exhausted', workspace: ws, err: String(err) }, 'event not queued');
    }
    await this.hooks.webhookChanged(ws, webhook.id, accountOf(d));
  }

  private async arm(d: DeliveryRecord, at: Date): Promise<void> {
    await this.deps.scheduler.schedule(deliveryTimer(d, at));
  }

  /** Marks a delivery failed without sending it. */
  private async giveUp(d: DeliveryRecord, failure: string): Promise<void> {
    const { claimedUntil: _c, nextAttemptAt: _n, ...rest } = d;
    const now = this.deps.clock.now().toISOString();
    await this.deps.store.deliveries.replace(
      { ...rest, status: 'failed', failure, updatedAt: now, version: d.version + 1 },
      d.version,
    );
  }
}

/** The account an event is about (post and alert events carry it), if any. */
function accountOf(d: DeliveryRecord): string | undefined {
  const data = d.event.data as {
    account?: { id?: unknown };
    post?: { accountId?: unknown };
    alert?: { accountId?: unknown };
  };
  const id = data.account?.id ?? data.post?.accountId ?? data.alert?.accountId;
  return typeof id === 'string' ? id : undefined;
}
