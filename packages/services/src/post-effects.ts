import { loggerOf } from './logger.js';
import {
  timerName,
  type AccountRecord,
  type EventSink,
  type LedgerEntry,
  type PostEffect,
  type PostRecord,
  type TimerPayload,
  type VoiceRecord,
} from '@drumbeat/core';
import type { ServiceDeps } from './deps.js';
import type { AccountHooks, PostsChange } from './account-hooks.js';
import type { LedgerService } from './ledger.js';
import { announce, event, postEventData } from './event-data.js';

/** The conversation side of an answer post (issue 18), set by createServices. */
export interface AnswerHooks {
  answerWentOut?(ws: string, post: PostRecord, entry: LedgerEntry): Promise<void>;
  answerFailedForGood(ws: string, post: PostRecord, reason: string): Promise<void>;
}

/** What a transition's effects act on. */
export interface EffectScene {
  /** The post as stored after the change. */
  post: PostRecord;
  /** The post as read before it (the slot it held). */
  before?: PostRecord | undefined;
  /** When the change happened: the events' timestamp, the start of a claim. */
  at: Date;
  account?: AccountRecord | undefined;
  voice?: VoiceRecord | undefined;
  /** The text that went out (a publication's event carries it). */
  text?: string | undefined;
  /** A publication's ledger entry. */
  entry?: LedgerEntry | undefined;
  /** More for the announcement (a decision). */
  data?: Record<string, unknown> | undefined;
  /** What the watchdog needs to know of the change. */
  change?: PostsChange | undefined;
}

export interface PostEffectsOptions {
  /** After how long a claim counts as abandoned: its recovery timer's delay (0: no recovery timer). */
  recoveryMs?: number;
  /** For a publication's event: its ledger entry's checkpoint. */
  ledger?: LedgerService;
  answers: () => AnswerHooks | undefined;
}

/**
 * Carries out what the post lifecycle (`@drumbeat/core` postRule, reviewRule)
 * says follows a stored change: timers, slots, announcements, the
 * conversation of an answer, alerts, the watchdog. A failure to announce or
 * to update a conversation is logged, never thrown: the change has happened.
 */
export class PostEffects {
  constructor(
    private readonly deps: ServiceDeps,
    private readonly events: EventSink,
    private readonly hooks: AccountHooks,
    private readonly opts: PostEffectsOptions,
  ) {}

  /** Runs effects in order. */
  async run(effects: readonly PostEffect[], s: EffectScene): Promise<void> {
    for (const e of effects) await this.one(e, s);
  }

  private async one(e: PostEffect, s: EffectScene): Promise<void> {
    const { post } = s;
    const ws = post.workspaceId;
    const recoveryMs = this.opts.recoveryMs ?? 0;
    switch (e.do) {
      case 'flush':
        return this.deps.durability?.flush();
      case 'arm-recovery':
        // With no stale age (the embedded runtime), the fired timer itself stays until its handler succeeds.
        if (recoveryMs > 0) await this.arm(post, new Date(s.at.getTime() + recoveryMs));
        return;
      case 'disarm-recovery':
        if (recoveryMs > 0) await this.cancelTimer(post);
        return;
      case 'arm-timer':
        return this.arm(post, new Date(e.at));
      case 'cancel-timer':
        return this.cancelTimer(post);
      case 'release-slot': {
        const held = (s.before ?? post).slotAt;
        if (held && held !== e.keep) await this.deps.store.posts.releaseSlot(ws, post.accountId, held, post.id);
        return;
      }
      case 'announce':
        if (!s.account) return;
        return announce(
          this.events,
          ws,
          event(e.event, s.at, {
            ...postEventData(post, s.account, s.voice, s.text),
            ...(e.reason !== undefined ? { reason: e.reason } : {}),
            ...(s.entry ? { ledger: await this.ledgerData(ws, s.entry) } : {}),
            ...s.data,
          }),
          loggerOf(this.deps),
        );
      case 'mark-answered': {
        const answers = this.opts.answers();
        if (!post.conversationId || !answers?.answerWentOut || !s.entry) return;
        return answers
          .answerWentOut(ws, post, s.entry)
          .catch((err: unknown) => this.logError(post, err, 'conversation not marked answered'));
      }
      case 'reopen-conversation': {
        const answers = this.opts.answers();
        if (!post.conversationId || !answers) return;
        return answers
          .answerFailedForGood(ws, post, e.reason)
          .catch((err: unknown) => this.logError(post, err, 'conversation not put back'));
      }
      case 'open-alert':
        return this.hooks.publishFailed(ws, post, e.reason);
      case 'watchdog':
        return this.hooks.postsChanged(ws, post.accountId, s.change);
    }
  }

  /**
   * What a `post.published` event says of the ledger: the post's entry and a
   * signed checkpoint at or after it, for receivers to keep (and audit with).
   */
  private async ledgerData(ws: string, entry: LedgerEntry) {
    const checkpoint = await this.opts.ledger?.checkpointFor(ws, entry.seq).catch(() => undefined);
    return { seq: entry.seq, hash: entry.hash, ...(checkpoint ? { checkpoint } : {}) };
  }

  private logError(post: PostRecord, err: unknown, what: string): void {
    loggerOf(this.deps).error({ workspace: post.workspaceId, post: post.id, err: String(err) }, what);
  }

  private arm(post: PostRecord, at: Date): Promise<void> {
    const payload: TimerPayload = { kind: 'publish', workspaceId: post.workspaceId, postId: post.id };
    return this.deps.scheduler.schedule({ name: timerName(payload), at, payload });
  }

  private cancelTimer(post: PostRecord): Promise<void> {
    return this.deps.scheduler.cancel(timerName({ kind: 'publish', workspaceId: post.workspaceId, postId: post.id }));
  }
}
