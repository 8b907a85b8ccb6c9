import { loggerOf } from './logger.js';
import {
  ChannelError,
  Conflict,
  invalidField,
  sha256,
  signedText,
  timerName,
  type AccountRecord,
  type ChannelConfig,
  type EventSink,
  type LedgerEntry,
  type PostRecord,
  type PublishResult,
  type TimerPayload,
  type VoiceRecord,
} from '@drumbeat/core';
import type { ServiceDeps } from './deps.js';
import type { LedgerDraft, LedgerService } from './ledger.js';
import { announce, event, postEventData } from './event-data.js';
import { sendManualReminder } from './manual-reminder.js';
import type { ActionLinks } from './action-links/index.js';
import type { AccountHooks } from './account-hooks.js';
import type { RecordCache } from './record-cache.js';
import { ChannelSessions } from './channel-sessions.js';
import { ChannelSecrets } from './sealing/channel-secrets.js';

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

/** Why the alert of a missed post opened. */
export const MISSED_REASON = 'missed: its time came while it was still awaiting approval';

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

  /** Told when an answer post (issue 18) is out, to mark its conversation answered (set by createServices). */
  answers?: {
    answerWentOut(ws: string, post: PostRecord, entry: LedgerEntry): Promise<void>;
    answerFailedForGood(ws: string, post: PostRecord, reason: string): Promise<void>;
  };

  constructor(
    private readonly deps: ServiceDeps,
    private readonly ledger: LedgerService,
    private readonly events: EventSink,
    private readonly hooks: AccountHooks,
    private readonly cache: RecordCache,
    private readonly opts: PublisherOptions,
    /** Signed links for the manual channel's reminder (Mark as published). */
    private readonly links?: ActionLinks,
  ) {
    this.sessions = new ChannelSessions(deps);
    this.secrets = new ChannelSecrets(deps.sealer);
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

  private async attempt(payload: { workspaceId: string; postId: string }): Promise<PublishOutcome> {
    const { workspaceId: ws, postId } = payload;
    const now = this.deps.clock.now();
    let post: Claimed | undefined = await this.deps.store.transitions.claim(
      ws,
      postId,
      now.toISOString(),
      this.opts.instanceId,
    );
    let recovering = false;
    if (!post) {
      const current = (await this.deps.store.posts.find(ws, postId)) as Claimed | undefined;
      if (!current) return 'nothing-to-do';
      if (current.status === 'pending_approval') return this.miss(current, now);
      if (current.status === 'scheduled' && current.retryAt && current.retryAt > now.toISOString()) {
        await this.arm(current, new Date(current.retryAt));
        return 'nothing-to-do';
      }
      if (
        current.status !== 'publishing' ||
        (current as { awaiting?: string }).awaiting === 'person' ||
        !this.stale(current, now)
      )
        return 'nothing-to-do';
      post = await this.deps.store.transitions.reclaim(
        ws,
        postId,
        current.claimedAt,
        now.toISOString(),
        this.opts.instanceId,
      );
      if (!post) return 'nothing-to-do';
      recovering = true;
    }
    // If this attempt dies between here and an outcome (a throw, a crash, a Lambda timeout), the
    // post would stay `publishing` with no timer left: Lambda's own retries come too early to find
    // the claim stale. So a timer comes back at the stale instant; every outcome replaces or cancels
    // it. (With a stale age of 0, the embedded runtime's, the fired timer itself stays until its
    // handler succeeds and retries with backoff: nothing to add.)
    if (this.opts.foreignClaimStaleMs > 0)
      await this.arm(post, new Date(now.getTime() + this.opts.foreignClaimStaleMs));
    // The claim is on disk before anything leaves: a store that lost it could call the channel again.
    await this.deps.durability?.flush();
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
    if (account.channel.type === 'manual') {
      // The reminder goes first: a mail failure retries like a channel failure
      // instead of leaving the post awaiting a person nobody told.
      try {
        await sendManualReminder(this.deps, post, account, voice, text, this.links);
      } catch (err) {
        const delay = this.opts.retryDelaysMs[post.attempts - 1];
        if (delay === undefined) throw err;
        const retryAt = new Date(this.deps.clock.now().getTime() + delay);
        await this.deps.store.transitions.retry(
          ws,
          post.id,
          retryAt.toISOString(),
          `reminder not sent: ${(err as Error).message}`,
          this.deps.clock.now().toISOString(),
        );
        await this.arm(post, retryAt);
        return 'retrying';
      }
      await this.deps.store.transitions.awaitingPerson(ws, post.id, now.toISOString());
      await this.disarmRecovery(post);
      return 'awaiting-person';
    }
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
        await this.deps.store.transitions.retry(
          ws,
          post.id,
          retryAt.toISOString(),
          err.message,
          this.deps.clock.now().toISOString(),
          unknown,
        );
        await this.arm(post, retryAt);
        return 'retrying';
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
      written ?? (await this.ledger.append(ws, await this.draft(post, account, voice, text, result.url, at)));
    const published = await this.deps.store.transitions.published(ws, post.id, {
      publishedAt: at.toISOString(),
      now: this.deps.clock.now().toISOString(),
      externalUrl: result.url,
      externalId: result.externalId,
      lateness: Math.max(0, at.getTime() - Date.parse(post.scheduledAt)),
    });
    await this.disarmRecovery(post);
    if (published)
      await announce(
        this.events,
        ws,
        event('post.published', at, {
          ...postEventData(published, account, voice, text),
          ledger: await this.ledgerData(ws, entry),
        }),
        loggerOf(this.deps),
      );
    await this.answered(ws, published ?? post, entry);
    await this.hooks.postsChanged(ws, account.id);
    return 'published';
  }

  /** An answer post is out: its conversation is answered (a failure here is logged; the publication stands). */
  private async answered(ws: string, post: PostRecord, entry: LedgerEntry): Promise<void> {
    if (!post.conversationId || !this.answers) return;
    try {
      await this.answers.answerWentOut(ws, post, entry);
    } catch (err) {
      loggerOf(this.deps).error({ workspace: ws, post: post.id, err: String(err) }, 'conversation not marked answered');
    }
  }

  /** An answer post ended without going out: its item awaits an answer again (a failure here is logged; a new reply repairs it). */
  private async unanswered(post: PostRecord, reason: string): Promise<void> {
    if (!post.conversationId || !this.answers) return;
    try {
      await this.answers.answerFailedForGood(post.workspaceId, post, reason);
    } catch (err) {
      loggerOf(this.deps).error(
        { workspace: post.workspaceId, post: post.id, err: String(err) },
        'conversation not put back after its answer failed',
      );
    }
  }

  /** What an answer's ledger entry says of the item it answers (absent for a post). */
  private async replyFields(post: PostRecord): Promise<Pick<LedgerDraft, 'kind' | 'answers'>> {
    if (!post.conversationId) return {};
    const c = await this.deps.store.conversations.find(post.workspaceId, post.conversationId);
    return {
      kind: 'reply',
      answers: {
        conversationId: post.conversationId,
        network: c?.network ?? '',
        externalId: c?.externalId ?? post.replyTo?.parent.externalId ?? '',
        url: c?.url ?? null,
        author: c?.author.handle ?? '',
      },
    };
  }

  /** The ledger draft of a publication. */
  async draft(
    post: PostRecord,
    account: AccountRecord,
    voice: VoiceRecord,
    text: string,
    url: string | undefined,
    at: Date,
  ): Promise<LedgerDraft> {
    return {
      ...(await this.replyFields(post)),
      postId: post.id,
      accountId: account.id,
      voice: {
        id: voice.id,
        name: voice.name,
        affiliation: voice.affiliation,
        organization: voice.organization ?? null,
      },
      approvedBy: post.approvals.map((a) => a.voiceId),
      approvals: post.approvals.map((a) => ({
        voiceId: a.voiceId,
        enteredBy: a.enteredBy ?? null,
        onBehalf: a.onBehalf ?? false,
      })),
      ...(post.source ? { source: post.source } : {}),
      ...(post.editSource ? { editSource: post.editSource } : {}),
      channel: account.channel.type,
      externalUrl: url ?? null,
      publishedAt: at.toISOString(),
      contentHash: await sha256(text),
    };
  }

  /**
   * A person says a manual-channel post is out (`POST /v1/posts/{id}/published`):
   * recorded like any publication, once. Early is fine; a future instant is not.
   */
  async recordManual(
    ws: string,
    id: string,
    input: { url?: string | undefined; publishedAt?: string | undefined },
    actor: { keyId: string; voiceId?: string | undefined },
  ): Promise<PostRecord> {
    const post = await this.deps.store.posts.get(ws, id);
    const account = await this.deps.store.accounts.get(ws, post.accountId);
    if (account.channel.type !== 'manual')
      throw new Conflict(
        `post ${id} goes out through the ${account.channel.type} channel; only manual posts are marked published by hand`,
      );
    if (post.status !== 'scheduled' && post.status !== 'publishing')
      throw new Conflict(
        `post ${id} is ${post.status}; only a scheduled post awaiting its person can be marked published`,
      );
    const now = this.deps.clock.now();
    const at = input.publishedAt ? new Date(input.publishedAt) : now;
    if (at > now) throw invalidField('publishedAt', 'cannot be in the future', 422);
    // Before the post existed it cannot have gone out: such a date would rewrite history (a ledger entry dated years back).
    if (at.getTime() < Date.parse(post.createdAt))
      throw invalidField('publishedAt', `cannot be before the post was created (${post.createdAt})`, 422);
    // One report wins the right to write the ledger; a report left half-done
    // (crash after the append) is taken over after a minute, reusing its entry.
    const staleBefore = new Date(now.getTime() - 60_000).toISOString();
    const claimed = await this.deps.store.transitions.claimRecording(ws, id, {
      now: now.toISOString(),
      staleBefore,
      publishedAt: at.toISOString(),
    });
    if (!claimed) throw new Conflict(`post ${id} is already being recorded as published`);
    const voice = await this.deps.store.voices.get(ws, post.voiceId);
    const text = signedText(post.text, account.disclosure, voice);
    const earlier = post.recordingPublishedAt
      ? await this.ledger.entryOf(ws, id, post.recordingPublishedAt)
      : undefined;
    const recordedBy = { keyId: actor.keyId, ...(actor.voiceId ? { voiceId: actor.voiceId } : {}) };
    const entry =
      earlier ??
      (await this.ledger.append(ws, {
        ...(await this.draft(post, account, voice, text, input.url, at)),
        recordedBy: { keyId: actor.keyId, voiceId: actor.voiceId ?? null },
      }));
    const published = await this.deps.store.transitions.published(
      ws,
      id,
      {
        publishedAt: entry.publishedAt,
        now: now.toISOString(),
        externalUrl: input.url,
        lateness: Math.max(0, at.getTime() - Date.parse(post.scheduledAt)),
        recordedBy,
      },
      ['publishing', 'scheduled'],
    );
    if (!published) throw new Conflict(`post ${id} changed meanwhile; read it again`);
    await this.deps.scheduler.cancel(timerName({ kind: 'publish', workspaceId: ws, postId: id }));
    await announce(
      this.events,
      ws,
      event('post.published', now, {
        ...postEventData(published, account, voice, text),
        ledger: await this.ledgerData(ws, entry),
      }),
      loggerOf(this.deps),
    );
    await this.answered(ws, published, entry);
    await this.hooks.postsChanged(ws, account.id);
    return published;
  }

  /**
   * What a `post.published` event says of the ledger: the post's entry and a
   * signed checkpoint at or after it, for receivers to keep (and audit with).
   */
  private async ledgerData(ws: string, entry: LedgerEntry) {
    const checkpoint = await this.ledger.checkpointFor(ws, entry.seq).catch(() => undefined);
    return { seq: entry.seq, hash: entry.hash, ...(checkpoint ? { checkpoint } : {}) };
  }

  private async fail(
    post: Claimed,
    account: AccountRecord | undefined,
    voice: VoiceRecord | undefined,
    reason: string,
  ): Promise<PublishOutcome> {
    const failed = await this.deps.store.transitions.failed(
      post.workspaceId,
      post.id,
      reason,
      this.deps.clock.now().toISOString(),
    );
    await this.disarmRecovery(post);
    if (failed && account)
      await announce(
        this.events,
        post.workspaceId,
        event('post.failed', this.deps.clock.now(), { ...postEventData(failed, account, voice), reason }),
        loggerOf(this.deps),
      );
    if (failed) {
      await this.unanswered(failed, reason);
      await this.hooks.publishFailed(post.workspaceId, failed, reason);
      await this.hooks.postsChanged(post.workspaceId, post.accountId);
    }
    return 'failed';
  }

  private async miss(post: PostRecord, now: Date): Promise<PublishOutcome> {
    const missed = await this.deps.store.transitions.missed(post.workspaceId, post.id, now.toISOString());
    if (!missed) return 'nothing-to-do';
    const account = await this.deps.store.accounts.find(post.workspaceId, post.accountId);
    if (account)
      await announce(
        this.events,
        post.workspaceId,
        event('post.missed', now, postEventData(missed, account, undefined)),
        loggerOf(this.deps),
      );
    // A missed post went out to nobody: it is a failed publication as far as people are concerned, so an alert opens.
    await this.unanswered(missed, MISSED_REASON);
    await this.hooks.publishFailed(post.workspaceId, missed, MISSED_REASON);
    await this.hooks.postsChanged(post.workspaceId, post.accountId);
    return 'missed';
  }

  /** A claim is abandoned once it is older than the stale age (one still running in this process is caught by `run`). */
  private stale(post: Claimed, now: Date): boolean {
    return now.getTime() - Date.parse(post.claimedAt) >= this.opts.foreignClaimStaleMs;
  }

  private async disarmRecovery(post: PostRecord): Promise<void> {
    if (this.opts.foreignClaimStaleMs > 0)
      await this.deps.scheduler.cancel(timerName({ kind: 'publish', workspaceId: post.workspaceId, postId: post.id }));
  }

  private arm(post: PostRecord, at: Date): Promise<void> {
    const payload: TimerPayload = { kind: 'publish', workspaceId: post.workspaceId, postId: post.id };
    return this.deps.scheduler.schedule({ name: timerName(payload), at, payload });
  }
}
