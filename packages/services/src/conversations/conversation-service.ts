import type { RecordPage as Page } from '@drumbeat/core';
import { loggerOf } from '../logger.js';
import {
  answeredOutside,
  awaitsAnswer,
  conversationReport,
  REPORT_DEFAULT_MS,
  REPORT_MAX_MS,
  type ReportFigures,
  answerAttemptOf,
  answerFailed,
  answerPostIdOf,
  answerPublished,
  MAX_ANSWER_ATTEMPTS,
  type PostStatus,
  type PostSource,
  answerStarted,
  assigned,
  Conflict,
  dismissed,
  durationMs,
  firstMatchingRule,
  Forbidden,
  invalidField,
  Invalid,
  networkLengthProblem,
  newId,
  NotFound,
  responseDueAt,
  signedText,
  timerName,
  toAccount,
  toConversation,
  type AccountRecord,
  type Conversation,
  type ConversationRecord,
  type ConversationStatus,
  type EventSink,
  type EventType,
  type InboundItem,
  type InboxSink,
  type LedgerEntry,
  type OutsideReply,
  type PostRecord,
  type TimerPayload,
  type VoiceRecord,
} from '@drumbeat/core';
import type { ServiceDeps } from '../deps.js';
import { announce, event, postEventData, publicVoice } from '../event-data.js';
import type { ActionLinks } from '../action-links/index.js';
import { assignEmail } from './assign-email.js';

/** Who acts: the API key (or an action link's `lnk_` id) and its person, when it has one. */
export interface ConversationActor {
  keyId: string;
  voiceId?: string | undefined;
  /** Where the request came from (default the REST API): an answer drafted through MCP is held for a person's approval. */
  source?: PostSource | undefined;
}

/** Runs the publish of an answer post at once (the Publisher, set by createServices). */
export type RunPublish = (payload: { workspaceId: string; postId: string }) => Promise<unknown>;

/** Where an answer post ends without having gone out: its item may be answered again. */
const ANSWER_GONE: readonly PostStatus[] = ['failed', 'missed', 'canceled'];

/** How long an answer awaiting approval may wait, unless the account says. */
const DEFAULT_ANSWER_APPROVAL_SLA = 'PT1H';

/**
 * The inbox of each account (issue 18): items come in from sources and the
 * ingest API, de-duplicated by network id; routing rules assign them on
 * arrival; a voice answers through a reply post that the Publisher publishes
 * exactly once (its id derives from the conversation's, so there is only ever
 * one) and records in the ledger as kind `reply`.
 */
export class ConversationService implements InboxSink {
  /** Set by createServices: publishes an answer at once instead of waiting for its timer. */
  runPublish?: RunPublish;
  /** Set by createServices: the watchdog re-evaluates an account whose open items or deadlines changed. */
  deadlinesChanged?: (ws: string, accountId: string) => Promise<unknown>;

  private async deadlines(account: AccountRecord): Promise<void> {
    if (!account.responses || !this.deadlinesChanged) return;
    try {
      await this.deadlinesChanged(account.workspaceId, account.id);
    } catch (err) {
      loggerOf(this.deps).error(
        { workspace: account.workspaceId, account: account.id, err: String(err) },
        'watchdog not told of the inbox',
      );
    }
  }

  constructor(
    private readonly deps: ServiceDeps,
    private readonly events: EventSink,
    private readonly links: ActionLinks,
  ) {}

  private async usableAccount(ws: string, id: string): Promise<AccountRecord> {
    const a = await this.deps.store.accounts.find(ws, id);
    if (!a) throw new NotFound(`account ${id} not found`);
    if (a.archivedAt) throw new Conflict(`account ${id} is archived`);
    return a;
  }

  private async usableVoice(ws: string, id: string): Promise<VoiceRecord> {
    const v = await this.deps.store.voices.find(ws, id);
    if (!v)
      throw new Invalid(
        `voiceId: voice ${id} not found`,
        [{ path: 'voiceId', message: `voice ${id} not found in this workspace` }],
        422,
      );
    if (v.archivedAt)
      throw new Invalid(`voiceId: voice ${id} is archived`, [{ path: 'voiceId', message: 'voice is archived' }], 422);
    return v;
  }

  private async announce(
    type: EventType,
    c: ConversationRecord,
    account: AccountRecord,
    extra: Record<string, unknown> = {},
  ): Promise<void> {
    await announce(
      this.events,
      c.workspaceId,
      event(type, this.deps.clock.now(), { conversation: toConversation(c), account: toAccount(account), ...extra }),
      loggerOf(this.deps),
    );
  }

  /** InboxSink: adds the items not yet known; answers how many were new. */
  async ingest(ws: string, accountId: string, items: InboundItem[]): Promise<{ created: number }> {
    const r = await this.ingestItems(ws, accountId, items);
    return { created: r.created };
  }

  /**
   * Adds items to an account's inbox, each once: an item already there (same
   * external id) is left as it is. New items get their deadline, are announced
   * (`conversation.received`) and routed by the account's rules.
   */
  async ingestItems(
    ws: string,
    accountId: string,
    items: InboundItem[],
  ): Promise<{ received: number; created: number; items: { externalId: string; id: string; created: boolean }[] }> {
    const account = await this.usableAccount(ws, accountId);
    const now = this.deps.clock.now();
    const out: { externalId: string; id: string; created: boolean }[] = new Array(items.length);
    let next = 0;
    const worker = async () => {
      while (next < items.length) {
        const i = next++;
        const it = items[i]!;
        const record = this.recordOf(account, it, now);
        const r = await this.deps.store.conversations.createOnce(record);
        out[i] = { externalId: it.externalId, id: r.id, created: r.created };
        if (r.created) {
          const stored = { ...record, id: r.id };
          await this.announce('conversation.received', stored, account);
          await this.route(stored, account);
        }
      }
    };
    await Promise.all(Array.from({ length: Math.min(16, items.length) }, worker));
    if (out.some((o) => o.created)) await this.deadlines(account);
    return { received: items.length, created: out.filter((o) => o.created).length, items: out };
  }

  private recordOf(account: AccountRecord, it: InboundItem, now: Date): ConversationRecord {
    const due = account.responses
      ? responseDueAt(new Date(it.receivedAt), account.responses.sla, account.responses.hours, account.timezone)
      : undefined;
    return {
      id: newId('conversation', now.getTime()),
      workspaceId: account.workspaceId,
      accountId: account.id,
      network: account.network,
      externalId: it.externalId,
      ...(it.cid ? { cid: it.cid } : {}),
      ...(it.url ? { url: it.url } : {}),
      kind: it.kind,
      author: { handle: it.author.handle, ...(it.author.displayName ? { displayName: it.author.displayName } : {}) },
      text: it.text,
      receivedAt: new Date(it.receivedAt).toISOString(),
      ...(it.inReplyTo ? { inReplyTo: it.inReplyTo } : {}),
      ...(it.root ? { root: it.root } : {}),
      ...(it.language ? { language: it.language } : {}),
      status: 'open',
      ...(due ? { dueAt: due.toISOString() } : {}),
      createdAt: now.toISOString(),
      updatedAt: now.toISOString(),
      version: 1,
    };
  }

  /** Assigns a new item by the first of the account's rules that matches it (a rule naming a voice since archived is skipped). */
  private async route(c: ConversationRecord, account: AccountRecord): Promise<void> {
    const hit = firstMatchingRule(account.conversations?.rules ?? [], c);
    if (!hit) return;
    const voice = await this.deps.store.voices.find(c.workspaceId, hit.rule.voiceId);
    if (!voice || voice.archivedAt) return;
    try {
      await this.assignTo(c, account, voice, { by: `rule:${hit.index}` });
    } catch (err) {
      // Routing is a convenience: the item is in the inbox whatever happens here.
      loggerOf(this.deps).error(
        { workspace: c.workspaceId, conversation: c.id, err: String(err) },
        'conversation not routed',
      );
    }
  }

  /** InboxSink: marks the items these replies answer as answered outside drumbeat. */
  async answeredOutside(ws: string, accountId: string, replies: OutsideReply[]): Promise<{ updated: number }> {
    const account = await this.deps.store.accounts.get(ws, accountId);
    let updated = 0;
    for (const r of replies) {
      const c = await this.deps.store.conversations.findByExternalId(ws, accountId, r.inReplyToExternalId);
      if (!c) continue;
      const next = await this.change(c, (cur) => answeredOutside(cur, r, this.deps.clock.now()));
      if (next) {
        updated++;
        await this.announce('conversation.answered', next, account, { outside: true });
      }
    }
    if (updated) await this.deadlines(account);
    return { updated };
  }

  /** InboxSink: whether the account has an item a reply outside drumbeat could answer (one read of the open index). */
  awaitingAnswer(ws: string, accountId: string): Promise<boolean> {
    return this.deps.store.conversations.anyAwaiting(ws, accountId);
  }

  /** InboxSink: puts the account's open items into the open index (items stored before it existed); idempotent. */
  async indexAwaiting(ws: string, accountId: string): Promise<void> {
    let cursor: string | undefined;
    do {
      const page = await this.deps.store.conversations.listByAccount(ws, accountId, {
        status: 'open',
        limit: 200,
        cursor,
      });
      for (const c of page.items) if (awaitsAnswer(c)) await this.deps.store.conversations.indexWaiting(c);
      cursor = page.nextCursor ?? undefined;
    } while (cursor);
  }

  /** Applies a transition with one conditional write, re-reading on a concurrent change; undefined when it changes nothing. */
  private async change(
    c: ConversationRecord,
    step: (cur: ConversationRecord) => ConversationRecord | undefined,
  ): Promise<ConversationRecord | undefined> {
    let cur = c;
    for (let attempt = 0; ; attempt++) {
      const next = step(cur);
      if (!next) return undefined;
      try {
        await this.deps.store.conversations.replace(next, cur.version);
        return next;
      } catch (err) {
        if (!(err instanceof Conflict) || attempt >= 4) throw err;
        cur = await this.deps.store.conversations.get(c.workspaceId, c.id);
      }
    }
  }

  /** A conversation, or NotFound. */
  async get(ws: string, id: string): Promise<Conversation> {
    return toConversation(await this.deps.store.conversations.get(ws, id));
  }

  /** A page of an account's inbox, oldest first, filtered by status, assignee or overdue. */
  async list(
    ws: string,
    accountId: string,
    q: {
      status?: ConversationStatus | undefined;
      assignee?: string | undefined;
      overdue?: boolean | undefined;
      limit: number;
      cursor?: string | undefined;
    },
  ): Promise<Page<Conversation>> {
    await this.deps.store.accounts.get(ws, accountId);
    const page = await this.deps.store.conversations.listByAccount(ws, accountId, {
      status: q.status,
      assignee: q.assignee,
      ...(q.overdue ? { overdueAt: this.deps.clock.now().toISOString() } : {}),
      limit: q.limit,
      cursor: q.cursor,
    });
    return { items: page.items.map(toConversation), nextCursor: page.nextCursor };
  }

  /**
   * The response report of an account over [from, to) (default: the last 90
   * days; at most 366 days): its items read from the store a page at a time
   * by received time, the figures computed by the pure `conversationReport`.
   */
  async report(
    ws: string,
    accountId: string,
    q: { from?: string | undefined; to?: string | undefined },
  ): Promise<ReportFigures> {
    const now = this.deps.clock.now();
    const to = q.to ? new Date(q.to) : now;
    const from = q.from ? new Date(q.from) : new Date(to.getTime() - REPORT_DEFAULT_MS);
    if (from.getTime() >= to.getTime())
      throw invalidField(
        q.to ? 'to' : 'from',
        q.to ? 'must be later than from' : 'must be before now (to defaults to now)',
      );
    if (to.getTime() - from.getTime() > REPORT_MAX_MS)
      throw invalidField('from', 'the range may span at most 366 days');
    const account = await this.deps.store.accounts.get(ws, accountId);
    const items: ConversationRecord[] = [];
    let next: Record<string, unknown> | undefined;
    do {
      const page = await this.deps.store.conversations.receivedBetween(
        ws,
        accountId,
        from.toISOString(),
        to.toISOString(),
        next,
      );
      items.push(...page.items);
      next = page.next;
    } while (next);
    const voices = new Map<string, { name: string; affiliation: VoiceRecord['affiliation'] }>();
    for (const id of new Set(
      items.flatMap((i) => (i.status === 'answered' && i.answeredBy && !i.outsideAnswer ? [i.answeredBy] : [])),
    )) {
      const v = await this.deps.store.voices.find(ws, id);
      if (v) voices.set(id, { name: v.name, affiliation: v.affiliation });
    }
    return conversationReport({ from, to, now, zone: account.timezone, responses: account.responses, items, voices });
  }

  /** Assigns an open item to a voice, who is emailed the question and their answer link. */
  async assign(
    ws: string,
    id: string,
    input: { voiceId: string; note?: string | undefined },
    actor: ConversationActor,
  ): Promise<Conversation> {
    const c = await this.deps.store.conversations.get(ws, id);
    const voice = await this.usableVoice(ws, input.voiceId);
    const account = await this.deps.store.accounts.get(ws, c.accountId);
    return toConversation(await this.assignTo(c, account, voice, { by: actor.keyId, note: input.note }));
  }

  private async assignTo(
    c: ConversationRecord,
    account: AccountRecord,
    voice: VoiceRecord,
    a: { by: string; note?: string | undefined },
  ): Promise<ConversationRecord> {
    const next = (await this.change(c, (cur) =>
      assigned(cur, { voiceId: voice.id, note: a.note, by: a.by }, this.deps.clock.now()),
    ))!;
    await this.announce('conversation.assigned', next, account, { voice: publicVoice(voice) });
    if (voice.email) {
      try {
        const { url } = await this.links.answerLink(c.workspaceId, c.id, voice.id);
        await this.deps.mailer.send(assignEmail(voice, next, account, url, a.note));
      } catch (err) {
        loggerOf(this.deps).error(
          { workspace: c.workspaceId, conversation: c.id, err: String(err) },
          'assignment email not sent',
        );
      }
    }
    return next;
  }

  /** Closes an open item that needs no answer. */
  async dismiss(ws: string, id: string, reason: string): Promise<Conversation> {
    const c = await this.deps.store.conversations.get(ws, id);
    const next = (await this.change(c, (cur) => dismissed(cur, reason, this.deps.clock.now())))!;
    await this.deadlines(await this.deps.store.accounts.get(ws, c.accountId));
    return toConversation(next);
  }

  /**
   * Answers an open item: a reply post of the account in the voice's name,
   * published exactly once as a reply in the item's thread (now, or once
   * approved where the account requires approval of answers). A second call
   * finds the answer post already there and is refused.
   */
  async reply(
    ws: string,
    id: string,
    input: { text: string; voiceId?: string | undefined },
    actor: ConversationActor,
  ): Promise<Conversation> {
    if (actor.voiceId && input.voiceId && input.voiceId !== actor.voiceId) {
      throw new Forbidden(
        `this is the personal key of voice ${actor.voiceId}: it answers only as that voice, never as ${input.voiceId}`,
        [{ path: 'voiceId', message: 'a personal key answers only as its own voice' }],
      );
    }
    const voiceId = actor.voiceId ?? input.voiceId;
    if (!voiceId) throw invalidField('voiceId', 'required: a workspace key must name the voice that answers');
    let c = await this.deps.store.conversations.get(ws, id);
    if (c.status !== 'open')
      throw new Conflict(`conversation ${id} is ${c.status}; only an open conversation can be answered`);
    if (c.answerPostId) c = await this.previousAnswerFailed(c);
    const attempt = answerAttemptOf(c);
    if (attempt > MAX_ANSWER_ATTEMPTS)
      throw new Conflict(
        `conversation ${id} has had ${MAX_ANSWER_ATTEMPTS} answers tried already; answer it on the network, or dismiss it`,
      );
    const account = await this.usableAccount(ws, c.accountId);
    const voice = await this.usableVoice(ws, voiceId);
    const problem = networkLengthProblem(account.network, signedText(input.text, account.disclosure, voice));
    if (problem) throw new Invalid(`text is too long: ${problem}`, [{ path: 'text', message: problem }], 422);
    const post = this.answerPost(c, account, voice, input.text, attempt, actor.source ?? { kind: 'api' });
    const earlier = await this.deps.store.posts.find(ws, post.id);
    if (earlier) return this.alreadyAnswering(c, earlier);
    await this.deps.scheduler.schedule(this.timer(post));
    try {
      await this.deps.store.posts.create(post);
    } catch (err) {
      if (!(err instanceof Conflict)) throw err;
      // A concurrent call stored it first: its timer (just re-armed to now here) goes back to its time, or an answer awaiting approval would be missed.
      const existing = await this.deps.store.posts.get(ws, post.id);
      if (existing.status === 'scheduled' || existing.status === 'pending_approval')
        await this.deps.scheduler.schedule(this.timer(existing));
      return this.alreadyAnswering(c, existing);
    }
    if (!voice.hasPosts) await this.deps.store.voices.markHasPosts(ws, voice.id);
    const started =
      (await this.change(c, (cur) =>
        cur.answerPostId === post.id
          ? undefined
          : answerStarted(cur, { postId: post.id, voiceId: voice.id }, this.deps.clock.now()),
      )) ?? c;
    // An answer on its way (or awaiting approval) resolves the item's reply_overdue alert.
    await this.deadlines(account);
    // An answer that needs approval asks for it as posts do (the approvers are emailed their review links).
    if (post.status === 'pending_approval')
      await announce(
        this.events,
        ws,
        event('post.review_requested', this.deps.clock.now(), postEventData(post, account, voice)),
        loggerOf(this.deps),
      );
    if (post.status === 'scheduled' && this.runPublish) {
      try {
        await this.runPublish({ workspaceId: ws, postId: post.id });
      } catch (err) {
        // The timer armed above publishes it then.
        loggerOf(this.deps).error({ workspace: ws, post: post.id, err: String(err) }, 'answer not published at once');
      }
    }
    return toConversation((await this.deps.store.conversations.find(ws, id)) ?? started);
  }

  /** The answer exists (a concurrent call, or one that stopped before updating the conversation): repair the link, and refuse. */
  private async alreadyAnswering(c: ConversationRecord, existing: PostRecord): Promise<never> {
    await this.change(c, (cur) =>
      cur.answerPostId || cur.status !== 'open'
        ? undefined
        : answerStarted(cur, { postId: existing.id, voiceId: existing.voiceId }, this.deps.clock.now()),
    );
    throw new Conflict(`conversation ${c.id} is already being answered (post ${existing.id})`);
  }

  /**
   * A new answer is asked for while one is linked: refused (409) while that
   * one's outcome is unknown (awaiting approval, scheduled, publishing,
   * published); when it ended without going out (failed for good, missed,
   * canceled) and the Publisher's word of it was lost, the item is put back
   * to awaiting an answer here, and the new attempt goes ahead.
   */
  private async previousAnswerFailed(c: ConversationRecord): Promise<ConversationRecord> {
    const prev = c.answerPostId ? await this.deps.store.posts.find(c.workspaceId, c.answerPostId) : undefined;
    if (prev && !ANSWER_GONE.includes(prev.status))
      throw new Conflict(
        `conversation ${c.id} is already being answered (post ${prev.id}, ${prev.status}); a new answer is accepted only once it has failed`,
      );
    const reason = prev?.failure ?? (prev ? `the answer was ${prev.status}` : 'the answer post is missing');
    return (
      (await this.change(c, (cur) => answerFailed(cur, { postId: c.answerPostId!, reason }, this.deps.clock.now()))) ??
      (await this.deps.store.conversations.get(c.workspaceId, c.id))
    );
  }

  /**
   * The Publisher's word that an answer post failed for good (or was missed
   * awaiting approval): its item awaits an answer again, back in the
   * response-deadline list (a breached SLA opens a new reply_overdue), and a
   * new answer may be sent.
   */
  async answerFailedForGood(ws: string, post: PostRecord, reason: string): Promise<void> {
    if (!post.conversationId) return;
    const c = await this.deps.store.conversations.find(ws, post.conversationId);
    if (!c) return;
    const next = await this.change(c, (cur) => answerFailed(cur, { postId: post.id, reason }, this.deps.clock.now()));
    if (!next) return;
    await this.deadlines(await this.deps.store.accounts.get(ws, c.accountId));
  }

  private answerPost(
    c: ConversationRecord,
    account: AccountRecord,
    voice: VoiceRecord,
    text: string,
    attempt: number,
    source: PostSource,
  ): PostRecord {
    const now = this.deps.clock.now();
    const approval = account.conversations?.approval;
    // An assistant drafts; a person decides: an answer drafted through MCP waits for approval whatever the account says.
    const held = approval?.required === true || source.kind === 'mcp';
    const at = held ? new Date(now.getTime() + durationMs(approval?.sla ?? DEFAULT_ANSWER_APPROVAL_SLA)) : now;
    const parent = { externalId: c.externalId, ...(c.cid ? { cid: c.cid } : {}), ...(c.url ? { url: c.url } : {}) };
    return {
      id: answerPostIdOf(c.id, attempt),
      workspaceId: c.workspaceId,
      accountId: account.id,
      voiceId: voice.id,
      text,
      media: [],
      scheduledAt: at.toISOString(),
      status: held ? 'pending_approval' : 'scheduled',
      approvals: [],
      source,
      conversationId: c.id,
      replyTo: { parent, root: c.root ?? parent },
      createdAt: now.toISOString(),
      updatedAt: now.toISOString(),
      version: 1,
    };
  }

  private timer(p: PostRecord) {
    const payload: TimerPayload = { kind: 'publish', workspaceId: p.workspaceId, postId: p.id };
    return { name: timerName(payload), at: new Date(p.scheduledAt), payload };
  }

  /** The Publisher's word that an answer post went out: its conversation is answered and subscribers told. */
  async answerWentOut(ws: string, post: PostRecord, entry: LedgerEntry): Promise<void> {
    if (!post.conversationId) return;
    const c = await this.deps.store.conversations.find(ws, post.conversationId);
    if (!c) return;
    const next = await this.change(c, (cur) => answerPublished(cur, entry.publishedAt, this.deps.clock.now()));
    if (!next) return;
    const account = await this.deps.store.accounts.get(ws, c.accountId);
    const voice = await this.deps.store.voices.find(ws, post.voiceId);
    await this.announce('conversation.answered', next, account, {
      ...(voice ? { voice: publicVoice(voice) } : {}),
      post: { id: post.id, externalUrl: entry.externalUrl },
      ledger: { seq: entry.seq, hash: entry.hash },
    });
  }
}
