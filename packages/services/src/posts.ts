import { loggerOf } from './logger.js';
import {
  approvalNeeded,
  Forbidden,
  Conflict,
  decide,
  editGuards,
  humanDuration,
  newId,
  postRule,
  refusal,
  timerName,
  toPost,
  type AccountRecord,
  type EventSink,
  type Post,
  type PostCreate,
  type PostPatch,
  type PostRecord,
  type PostSource,
  type PostStatus,
  type TimerPayload,
  type VoiceRecord,
} from '@drumbeat/core';
import type { Page } from '@drumbeat/store';
import type { ServiceDeps } from './deps.js';
import { claimNextSlots, isSlot, NO_FREE_SLOT } from './slot-claims.js';
import { announce, event, postEventData } from './event-data.js';
import type { AccountHooks, PostsChange } from './account-hooks.js';
import type { RecordCache } from './record-cache.js';
import { MAX_AHEAD_MS } from './import-rows.js';
import { PostEffects, type AnswerHooks } from './post-effects.js';
import { checkLength, checkMedia, usableAccount, usableVoice } from './post-checks.js';
import { placePost } from './post-placement.js';
import { editRefused } from './post-refusals.js';

/** How far ahead a post may be planned. */
export { MAX_AHEAD_MS };

/** What only an import sets on a new post: its row id, and a canceled status (no slot, no timer). */
export interface MakeOptions {
  importRef?: string | undefined;
  canceled?: boolean | undefined;
  /** Set by createAll: the post's id, and the slot already claimed for it. */
  id?: string | undefined;
  slotAt?: string | undefined;
  /** How the post came in (default: the REST API). */
  source?: PostSource | undefined;
}

/** A post just stored, with what its announcement needs. */
interface Made {
  record: PostRecord;
  account: AccountRecord;
  voice: VoiceRecord;
}

/** Posts: plan, edit, reschedule and cancel what an account will publish. */
export class PostService {
  private readonly effects: PostEffects;

  constructor(
    private readonly deps: ServiceDeps,
    private readonly events: EventSink,
    private readonly hooks: AccountHooks,
    private readonly cache: RecordCache,
    /** Told when an answer post (issue 18) is canceled, to put its item back to awaiting an answer. */
    answers?: AnswerHooks,
  ) {
    this.effects = new PostEffects(deps, events, hooks, { answers: () => answers });
  }

  private async account(ws: string, id: string): Promise<AccountRecord> {
    return usableAccount(await this.deps.store.accounts.find(ws, id), id);
  }

  private async voice(ws: string, id: string, path: string): Promise<VoiceRecord> {
    return usableVoice(await this.deps.store.voices.find(ws, id), id, path);
  }

  /** The account and author of a new post, checked as `account` and `voice` check them: from the record cache (exact when this process is the only writer), else one batch read. */
  private async accountAndAuthor(
    ws: string,
    accountId: string,
    voiceId: string,
  ): Promise<{ account: AccountRecord; voice: VoiceRecord }> {
    const found = await this.cache.accountAndVoice(ws, accountId, voiceId);
    return { account: usableAccount(found.account, accountId), voice: usableVoice(found.voice, voiceId, 'voiceId') };
  }

  private timer(p: PostRecord) {
    const payload: TimerPayload = { kind: 'publish', workspaceId: p.workspaceId, postId: p.id };
    return { name: timerName(payload), at: new Date(p.scheduledAt), payload };
  }

  /**
   * Creates a post at an explicit time or in the next free slot. The order of
   * writes (slot claim, timer, post) means a failure leaves nothing visible: a
   * timer without a post does nothing, and the claim is released.
   */
  async create(ws: string, accountId: string, input: PostCreate, source: PostSource = API_SOURCE): Promise<Post> {
    const made = await this.make(ws, accountId, input, { source });
    await this.announceCreated(made);
    await this.hooks.postsChanged(ws, accountId, this.change(made.account, made.record));
    return toPost(made.record, made.account.timezone);
  }

  /**
   * Creates several posts, all or nothing: when one fails, those already made
   * are removed and `describe(index, err)` says what to throw. Nothing is
   * announced (events, watchdog) until every post exists, so subscribers
   * never hear of a post that is then taken back. An aborted `signal` (a run
   * about to be stopped) fails the rest like an error: `signal.reason`.
   */
  async createAll(
    ws: string,
    items: { accountId: string; input: PostCreate; options?: MakeOptions }[],
    describe: (index: number, err: unknown) => unknown,
    signal?: AbortSignal,
  ): Promise<Post[]> {
    // "next" rows take their slots first, account by account, in one walk each (not one walk per row).
    const now = this.deps.clock.now();
    // An id given by the caller (an import job records the ids it is about to create, so a dead run can be undone).
    const ids = items.map((it) => it.options?.id ?? newId('post', now.getTime()));
    const slots = new Map<string, Date>();
    const byAccount = new Map<string, string[]>();
    for (const [i, it] of items.entries()) {
      if (it.input.slot === 'next' && !it.options?.canceled)
        byAccount.set(it.accountId, [...(byAccount.get(it.accountId) ?? []), ids[i]!]);
    }
    let failed: { index: number; err: unknown } | undefined;
    try {
      for (const [accountId, postIds] of byAccount) {
        const { account } = await this.accountAndAuthor(
          ws,
          accountId,
          items.find((it) => it.accountId === accountId)!.input.voiceId,
        );
        for (const [id, at] of await claimNextSlots(this.deps.store, account, postIds, now)) slots.set(id, at);
        const left = postIds.find((id) => !slots.has(id));
        if (left && (!failed || ids.indexOf(left) < failed.index))
          failed = {
            index: ids.indexOf(left),
            err: new Conflict(NO_FREE_SLOT, [{ path: 'slot', message: 'no free slot' }]),
          };
      }
    } catch (err) {
      failed = { index: 0, err };
    }
    // Then every post is stored, many at once (the scheduler groups their timers).
    const made: (Made | undefined)[] = new Array(items.length);
    let next = 0;
    const worker = async () => {
      while (!failed && next < items.length) {
        if (signal?.aborted) {
          failed = { index: next, err: signal.reason };
          break;
        }
        const i = next++;
        const it = items[i]!;
        const at = slots.get(ids[i]!);
        try {
          made[i] = await this.make(
            ws,
            it.accountId,
            at ? { ...it.input, at: at.toISOString(), slot: undefined } : it.input,
            { ...it.options, id: ids[i]!, ...(at ? { slotAt: at.toISOString() } : {}) },
          );
        } catch (err) {
          const f = failed as { index: number } | undefined;
          if (!f || i < f.index) failed = { index: i, err };
        }
      }
    };
    if (!failed) await Promise.all(Array.from({ length: 16 }, worker));
    const fault = failed as { index: number; err: unknown } | undefined; // set by the workers
    if (fault) {
      for (const m of made) if (m) await this.purge(ws, m.record.id);
      for (const [id, at] of slots) {
        const it = items[ids.indexOf(id)]!;
        await this.deps.store.posts.releaseSlot(ws, it.accountId, at.toISOString(), id).catch(() => undefined);
      }
      throw describe(Math.max(fault.index, 0), fault.err);
    }
    const done = made as Made[];
    for (const m of done) await this.announceCreated(m);
    for (const accountId of new Set(items.map((i) => i.accountId))) await this.hooks.postsChanged(ws, accountId);
    return done.map((m) => toPost(m.record, m.account.timezone));
  }

  private async announceCreated({ record, account, voice }: Made): Promise<void> {
    await announce(
      this.events,
      record.workspaceId,
      event('post.created', new Date(record.createdAt), postEventData(record, account, voice)),
      loggerOf(this.deps),
    );
    // A post created pending approval: its approvers are emailed (PeopleMail) and subscribers told.
    if (record.status === 'pending_approval')
      await this.effects.run([{ do: 'announce', event: 'post.review_requested' }], {
        post: record,
        at: this.deps.clock.now(),
        account,
        voice,
      });
  }

  /** Places, arms and stores one post; announces nothing. A canceled one (an import's) holds no slot and has no timer. */
  private async make(ws: string, accountId: string, input: PostCreate, opts: MakeOptions = {}): Promise<Made> {
    const { account, voice } = await this.accountAndAuthor(ws, accountId, input.voiceId);
    checkLength(account, voice, input.text);
    checkMedia(account, input.media);
    const now = this.deps.clock.now();
    const id = opts.id ?? newId('post', now.getTime());
    if (opts.importRef !== undefined && !(await this.deps.store.posts.claimRef(ws, accountId, opts.importRef, id))) {
      throw new Conflict(`id ${opts.importRef} already names another post of this account`, [
        { path: 'id', message: 'names another post' },
      ]);
    }
    let placed: { scheduledAt: string; slotAt?: string };
    try {
      placed = opts.slotAt
        ? { scheduledAt: opts.slotAt, slotAt: opts.slotAt }
        : opts.canceled
          ? { scheduledAt: new Date(input.at!).toISOString() }
          : await placePost(this.deps.store, account, id, input, now);
    } catch (err) {
      if (opts.importRef !== undefined)
        await this.deps.store.posts.releaseRef(ws, accountId, opts.importRef, id).catch(() => undefined);
      throw err;
    }
    const source = opts.source ?? API_SOURCE;
    const record: PostRecord = {
      id,
      workspaceId: ws,
      accountId,
      voiceId: voice.id,
      text: input.text,
      media: input.media,
      ...placed,
      source,
      status: opts.canceled
        ? 'canceled'
        : approvalNeeded(account.approval, { source })
          ? 'pending_approval'
          : 'scheduled',
      approvals: [],
      ...(opts.importRef !== undefined ? { importRef: opts.importRef } : {}),
      createdAt: now.toISOString(),
      updatedAt: now.toISOString(),
      version: 1,
    };
    try {
      if (!opts.canceled) await this.deps.scheduler.schedule(this.timer(record));
      await this.deps.store.posts.create(record);
    } catch (err) {
      if (placed.slotAt)
        await this.deps.store.posts.releaseSlot(ws, accountId, placed.slotAt, id).catch(() => undefined);
      if (opts.importRef !== undefined)
        await this.deps.store.posts.releaseRef(ws, accountId, opts.importRef, id).catch(() => undefined);
      if (!opts.canceled) await this.deps.scheduler.cancel(this.timer(record).name).catch(() => undefined);
      throw err;
    }
    if (!voice.hasPosts) {
      await this.deps.store.voices.markHasPosts(ws, voice.id);
      this.cache.noteVoiceHasPosts(ws, voice.id);
    }
    return { record, account, voice };
  }

  /** The post record, or NotFound. */
  record(ws: string, id: string): Promise<PostRecord> {
    return this.deps.store.posts.get(ws, id);
  }

  /** The post with its local time. */
  async get(ws: string, id: string): Promise<Post> {
    const p = await this.record(ws, id);
    const account = await this.deps.store.accounts.get(ws, p.accountId);
    return toPost(p, account.timezone);
  }

  /** A page of an account's posts scheduled in [from, to), optionally of one status. */
  async list(
    ws: string,
    accountId: string,
    q: {
      from?: string | undefined;
      to?: string | undefined;
      status?: PostStatus | undefined;
      limit: number;
      cursor?: string | undefined;
    },
  ): Promise<Page<Post>> {
    const account = await this.deps.store.accounts.get(ws, accountId);
    const page = await this.deps.store.posts.listByAccount(ws, accountId, q);
    return { items: page.items.map((p) => toPost(p, account.timezone)), nextCursor: page.nextCursor };
  }

  /**
   * Edits or reschedules a post that is not yet published. A change of text or
   * media puts an approval-required post back to pending_approval. A personal
   * key's edit is its own person's (the voice that last edited a post may not
   * approve it, so the editor is never what a caller types on someone else's
   * behalf). With `expected`, only the version a page showed (else 409).
   */
  async update(
    ws: string,
    id: string,
    patch: PostPatch,
    actor: { voiceId?: string | undefined; source?: PostSource | undefined } = {},
    expected?: { version: number },
  ): Promise<Post> {
    if (actor.voiceId && patch.editorVoiceId && patch.editorVoiceId !== actor.voiceId) {
      throw new Forbidden(
        `this is the personal key of voice ${actor.voiceId}: its edits are that voice's, never ${patch.editorVoiceId}'s`,
        [{ path: 'editorVoiceId', message: 'a personal key edits only as its own voice' }],
      );
    }
    const editorVoiceId = actor.voiceId ?? patch.editorVoiceId;
    const current = await this.record(ws, id);
    const version = expected?.version ?? current.version;
    const refused = refusal(current, editGuards(version));
    if (refused) throw editRefused(current, refused, 'edited');
    const account = await this.account(ws, current.accountId);
    const author = await this.deps.store.voices.get(ws, current.voiceId);
    const editor = editorVoiceId ? await this.voice(ws, editorVoiceId, 'editorVoiceId') : undefined;
    const now = this.deps.clock.now();
    if (patch.text !== undefined) checkLength(account, author, patch.text);
    if (patch.media !== undefined) checkMedia(account, patch.media);
    const contentChanged = (patch.text !== undefined && patch.text !== current.text) || patch.media !== undefined;
    const source = actor.source ?? API_SOURCE;
    // A content change of a post that needs approval (or is pending it) starts a new round.
    const reviewAgain =
      current.status === 'pending_approval' || approvalNeeded(account.approval, { ...current, editSource: source });
    const placed =
      patch.at !== undefined || patch.slot !== undefined
        ? await placePost(this.deps.store, account, id, patch, now)
        : undefined;
    const rule = postRule(
      {
        type: 'edit',
        version,
        text: patch.text,
        media: patch.media,
        content: contentChanged ? { editedBy: editor?.id ?? current.voiceId, source, reviewAgain } : undefined,
        move: placed && { scheduledAt: placed.scheduledAt, slotAt: placed.slotAt ?? null },
      },
      now.toISOString(),
    );
    const decided = decide(current, rule);
    if (!decided.ok) throw editRefused(current, decided.refused, 'edited');
    const next = decided.next;
    try {
      await this.deps.store.posts.commit(next, rule.when);
    } catch (err) {
      // The slot just claimed for the new time goes back.
      if (placed?.slotAt && placed.slotAt !== current.slotAt)
        await this.deps.store.posts.releaseSlot(ws, account.id, placed.slotAt, id);
      throw err;
    }
    await this.effects.run(decided.effects, {
      post: next,
      before: current,
      at: now,
      account,
      voice: author,
      change: this.change(account, current, next),
    });
    const warnings: string[] = [];
    if (decided.effects.some((e) => e.do === 'announce' && e.event === 'post.review_requested')) {
      // The edit starts a new approval round: say how long is left, so nobody learns of a missed post only afterwards.
      const left = Date.parse(next.scheduledAt) - now.getTime();
      warnings.push(
        `this change needs a new approval within ${humanDuration(left)} (before ${next.scheduledAt}); unapproved, the post is missed and an alert opens`,
      );
    }
    return { ...toPost(next, account.timezone), ...(warnings.length ? { warnings } : {}) };
  }

  /** What the watchdog needs to know of a change of these posts (before and after). */
  private change(account: AccountRecord, ...states: PostRecord[]): PostsChange {
    return {
      offSlot: states.every((p) => p.status === 'scheduled' && !p.slotAt && !isSlot(account, new Date(p.scheduledAt))),
    };
  }

  /** Removes a post that was just created, as if it never was: only to undo a failed bulk import. */
  async purge(ws: string, id: string): Promise<void> {
    const p = await this.deps.store.posts.find(ws, id);
    if (!p) return;
    await this.deps.scheduler.cancel(this.timer(p).name);
    if (p.slotAt) await this.deps.store.posts.releaseSlot(ws, p.accountId, p.slotAt, id);
    if (p.importRef !== undefined) await this.deps.store.posts.releaseRef(ws, p.accountId, p.importRef, id);
    await this.deps.store.posts.purge(ws, id);
  }

  /** Cancels a post that is not yet published: its slot frees up and its timer goes. With `expected`, only the version a page showed (else 409). */
  async cancel(ws: string, id: string, expected?: { version: number }): Promise<Post> {
    const current = await this.record(ws, id);
    const now = this.deps.clock.now();
    const rule = postRule({ type: 'cancel', version: expected?.version ?? current.version }, now.toISOString());
    const decided = decide(current, rule);
    if (!decided.ok) throw editRefused(current, decided.refused, 'canceled');
    await this.deps.store.posts.commit(decided.next, rule.when);
    const account = await this.deps.store.accounts.get(ws, current.accountId);
    await this.effects.run(decided.effects, {
      post: decided.next,
      before: current,
      at: now,
      account,
      change: this.change(account, current),
    });
    return toPost(decided.next, account.timezone);
  }
}

const API_SOURCE: PostSource = { kind: 'api' };
