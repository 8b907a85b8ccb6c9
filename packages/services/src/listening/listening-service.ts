import type { ListenState } from '@drumbeat/core';
import type { PollResult } from '@drumbeat/core';
import {
  ChannelError,
  durationMs,
  timerName,
  DEFAULT_LISTEN_EVERY,
  type AccountRecord,
  type InboxSink,
  type TimerPayload,
} from '@drumbeat/core';
import type { ServiceDeps } from '../deps.js';
import { ChannelSessions } from '../channel-sessions.js';
import { ChannelSecrets } from '../sealing/channel-secrets.js';
import { KeyedSerial } from '../watchdog/keyed-serial.js';
import { sha256Hex } from '../secret-hash.js';
import { listenDelayMs, RETRYABLE_FAILURES_BEFORE_ALERT } from './listen-delay.js';

/**
 * Our own posts (to see items answered on the network outside drumbeat) are
 * read at most every this many polls, and only while some item awaits an
 * answer: the steady state is one request per poll, one more every third
 * poll of an account with open items. The trade: an answer made outside
 * drumbeat is noticed up to this many intervals later (15 minutes at PT5M);
 * the source keeps its own-posts cursor, so a skipped look misses nothing.
 */
export const OWN_LOOK_EVERY = 3;

/** What a `listen` timer carries. */
export type ListenPayload = Extract<TimerPayload, { kind: 'listen' }>;

/** Where listening_failed opens and resolves: the watchdog, which owns an account's alerts. */
export interface ListeningAlerts {
  /** The account's listen state changed between failing and working: reconcile its listening_failed alert. */
  listeningChanged(ws: string, accountId: string): Promise<void>;
}

/** What one poll did. */
export interface ListenOutcome {
  accountId: string;
  /** False when the account does not listen (or its channel cannot): its timer is cancelled. */
  listening: boolean;
  /** Items handed to the inbox (new ones, as the inbox counted), and items the account answered on the network. */
  received: number;
  created: number;
  answeredOutside: number;
  /** Why the poll failed, when it did (the cursor stayed where it was). */
  error?: string;
  /** The timer's next due instant; null when cancelled. */
  next: string | null;
}

/**
 * Listening (issue 18): one `listen-<accountId>` timer per listening account,
 * re-armed after each poll (on AWS an EventBridge one-time schedule, so a
 * paused account costs nothing). A poll asks the account's source (Mastodon,
 * Bluesky) for what came in since its cursor, hands the items to the inbox,
 * (our own posts only now and then: OWN_LOOK_EVERY)
 * and only then keeps the new cursor: a crash in between repeats the poll,
 * which the inbox ignores (idempotent by external id). A refused token opens
 * listening_failed once (through the watchdog), as do five other failures in
 * a row; polling backs off (doubling, at most six hours) and the alert
 * resolves with the next poll that succeeds. Polls of one account in one
 * process run one at a time.
 */
export class ListeningService {
  private readonly serial = new KeyedSerial<ListenOutcome>();
  private readonly secrets: ChannelSecrets;
  private readonly sessions: ChannelSessions;
  /** The inbox (issue 18's drumbeat side); until it is set, polls fail harmlessly and retry. */
  sink: InboxSink | undefined;

  constructor(
    private readonly deps: ServiceDeps,
    private readonly alerts: ListeningAlerts,
    sink?: InboxSink,
  ) {
    this.secrets = new ChannelSecrets(deps.sealer);
    this.sessions = new ChannelSessions(deps);
    this.sink = sink;
  }

  /** The `listen` timer handler: polls the account the timer names and re-arms it. Idempotent. */
  run(payload: ListenPayload): Promise<ListenOutcome> {
    return this.poll(payload.workspaceId, payload.accountId);
  }

  /** Polls one account now (see the class comment). */
  poll(ws: string, accountId: string): Promise<ListenOutcome> {
    return this.serial.run(`${ws}/${accountId}`, () => this.pollOnce(ws, accountId));
  }

  /**
   * Arms or cancels the account's timer after a change: cancelled when it
   * stops listening; a poll now when it starts, when its channel changed
   * (new credentials are tried at once) or when it was failing; otherwise no
   * later than one interval.
   */
  async accountChanged(ws: string, accountId: string): Promise<void> {
    const payload: ListenPayload = { kind: 'listen', workspaceId: ws, accountId };
    const account = await this.deps.store.accounts.find(ws, accountId);
    if (!account || !this.listens(account)) return this.deps.scheduler.cancel(timerName(payload));
    const now = this.deps.clock.now();
    const state = await this.deps.store.listenStates.get(ws, accountId);
    const soonest = now.getTime() + everyMs(account);
    const settled = state?.nextPollAt && !state.failingSince && state.channelKey === channelKey(account);
    const due = settled ? Math.min(Date.parse(state.nextPollAt!), soonest) : now.getTime();
    await this.deps.scheduler.schedule({
      name: timerName(payload),
      at: new Date(Math.max(due, now.getTime())),
      payload,
    });
  }

  /** True when the account opted in and its channel has a source. */
  private listens(account: AccountRecord): boolean {
    return (
      !account.archivedAt && account.listening?.enabled === true && this.deps.sourceFor?.(account.channel) !== undefined
    );
  }

  private async pollOnce(ws: string, accountId: string): Promise<ListenOutcome> {
    const payload: ListenPayload = { kind: 'listen', workspaceId: ws, accountId };
    const name = timerName(payload);
    const account = await this.deps.store.accounts.find(ws, accountId);
    const quiet = { accountId, received: 0, created: 0, answeredOutside: 0 };
    if (!account || !this.listens(account)) {
      await this.deps.scheduler.cancel(name);
      return { ...quiet, listening: false, next: null };
    }
    const now = this.deps.clock.now();
    const every = everyMs(account);
    const state = await this.deps.store.listenStates.get(ws, accountId);
    const channel = await this.secrets.openChannel(ws, accountId, account.channel);
    const source = this.deps.sourceFor!(channel)!;

    let found: PollResult;
    let ownPosts = false;
    let created = 0;
    let answeredOutside = 0;
    try {
      const sink = this.sink;
      if (!sink) throw new ChannelError('no inbox to hand items to yet', true);
      // Items stored before the inbox's open index existed are indexed once, before the index is first relied on.
      if (!state?.openIndexed) await sink.indexAwaiting?.(ws, accountId);
      // Our own posts are read only while an item could have been answered outside drumbeat, and at most every OWN_LOOK_EVERY polls.
      ownPosts =
        (state?.sinceOwnLook ?? OWN_LOOK_EVERY) >= OWN_LOOK_EVERY - 1 && (await sink.awaitingAnswer(ws, accountId));
      found = await source.poll({
        channel,
        handle: account.handle,
        ...(state?.cursor ? { cursor: state.cursor } : {}),
        session: this.sessions.for(ws, accountId),
        ownPosts,
      });
      // The inbox takes the items first; the cursor moves only once it has them.
      if (found.items.length) created = (await sink.ingest(ws, accountId, found.items)).created;
      if (found.outsideReplies.length)
        answeredOutside = (await sink.answeredOutside(ws, accountId, found.outsideReplies)).updated;
    } catch (err) {
      return this.failed(account, state, err, now, every, name, payload);
    }
    const next = new Date(now.getTime() + listenDelayMs(every, 0, found.retryAfterMs));
    const cursor = found.cursor ?? state?.cursor;
    // A look asked for but not done (the rate budget ran out first) is due again at the next poll.
    const sinceOwnLook =
      ownPosts && found.ownPostsRead ? 0 : Math.min((state?.sinceOwnLook ?? OWN_LOOK_EVERY) + 1, OWN_LOOK_EVERY);
    await this.deps.store.listenStates.put(
      ws,
      accountId,
      {
        ...(cursor ? { cursor } : {}),
        channelKey: channelKey(account),
        failures: 0,
        openIndexed: true,
        sinceOwnLook,
        polledAt: now.toISOString(),
        nextPollAt: next.toISOString(),
        updatedAt: now.toISOString(),
      },
      state?.version,
    );
    await this.deps.scheduler.schedule({ name, at: next, payload });
    // A poll that works again resolves listening_failed.
    if (state?.failingSince) await this.alerts.listeningChanged(ws, accountId);
    return {
      ...quiet,
      listening: true,
      received: found.items.length,
      created,
      answeredOutside,
      next: next.toISOString(),
    };
  }

  /** Keeps the cursor, counts the failure, backs off, and opens listening_failed when it is time to. */
  private async failed(
    account: AccountRecord,
    state: ListenState | undefined,
    err: unknown,
    now: Date,
    every: number,
    name: string,
    payload: ListenPayload,
  ): Promise<ListenOutcome> {
    const ws = account.workspaceId;
    const final = err instanceof ChannelError && !err.retryable;
    const failures = (state?.failures ?? 0) + 1;
    const retryAfter = err instanceof ChannelError ? err.retryAfterMs : undefined;
    const next = new Date(now.getTime() + listenDelayMs(every, failures, retryAfter));
    const failing =
      state?.failingSince ?? (final || failures >= RETRYABLE_FAILURES_BEFORE_ALERT ? now.toISOString() : undefined);
    const message = (err instanceof Error ? err.message : String(err)).slice(0, 500);
    await this.deps.store.listenStates.put(
      ws,
      account.id,
      {
        ...(state?.cursor ? { cursor: state.cursor } : {}),
        channelKey: channelKey(account),
        failures,
        ...(state?.sinceOwnLook !== undefined ? { sinceOwnLook: state.sinceOwnLook } : {}),
        ...(state?.openIndexed ? { openIndexed: true } : {}),
        ...(failing ? { failingSince: failing } : {}),
        lastError: message,
        ...(state?.polledAt ? { polledAt: state.polledAt } : {}),
        nextPollAt: next.toISOString(),
        updatedAt: now.toISOString(),
      },
      state?.version,
    );
    await this.deps.scheduler.schedule({ name, at: next, payload });
    if (failing && !state?.failingSince) await this.alerts.listeningChanged(ws, account.id);
    return {
      accountId: account.id,
      listening: true,
      received: 0,
      created: 0,
      answeredOutside: 0,
      error: message,
      next: next.toISOString(),
    };
  }
}

/** A fingerprint of the stored channel (its secret sealed): changes when the channel or its credentials do. */
function channelKey(account: AccountRecord): string {
  return sha256Hex(JSON.stringify(account.channel)).slice(0, 22);
}

/** The account's polling interval in ms. */
function everyMs(account: AccountRecord): number {
  return durationMs(account.listening?.every ?? DEFAULT_LISTEN_EVERY);
}
