import {
  ChannelError,
  decidePost,
  guardField,
  postRule,
  refusal,
  signedText,
  type AccountRecord,
  type ChannelConfig,
  type EventSink,
  type LedgerEntry,
  type PostRecord,
  type PostEffect,
  type PublishResult,
  type Rule,
  type VoiceRecord,
} from '@drumbeat/core';
import type { ServiceDeps } from './deps.js';
import type { LedgerService } from './ledger.js';
import { postEventData } from './event-data.js';
import { sendManualReminder } from './manual-reminder.js';
import type { ActionLinks } from './action-links/index.js';
import type { AccountHooks } from './account-hooks.js';
import type { RecordCache } from './record-cache.js';
import { ChannelSessions } from './channel-sessions.js';
import { ChannelSecrets } from './sealing/channel-secrets.js';
import { PostEffects, type AnswerHooks } from './post-effects.js';
import { ManualPublication } from './manual-publication.js';
import { publicationDraft } from './publication-draft.js';

export interface PublisherOptions {
  /** This process; a claim left by another instance can be taken over once stale. */
  instanceId: string;
  /** Delays before retrying a retryable channel failure, by attempt; attempts = delays + 1. */
  retryDelaysMs: number[];
  /** After how long another instance's unfinished claim counts as abandoned (0: at once, e.g. after a restart). */
  foreignClaimStaleMs: number;
}

export const DEFAULT_PUBLISHER_OPTIONS: Omit<PublisherOptions, 'instanceId'> = {
  retryDelaysMs: [10_000, 60_000, 5 * 60_000, 15 * 60_000],
  foreignClaimStaleMs: 15 * 60_000,
};

/** Why the alert of a missed post opened (the post lifecycle's). */
export { MISSED_REASON } from '@drumbeat/core';

export type PublishOutcome = 'published' | 'retrying' | 'failed' | 'missed' | 'awaiting-person' | 'nothing-to-do';

type Claimed = PostRecord & { attempts: number; claimedAt: string; claimedBy?: string };

/**
 * Publishes a post at its time, exactly once. The post is claimed by a
 * conditional update scheduled → publishing, so a duplicate or concurrent
 * delivery of its timer finds nothing to do. Channel calls carry the post id
 * as idempotency key, so the only retries that can reach a network twice
 * (after a timeout, or a crash mid-call) are ones the receiver de-duplicates.
 * The ledger entry is written before the post is marked published; recovery
 * looks for it first, so a crash between the two never double-posts or
 * double-records.
 */
export class Publisher {
  /** Posts whose publish is running in this process (a claim of ours not in here is abandoned: a crash, a throw). */
  private readonly inFlight = new Set<string>();
  private readonly sessions: ChannelSessions;
  private readonly secrets: ChannelSecrets;
  private readonly effects: PostEffects;
  private readonly manual: ManualPublication;

  constructor(
    private readonly deps: ServiceDeps,
    private readonly ledger: LedgerService,
    events: EventSink,
    hooks: AccountHooks,
    private readonly cache: RecordCache,
    private readonly opts: PublisherOptions,
    /** Signed links for the manual channel's reminder (Mark as published). */
    private readonly links?: ActionLinks,
    /** Told when an answer post (issue 18) is out or failed for good, to mark its conversation. */
    answers?: AnswerHooks,
  ) {
    this.sessions = new ChannelSessions(deps);
    this.secrets = new ChannelSecrets(deps.sealer);
    this.effects = new PostEffects(deps, events, hooks, {
      recoveryMs: opts.foreignClaimStaleMs,
      ledger,
      answers: () => answers,
    });
    this.manual = new ManualPublication(deps, ledger, this.effects);
  }

  /** Handles a publish timer. */
  async run(payload: { workspaceId: string; postId: string }): Promise<PublishOutcome> {
    const key = `${payload.workspaceId}/${payload.postId}`;
    if (this.inFlight.has(key)) return 'nothing-to-do';
    this.inFlight.add(key);
    try {
      return await this.attempt(payload);
    } finally {
      this.inFlight.delete(key);
    }
  }

  /**
   * Claims the post with one conditional write and no read (the post
   * lifecycle's claim); when that is refused, reads it to see why: its time
   * passed unapproved (missed), a retry is ahead (its timer armed again), or
   * another instance's claim was abandoned (taken over, reusing its
   * idempotency key). Anything else is nothing to do.
   */
  private async claim(
    ws: string,
    postId: string,
    now: Date,
  ): Promise<{ post: Claimed; recovering: boolean } | PublishOutcome> {
    const at = now.toISOString();
    const claim = postRule({ type: 'claim', by: this.opts.instanceId }, at);
    const claimed = await this.deps.store.posts.apply<Claimed>(ws, postId, claim);
    // If this attempt dies between here and an outcome (a throw, a crash, a Lambda timeout), the post would
    // stay `publishing` with no timer left: the claim's effects arm one at the stale instant (every outcome
    // replaces or cancels it), and flush the claim to disk before anything leaves.
    if (claimed) return this.claimedBy(claim.effects, claimed, now, false);
    const current = (await this.deps.store.posts.find(ws, postId)) as Claimed | undefined;
    if (!current) return 'nothing-to-do';
    if (decidePost(current, { type: 'miss' }, at).ok) return this.miss(current, now);
    const why = refusal(current, claim.when);
    if (why && guardField(why) === 'retryAt') {
      await this.effects.run([{ do: 'arm-timer', at: current.retryAt! }], { post: current, at: now });
      return 'nothing-to-do';
    }
    const staleBefore = new Date(now.getTime() - this.opts.foreignClaimStaleMs).toISOString();
    const reclaim = postRule(
      { type: 'reclaim', claimedAt: current.claimedAt ?? '', staleBefore, by: this.opts.instanceId },
      at,
    );
    // Refused in memory (not publishing, awaiting a person, still fresh): no write needed to know.
    if (refusal(current, reclaim.when)) return 'nothing-to-do';
    const post = await this.deps.store.posts.apply<Claimed>(ws, postId, reclaim);
    return post ? this.claimedBy(reclaim.effects, post, now, true) : 'nothing-to-do';
  }

  private async claimedBy(effects: Rule<PostEffect>['effects'], post: Claimed, now: Date, recovering: boolean) {
    await this.effects.run(effects, { post, at: now });
    return { post, recovering };
  }

  private async attempt(payload: { workspaceId: string; postId: string }): Promise<PublishOutcome> {
    const { workspaceId: ws, postId } = payload;
    const now = this.deps.clock.now();
    const claimed = await this.claim(ws, postId, now);
    if (typeof claimed === 'string') return claimed;
    const { post, recovering } = claimed;
    const { account, voice } = await this.cache.accountAndVoice(ws, post.accountId, post.voiceId);
    if (!account || !voice || account.archivedAt)
      return this.fail(
        post,
        account,
        voice,
        account?.archivedAt ? 'the account is archived' : 'the account or voice no longer exists',
      );
    // After an attempt whose answer was lost, every retry sends exactly what went out then.
    const text = post.sentText ?? signedText(post.text, account.disclosure, voice);
    if (recovering) {
      const entry = await this.ledger.entryOf(
        ws,
        post.id,
        new Date(Date.parse(post.scheduledAt) - 60_000).toISOString(),
      );
      if (entry)
        return this.finish(
          post,
          account,
          voice,
          text,
          { url: entry.externalUrl ?? undefined },
          new Date(entry.publishedAt),
          entry,
        );
    }
    if (account.channel.type === 'manual') return this.remind(post, account, voice, text, now);
    // The channel's secret is opened here, for this call only: the table and the caches hold it sealed.
    let channel: ChannelConfig;
    try {
      channel = await this.secrets.openChannel(ws, account.id, account.channel);
    } catch (err) {
      return this.fail(
        post,
        account,
        voice,
        `the channel's secret does not open with this sealing key (${(err as Error).message}); set the channel again`,
      );
    }
    try {
      const result = await this.deps.channelFor(channel).publish({
        workspaceId: ws,
        postId: post.id,
        idempotencyKey: post.id,
        text,
        media: post.media,
        scheduledAt: post.scheduledAt,
        channel,
        ...(account.language ? { language: account.language } : {}),
        ...(post.replyTo ? { replyTo: post.replyTo } : {}),
        session: this.sessions.for(ws, account.id),
        event: {
          type: 'post.publish',
          timestamp: now.toISOString(),
          data: { ...postEventData(post, account, voice, text), ...(post.replyTo ? { replyTo: post.replyTo } : {}) },
        },
      });
      return this.finish(post, account, voice, text, result, this.deps.clock.now());
    } catch (err) {
      if (!(err instanceof ChannelError)) throw err; // our fault: the timer retries and the stale claim is recovered
      const delay = this.opts.retryDelaysMs[post.attempts - 1];
      if (err.retryable && delay !== undefined) {
        const retryAt = new Date(this.deps.clock.now().getTime() + Math.max(delay, err.retryAfterMs ?? 0));
        const unknown = err.outcomeUnknown ? { at: now.toISOString(), text } : undefined;
        return this.retry(post, now, retryAt, err.message, unknown);
      }
      const mayBeLive = post.outcomeUnknownSince ?? (err.outcomeUnknown ? now.toISOString() : undefined);
      const caveat = mayBeLive
        ? `; the attempt of ${mayBeLive} may have gone through: check the network before posting again`
        : '';
      return this.fail(
        post,
        account,
        voice,
        `${err.message}${post.attempts > 1 ? ` (after ${post.attempts} attempts)` : ''}${caveat}`,
      );
    }
  }

  /**
   * A manual post: its person is reminded, then it awaits them. The reminder
   * goes first: a mail failure retries like a channel failure instead of
   * leaving the post awaiting a person nobody told.
   */
  private async remind(
    post: Claimed,
    account: AccountRecord,
    voice: VoiceRecord,
    text: string,
    now: Date,
  ): Promise<PublishOutcome> {
    try {
      await sendManualReminder(this.deps, post, account, voice, text, this.links);
    } catch (err) {
      const delay = this.opts.retryDelaysMs[post.attempts - 1];
      if (delay === undefined) throw err;
      const retryAt = new Date(this.deps.clock.now().getTime() + delay);
      return this.retry(post, now, retryAt, `reminder not sent: ${(err as Error).message}`);
    }
    await this.step(post, postRule({ type: 'awaitPerson' }, now.toISOString()), now);
    return 'awaiting-person';
  }

  /** Applies a rule to a post this instance holds the claim of, then runs its effects. */
  private async step(post: Claimed, rule: ReturnType<typeof postRule>, now: Date): Promise<void> {
    await this.deps.store.posts.apply(post.workspaceId, post.id, rule);
    await this.effects.run(rule.effects, { post, at: now });
  }

  /** publishing → scheduled again, its timer armed at `retryAt`. */
  private async retry(
    post: Claimed,
    now: Date,
    retryAt: Date,
    error: string,
    outcomeUnknown?: { at: string; text: string },
  ): Promise<PublishOutcome> {
    const event = { type: 'retry', retryAt: retryAt.toISOString(), error, outcomeUnknown } as const;
    await this.step(post, postRule(event, this.deps.clock.now().toISOString()), now);
    return 'retrying';
  }

  /**
   * Records a publication: the ledger entry, then the post's published state,
   * then the event. `written` is the entry when recovering one already written.
   */
  private async finish(
    post: Claimed,
    account: AccountRecord,
    voice: VoiceRecord,
    sent: string,
    result: PublishResult,
    at: Date,
    written?: LedgerEntry,
  ): Promise<PublishOutcome> {
    const ws = post.workspaceId;
    const text = result.liveText ?? sent; // what is live is what the ledger records
    const entry =
      written ??
      (await this.ledger.append(ws, await publicationDraft(this.deps, post, account, voice, text, result.url, at)));
    const rule = postRule(
      {
        type: 'published',
        by: 'channel',
        publishedAt: at.toISOString(),
        externalUrl: result.url,
        externalId: result.externalId,
        lateness: Math.max(0, at.getTime() - Date.parse(post.scheduledAt)),
      },
      this.deps.clock.now().toISOString(),
    );
    const published = await this.deps.store.posts.apply(ws, post.id, rule);
    // Refused, it was recorded already (by a recovery): nothing to announce twice; the rest is idempotent.
    const effects = published ? rule.effects : rule.effects.filter((e) => e.do !== 'announce');
    await this.effects.run(effects, { post: published ?? post, at, account, voice, text, entry });
    return 'published';
  }

  /** A person says a manual-channel post is out (`POST /v1/posts/{id}/published`): see ManualPublication. */
  recordManual(
    ws: string,
    id: string,
    input: { url?: string | undefined; publishedAt?: string | undefined },
    actor: { keyId: string; voiceId?: string | undefined },
  ): Promise<PostRecord> {
    return this.manual.record(ws, id, input, actor);
  }

  private async fail(
    post: Claimed,
    account: AccountRecord | undefined,
    voice: VoiceRecord | undefined,
    reason: string,
  ): Promise<PublishOutcome> {
    const rule = postRule({ type: 'fail', reason }, this.deps.clock.now().toISOString());
    const failed = await this.deps.store.posts.apply(post.workspaceId, post.id, rule);
    // Refused, the outcome is someone else's to report: only our recovery timer goes.
    const effects = failed ? rule.effects : rule.effects.filter((e) => e.do === 'disarm-recovery');
    await this.effects.run(effects, { post: failed ?? post, at: this.deps.clock.now(), account, voice });
    return 'failed';
  }

  private async miss(post: PostRecord, now: Date): Promise<PublishOutcome> {
    const rule = postRule({ type: 'miss' }, now.toISOString());
    const missed = await this.deps.store.posts.apply(post.workspaceId, post.id, rule);
    if (!missed) return 'nothing-to-do';
    const account = await this.deps.store.accounts.find(post.workspaceId, post.accountId);
    await this.effects.run(rule.effects, { post: missed, at: now, account });
    return 'missed';
  }
}
