import type { Logger, PostRecord } from '@drumbeat/core';

/**
 * What the planning and publishing use-cases tell the cadence watchdog and
 * the alerts about. Each call comes after the change is stored; a hook that
 * fails is logged and never fails the change itself.
 */
export interface AccountHooks {
  /** An account was created, or its cadence, approval policy or alert settings changed. */
  accountChanged(ws: string, accountId: string): Promise<void>;
  /**
   * Posts of an account changed: created, edited, rescheduled, canceled,
   * approved, published, failed or missed. `offSlot`: every post changed was
   * and is scheduled (neither pending approval nor published) at an instant
   * that is none of the cadence's slots, so no alert can change by it.
   */
  postsChanged(ws: string, accountId: string, change?: PostsChange): Promise<void>;
  /** A post failed to publish for good. */
  publishFailed(ws: string, post: PostRecord, reason: string): Promise<void>;
  /** A webhook subscription gave up delivering an event of this account (or, `accountId` undefined, of none), or delivered one again after such failures. */
  webhookChanged(ws: string, webhookId: string, accountId: string | undefined): Promise<void>;
  /** A voice's address changed (or the voice went): the accounts with an email_bounced alert are checked again. */
  emailsChanged(ws: string): Promise<void>;
}

/** What a use-case knows of a change of posts (see AccountHooks.postsChanged). */
export interface PostsChange {
  offSlot: boolean;
}

/** Hooks that do nothing. */
export const noHooks: AccountHooks = {
  accountChanged: async () => {},
  postsChanged: async () => {},
  publishFailed: async () => {},
  webhookChanged: async () => {},
  emailsChanged: async () => {},
};

/**
 * Hooks whose target is found when a hook is called, not when the services
 * that call them are built: the watchdog and listening need those services
 * too, and a request that changes nothing they watch never builds (nor, on
 * Lambda, loads) them.
 */
export class LateHooks implements AccountHooks {
  constructor(
    private readonly log: Logger,
    private readonly target: () => Promise<AccountHooks> = async () => noHooks,
  ) {}
  private guard(what: string, f: (target: AccountHooks) => Promise<void>): Promise<void> {
    return this.target()
      .then(f)
      .catch((err) => this.log.error({ hook: what, err: String(err) }, `hook ${what} failed`));
  }
  accountChanged(ws: string, accountId: string) {
    return this.guard('accountChanged', (t) => t.accountChanged(ws, accountId));
  }
  postsChanged(ws: string, accountId: string, change?: PostsChange) {
    return this.guard('postsChanged', (t) => t.postsChanged(ws, accountId, change));
  }
  publishFailed(ws: string, post: PostRecord, reason: string) {
    return this.guard('publishFailed', (t) => t.publishFailed(ws, post, reason));
  }
  webhookChanged(ws: string, webhookId: string, accountId: string | undefined) {
    return this.guard('webhookChanged', (t) => t.webhookChanged(ws, webhookId, accountId));
  }
  emailsChanged(ws: string) {
    return this.guard('emailsChanged', (t) => t.emailsChanged(ws));
  }
}
