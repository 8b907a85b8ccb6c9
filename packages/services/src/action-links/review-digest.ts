import type { ReviewDigestRecord } from '@drumbeat/core';
import { loggerOf } from '../logger.js';
import { Conflict, Forbidden, timerName, type TimerPayload, type VoiceRecord } from '@drumbeat/core';
import type { ServiceDeps } from '../deps.js';
import { hostOf } from '../alerts/alert-email.js';
import type { ActionLinks } from './action-links.js';
import { reviewEmail, type ReviewItem } from './review-email.js';

/** How long an approver's first waiting post waits for others to join it in one email. */
export const REVIEW_DIGEST_WINDOW_MS = 3 * 60_000;
/** A sending round that has not finished after this long is taken over (its process died), with the same Message-ID. */
export const REVIEW_CLAIM_STALE_MS = 2 * 60_000;
/** When a failed send is tried again; after the last, that round's posts are given up (they stay on the approver's overview). */
export const REVIEW_RETRY_MS = [60_000, 5 * 60_000, 15 * 60_000];

/** What a `review-digest` timer carries. */
export type ReviewDigestPayload = Extract<TimerPayload, { kind: 'review-digest' }>;

/** What one run of an approver's digest timer did: the posts it emailed, and when it runs next. */
export interface ReviewDigestOutcome {
  sent: string[];
  next: string | null;
}

const MAX_TRIES = 8;

/**
 * Approval requests gathered per approver: the first post that starts waiting
 * for a person opens their digest (a record in the store) and arms its timer
 * (`reviews-<voiceId>`, through the Scheduler port: durable on both runtimes)
 * a window later; posts that start waiting meanwhile join it; at the timer
 * one email lists them all, each post read as it stands then (approved,
 * canceled, or no longer the person's to decide: left out; edited: its new
 * version and a link bound to it). The round claims the record by
 * conditional write before sending and settles it after, so a duplicate
 * timer or a restart sends nothing twice, and a round that died is taken
 * over once stale under the same Message-ID.
 */
export class ReviewDigests {
  private readonly windowMs: number;

  constructor(
    private readonly deps: ServiceDeps,
    private readonly links: ActionLinks,
    opts: { windowMs?: number | undefined } = {},
  ) {
    this.windowMs = opts.windowMs ?? REVIEW_DIGEST_WINDOW_MS;
  }

  /** Puts `postId` in `voiceId`'s digest (opening it, with its timer, when none gathers); a post already waiting in it is not added twice. */
  async add(ws: string, voiceId: string, postId: string): Promise<void> {
    const repo = this.deps.store.reviewDigests;
    for (let i = 0; i < MAX_TRIES; i++) {
      const now = this.deps.clock.now();
      const entry = { postId, at: now.toISOString() };
      const rec = await repo.find(ws, voiceId);
      if (!rec) {
        const dueAt = new Date(now.getTime() + this.windowMs);
        // Armed before the record is written: a record never lacks its timer (a timer finding no record does nothing).
        await this.arm(ws, voiceId, dueAt);
        if (
          await repo.put(
            { workspaceId: ws, voiceId, entries: [entry], dueAt: dueAt.toISOString(), version: 1 },
            undefined,
          )
        )
          return;
        continue;
      }
      // Entries a sending round took are being mailed as they stood when read: an edit meanwhile waits for the next round.
      if (rec.entries.slice(rec.sending?.count ?? 0).some((e) => e.postId === postId)) return;
      if (await repo.put({ ...rec, entries: [...rec.entries, entry], version: rec.version + 1 }, rec.version)) return;
    }
    throw new Error(`review digest of ${voiceId}: too many concurrent writers`);
  }

  /** The `review-digest` timer handler: sends the digest when due (re-arming when early or held by a live round). Idempotent. */
  async run(payload: ReviewDigestPayload): Promise<ReviewDigestOutcome> {
    const { workspaceId: ws, voiceId } = payload;
    const repo = this.deps.store.reviewDigests;
    for (let i = 0; i < MAX_TRIES; i++) {
      const rec = await repo.find(ws, voiceId);
      if (!rec) return { sent: [], next: null };
      const now = this.deps.clock.now();
      const wait = rec.sending
        ? Math.max(Date.parse(rec.dueAt), Date.parse(rec.sending.at) + REVIEW_CLAIM_STALE_MS)
        : Date.parse(rec.dueAt);
      if (wait > now.getTime()) {
        await this.arm(ws, voiceId, new Date(wait));
        return { sent: [], next: new Date(wait).toISOString() };
      }
      // A takeover sends what the dead round took, under its Message-ID: a receiver that got it drops the repeat.
      const sending = rec.sending
        ? { ...rec.sending, at: now.toISOString() }
        : {
            at: now.toISOString(),
            count: rec.entries.length,
            messageId: `<reviews.${voiceId}.${now.getTime()}@${hostOf(this.deps.publicUrl)}>`,
          };
      const claimed: ReviewDigestRecord = { ...rec, sending, version: rec.version + 1 };
      if (await repo.put(claimed, rec.version)) return this.send(claimed);
    }
    throw new Error(`review digest of ${voiceId}: too many concurrent writers`);
  }

  /** Sends the claimed round's email (the posts still waiting for this person), then settles the record. */
  private async send(rec: ReviewDigestRecord): Promise<ReviewDigestOutcome> {
    const { workspaceId: ws, voiceId } = rec;
    const round = rec.sending!;
    const ids = [...new Set(rec.entries.slice(0, round.count).map((e) => e.postId))];
    const reviewer = await this.deps.store.voices.find(ws, voiceId);
    const items: ReviewItem[] = [];
    if (reviewer?.email && !reviewer.archivedAt) {
      for (const id of ids) {
        const item = await this.item(ws, reviewer, id);
        if (item) items.push(item);
      }
    }
    try {
      if (items.length > 0) {
        const mail = reviewEmail(reviewer!, items);
        await this.deps.mailer.send({ ...mail, headers: { ...mail.headers, 'Message-ID': round.messageId } });
      }
    } catch (err) {
      const attempts = (rec.attempts ?? 0) + 1;
      const delay = REVIEW_RETRY_MS[attempts - 1];
      loggerOf(this.deps).error(
        { workspace: ws, voice: voiceId, posts: ids, err: String(err), retry: delay !== undefined },
        'approval request email not sent',
      );
      if (delay !== undefined)
        return this.settle(rec, { retryAt: new Date(this.deps.clock.now().getTime() + delay), attempts });
    }
    return this.settle(rec, { sent: items.map((i) => i.post.id) });
  }

  /** One post of the round as it stands now, with a link bound to its current version; none when it no longer waits for this person. */
  private async item(ws: string, reviewer: VoiceRecord, postId: string): Promise<ReviewItem | undefined> {
    const post = await this.deps.store.posts.find(ws, postId);
    if (post?.status !== 'pending_approval' || Date.parse(post.scheduledAt) <= this.deps.clock.now().getTime())
      return undefined;
    const account = await this.deps.store.accounts.find(ws, post.accountId);
    const author = await this.deps.store.voices.find(ws, post.voiceId);
    if (!account || account.archivedAt || !author) return undefined;
    try {
      // Refused (Conflict, Forbidden) for a person who may no longer approve it: left out.
      const { url } = await this.links.reviewLink(ws, postId, reviewer.id);
      return { post, account, author, url };
    } catch (err) {
      if (err instanceof Conflict || err instanceof Forbidden) return undefined;
      throw err;
    }
  }

  /**
   * Ends the round: sent, its entries leave the record (removed when nothing
   * else joined; else the rest's own window runs); failed, the record is
   * released for a retry. A round taken over meanwhile is left to its taker.
   */
  private async settle(
    rec: ReviewDigestRecord,
    outcome: { sent: string[] } | { retryAt: Date; attempts: number },
  ): Promise<ReviewDigestOutcome> {
    const { workspaceId: ws, voiceId } = rec;
    const repo = this.deps.store.reviewDigests;
    const sent = 'sent' in outcome ? outcome.sent : [];
    for (let i = 0; i < MAX_TRIES; i++) {
      const cur = await repo.find(ws, voiceId);
      if (!cur || cur.sending?.at !== rec.sending!.at) return { sent, next: null };
      let next: ReviewDigestRecord;
      if ('retryAt' in outcome) {
        next = {
          ...cur,
          sending: undefined,
          attempts: outcome.attempts,
          dueAt: outcome.retryAt.toISOString(),
          version: cur.version + 1,
        };
      } else {
        const rest = cur.entries.slice(rec.sending!.count);
        if (rest.length === 0) {
          if (await repo.remove(ws, voiceId, cur.version)) return { sent, next: null };
          continue;
        }
        const due = Math.max(this.deps.clock.now().getTime(), Date.parse(rest[0]!.at) + this.windowMs);
        next = {
          ...cur,
          entries: rest,
          sending: undefined,
          attempts: undefined,
          dueAt: new Date(due).toISOString(),
          version: cur.version + 1,
        };
      }
      await this.arm(ws, voiceId, new Date(next.dueAt));
      if (await repo.put(next, cur.version)) return { sent, next: next.dueAt };
    }
    throw new Error(`review digest of ${voiceId}: too many concurrent writers`);
  }

  private arm(ws: string, voiceId: string, at: Date): Promise<void> {
    const payload: ReviewDigestPayload = { kind: 'review-digest', workspaceId: ws, voiceId };
    return this.deps.scheduler.schedule({ name: timerName(payload), at, payload });
  }
}
