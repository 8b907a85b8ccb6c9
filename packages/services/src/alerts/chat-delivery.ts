import { loggerOf } from '../logger.js';
import type { ChatDestination } from '@drumbeat/core';
import type { ServiceDeps } from '../deps.js';
import { chatPayload, type ChatAckLinks } from './chat-payloads.js';
import type { DigestGroup } from './digest-email.js';

/** Waits before each further attempt of a chat message (429 and 5xx and network errors); then it is given up and logged. */
export const CHAT_RETRY_MS: readonly number[] = [1_000, 5_000, 30_000];

/**
 * Sends the alerts an email round just sent to the accounts' chat
 * destinations: one message per destination (a digest when several accounts
 * share it), so the email's once-per-alert and digest rules hold here too.
 * It runs beside the email, never before it: `deliver` returns at once and
 * its retries wait on timers, so a slow or failing chat never holds an email.
 */
export class ChatDelivery {
  constructor(
    private readonly deps: ServiceDeps,
    private readonly retryMs: readonly number[] = CHAT_RETRY_MS,
    private readonly wait: (ms: number) => Promise<void> = (ms) => new Promise((r) => setTimeout(r, ms).unref?.()),
  ) {}

  /** The destinations of the groups' accounts, each with the groups it hears of. */
  static destinations(groups: DigestGroup[]): { dest: ChatDestination; groups: DigestGroup[] }[] {
    const out = new Map<string, { dest: ChatDestination; groups: DigestGroup[] }>();
    for (const g of groups) {
      for (const d of g.account.alerts?.chat ?? []) {
        const k = `${d.type} ${d.url}`;
        const e = out.get(k) ?? { dest: d, groups: [] };
        e.groups.push(g);
        out.set(k, e);
      }
    }
    return [...out.values()];
  }

  /**
   * Starts the sends and returns their settling (tests await it; the notifier does not).
   * `acksFor` signs each destination's own Acknowledge links (a link names who acted: here, the destination).
   */
  deliver(groups: DigestGroup[], acksFor?: (dest: ChatDestination) => Promise<ChatAckLinks>): Promise<void> {
    return Promise.all(
      ChatDelivery.destinations(groups).map(async (d) =>
        this.send(d.dest, d.groups, acksFor ? await acksFor(d.dest).catch(() => undefined) : undefined),
      ),
    ).then(() => undefined);
  }

  private async send(dest: ChatDestination, groups: DigestGroup[], acks?: ChatAckLinks): Promise<void> {
    const body = JSON.stringify(chatPayload(dest.type, groups, this.deps.publicUrl, acks));
    const alerts = groups.flatMap((g) => g.alerts.map((a) => a.id));
    for (let attempt = 0; ; attempt++) {
      let failure: string;
      try {
        const status = await this.post(dest.url, body);
        if (status >= 200 && status < 300) return;
        failure = `HTTP ${status}`;
        if (status !== 429 && status < 500) return this.giveUp(dest, alerts, failure);
      } catch (err) {
        failure = String(err);
        if ((err as { status?: number }).status === 422) return this.giveUp(dest, alerts, failure); // refused by the URL policy
      }
      const delay = this.retryMs[attempt];
      if (delay === undefined) return this.giveUp(dest, alerts, failure);
      await this.wait(delay);
    }
  }

  private async post(url: string, body: string): Promise<number> {
    if (this.deps.chatPost) return this.deps.chatPost(url, body);
    await this.deps.urlPolicy.check(url, 'alerts.chat.url');
    const res = await fetch(url, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body,
      redirect: 'manual',
      signal: AbortSignal.timeout(5_000),
    });
    await res.body?.cancel();
    return res.status;
  }

  private giveUp(dest: ChatDestination, alerts: string[], err: string): void {
    loggerOf(this.deps).error({ type: dest.type, host: new URL(dest.url).host, alerts, err }, 'chat alert not sent');
  }
}
