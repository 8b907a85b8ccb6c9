import type { RecordPage as Page } from '@drumbeat/core';
import {
  Conflict,
  newId,
  newSigningSecret,
  toDelivery,
  toWebhook,
  type Delivery,
  type DomainEvent,
  type EventSink,
  type Webhook,
  type WebhookCreate,
  type WebhookCreated,
  type WebhookRecord,
} from '@drumbeat/core';
import type { ServiceDeps } from '../deps.js';
import { DeliveryRunner, type DeliverPayload } from './delivery-runner.js';
import type { AccountHooks } from '../account-hooks.js';
import { fanOut } from './fan-out.js';
import { SubscriptionCache } from './subscription-cache.js';
import { ChannelSecrets } from '../sealing/channel-secrets.js';

/** Most subscriptions a workspace may hold: bounds the work of one event. */
export const MAX_WEBHOOKS_PER_WORKSPACE = 25;

/**
 * Outbound webhooks: subscriptions (secret shown once), the event sink that
 * fans events out to them, and the `deliver` timer handler that sends each
 * delivery signed per Standard Webhooks, retrying on the standard schedule.
 */
export class WebhookService implements EventSink {
  private readonly cache: SubscriptionCache;
  private readonly runner: DeliveryRunner;
  private readonly secrets: ChannelSecrets;

  constructor(
    private readonly deps: ServiceDeps,
    hooks: AccountHooks,
    opts: { disableAfter?: number | undefined } = {},
  ) {
    this.cache = new SubscriptionCache(deps.clock);
    this.secrets = new ChannelSecrets(deps.sealer);
    this.runner = new DeliveryRunner(deps, (ws) => this.cache.invalidate(ws), hooks, opts.disableAfter);
  }

  private subscriptions(ws: string): Promise<WebhookRecord[]> {
    return this.cache.get(ws, () => this.deps.store.webhooks.all(ws));
  }

  /** Creates a subscription after checking its URL against the egress policy; its signing secret is returned here once. */
  async create(ws: string, input: WebhookCreate): Promise<WebhookCreated> {
    await this.deps.urlPolicy.check(input.url, 'url');
    if ((await this.deps.store.webhooks.all(ws)).length >= MAX_WEBHOOKS_PER_WORKSPACE) {
      throw new Conflict(
        `a workspace holds at most ${MAX_WEBHOOKS_PER_WORKSPACE} webhook subscriptions; remove one first`,
      );
    }
    const now = this.deps.clock.now();
    const record: WebhookRecord = {
      id: newId('webhook', now.getTime()),
      workspaceId: ws,
      url: input.url,
      events: input.events,
      ...(input.description !== undefined ? { description: input.description } : {}),
      secret: newSigningSecret(),
      createdAt: now.toISOString(),
      version: 1,
    };
    // The row holds the signing secret sealed; the caller gets it in clear once, here.
    await this.deps.store.webhooks.create(ws, await this.secrets.sealWebhook(record));
    this.cache.invalidate(ws);
    return { ...toWebhook(record), secret: record.secret };
  }

  /**
   * Seals the signing secret of a row written before sealing existed (the
   * embedded runtime's boot pass). False when there was nothing to seal or
   * the row changed meanwhile.
   */
  async sealStoredSecret(w: WebhookRecord): Promise<boolean> {
    if (!this.secrets.webhookInClear(w)) return false;
    try {
      await this.deps.store.webhooks.replace(
        w.workspaceId,
        await this.secrets.sealWebhook({ ...w, version: w.version + 1 }),
        w.version,
      );
    } catch (err) {
      if (err instanceof Conflict) return false;
      throw err;
    }
    this.cache.invalidate(w.workspaceId);
    return true;
  }

  /** A page of the workspace's subscriptions, oldest first, without secrets. */
  async list(ws: string, page: { limit: number; cursor?: string | undefined }): Promise<Page<Webhook>> {
    const r = await this.deps.store.webhooks.list(ws, page);
    return { items: r.items.map(toWebhook), nextCursor: r.nextCursor };
  }

  /** Deletes a subscription; deliveries still pending for it fail without being sent. NotFound when absent. */
  async remove(ws: string, id: string): Promise<void> {
    await this.deps.store.webhooks.remove(ws, id);
    this.cache.invalidate(ws);
  }

  /** A page of a subscription's deliveries, newest first. NotFound for another workspace's subscription. */
  async deliveries(
    ws: string,
    webhookId: string,
    page: { limit: number; cursor?: string | undefined },
  ): Promise<Page<Delivery>> {
    await this.deps.store.webhooks.get(ws, webhookId);
    const r = await this.deps.store.deliveries.listByWebhook(ws, webhookId, { ...page, now: this.deps.clock.now() });
    return { items: r.items.map(toDelivery), nextCursor: r.nextCursor };
  }

  /** Queues `event` for every enabled subscription of the workspace that wants it; never waits on a receiver. */
  async emit(ws: string, event: DomainEvent): Promise<void> {
    await fanOut(this.deps, await this.subscriptions(ws), ws, event);
  }

  /** The `deliver` timer handler: one attempt of one delivery, idempotent under repeated firing. */
  deliver(payload: DeliverPayload): Promise<void> {
    return this.runner.run(payload);
  }
}
