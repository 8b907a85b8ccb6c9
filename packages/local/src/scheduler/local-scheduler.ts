import { randomUUID } from 'node:crypto';
import type { Clock, Scheduler, Timer, TimerPayload } from '@drumbeat/core';
import type { Db } from '@drumbeat/store';
import { TimerStore, type StoredTimer } from './timer-store.js';
import { GroupCommit, type GroupCommitOptions } from './group-commit.js';

/** What a fired timer's handler learns besides the payload. */
export interface FireMeta {
  name: string;
  dueAt: Date;
  firedAt: Date;
  /** How late the timer fired, ms (0 when on time). */
  latenessMs: number;
  attempt: number;
}

/** Runs one fired timer. Throwing means "try again later"; the timer stays until a run succeeds. */
export type TimerHandler = (payload: TimerPayload, meta: FireMeta) => Promise<void>;

export interface LocalSchedulerOptions {
  db: Db;
  clock: Clock;
  /** This loop's identity for the lease; random by default. */
  owner?: string;
  leaseMs?: number;
  /** Timers read per query. */
  batchSize?: number;
  /** Handlers running at once. */
  concurrency?: number;
  /** Delay before re-running a timer whose handler threw, by attempt (the last repeats). */
  retryDelaysMs?: number[];
  /**
   * `lambda-async` retries a handler that threw as Lambda retries an
   * asynchronous invocation (EventBridge Scheduler's targets): about one
   * minute, then two minutes later, then gives up (`onGiveUp`, where Lambda
   * sends the event to the on-failure queue) and deletes the timer, as
   * EventBridge deletes a fired one-time schedule. So embedded tests can
   * reproduce what happens on AWS (a stuck claim the retries cannot see).
   */
  retryTiming?: 'embedded' | 'lambda-async';
  onGiveUp?: (err: unknown, timer: { name: string; payload: TimerPayload; attempts: number }) => void;
  onError?: (err: unknown, timer: { name: string; payload: TimerPayload }) => void;
  /** Retries of the grouped timer writes' unprocessed items. */
  groupCommit?: GroupCommitOptions;
  /**
   * This loop is the table's only one (the runtime holds the data dir's OS
   * lock): it takes the lease over at once instead of waiting for a lease left
   * by a process that died.
   */
  exclusive?: boolean;
}

const MAX_SLEEP_MS = 60 * 60 * 1000;
/** How soon, and how many times, a round looks again for an already-due timer its index did not show yet. */
const MISSED_DUE_RETRY_MS = 50;
const MISSED_DUE_LOOKS = 40;

/** Lambda's asynchronous retries: two, about one and two minutes after the failure before them. */
export const LAMBDA_ASYNC_RETRY_DELAYS_MS = [60_000, 120_000] as const;

/**
 * The embedded runtime's durable scheduler. Timers are items on a due-time
 * index, so a restart re-reads them and fires the late ones at once with their
 * lateness. One loop per table holds a lease (a conditional update), so two
 * loops never fire the same timers; handlers must still be idempotent, as
 * delivery is at least once. Fired timers are deleted in batches unless they
 * were re-armed while running. Nothing polls: the loop sleeps until the next
 * due time or until a new timer comes due earlier. Arming and cancelling are
 * group-committed: those that arrive while a timer write is under way share
 * the next BatchWriteItem, and each resolves once its own item is written.
 */
export class LocalScheduler implements Scheduler {
  private readonly store: TimerStore;
  private readonly writes: GroupCommit;
  private readonly owner: string;
  private readonly leaseMs: number;
  private readonly batchSize: number;
  private readonly concurrency: number;
  private readonly retryDelaysMs: number[];
  private handler: TimerHandler | undefined;
  private looping = true;
  private serial: Promise<unknown> = Promise.resolve();
  private sleeper: NodeJS.Timeout | undefined;
  private wakeAt: number | undefined;
  private ticking: Promise<void> | undefined;
  private again = false;
  private leaseUntil = 0;
  /**
   * Timers whose handler is running: false while untouched, 'cancelled' once
   * only cancelled meanwhile (the loop's own delete then does the cancel), true
   * once re-armed (or cancelled after a re-arm) meanwhile.
   */
  private readonly inFlight = new Map<string, boolean | 'cancelled'>();
  /** Handlers running, across rounds: the concurrency bound holds for all of them. */
  private readonly active = new Set<Promise<unknown>>();
  /** Rounds the loop left running in the background (their handlers and deletes): stop() waits for them. */
  private readonly background = new Set<Promise<void>>();
  /**
   * Timers scheduled already due that no round of this loop has fired yet,
   * with the rounds that missed them. A store whose due index lags its table
   * (DynamoDB's indexes are eventually consistent) can hide one from the
   * round its schedule woke: that round looks again shortly, a bounded number
   * of times, instead of sleeping until the next timer.
   */
  private readonly dueUnseen = new Map<string, number>();

  constructor(private readonly opts: LocalSchedulerOptions) {
    this.store = new TimerStore(opts.db);
    this.writes = new GroupCommit(opts.db, opts.groupCommit);
    this.owner = opts.owner ?? randomUUID();
    this.leaseMs = opts.leaseMs ?? 30_000;
    this.batchSize = opts.batchSize ?? 500;
    // Handlers mostly wait on I/O (store, channels); a wide pool keeps a burst from queueing behind slow ones.
    this.concurrency = opts.concurrency ?? 256;
    this.retryDelaysMs = opts.retryDelaysMs ?? [1_000, 5_000, 30_000, 120_000, 300_000];
  }

  /**
   * Creates or replaces a timer (resolving once it is durably written) and
   * wakes the loop if it is due sooner than the next one.
   */
  async schedule(timer: Timer): Promise<void> {
    // Marked before the write too: a fired timer re-armed meanwhile is then deleted only if unchanged, whenever the write lands.
    this.touched(timer.name);
    await this.writes.write(TimerStore.putRequest(timer));
    this.touched(timer.name);
    if (timer.at.getTime() <= this.opts.clock.now().getTime()) this.dueUnseen.set(timer.name, 0);
    else this.dueUnseen.delete(timer.name);
    this.wake(timer.at.getTime());
  }

  /** Removes a timer (resolving once it is gone); a no-op when it does not exist. */
  async cancel(name: string): Promise<void> {
    this.dueUnseen.delete(name);
    // A handler cancelling the timer that fired it (a publish that went out): the loop deletes that
    // timer once the handler is done, and deletes it too if the handler fails, so the cancel costs no
    // write of its own. A crash before that delete fires it again, which handlers absorb (at least once).
    const state = this.inFlight.get(name);
    if (state === false || state === 'cancelled') {
      this.inFlight.set(name, 'cancelled');
      return;
    }
    this.touched(name);
    await this.writes.write(TimerStore.deleteRequest(name));
    this.touched(name);
  }

  /** Notes that a timer whose handler is running was re-armed or cancelled meanwhile. */
  private touched(name: string): void {
    if (this.inFlight.has(name)) this.inFlight.set(name, true);
  }

  /**
   * Starts firing timers through `handler`, beginning with any that came due
   * while stopped. With `loop: false` nothing fires until `runDue()` is called
   * (simulations and tests that move a manual clock).
   */
  start(handler: TimerHandler, opts: { loop?: boolean } = {}): void {
    this.handler = handler;
    this.looping = opts.loop ?? true;
    this.wake(0);
  }

  /** Stops the loop, waits for running handlers and gives up the lease. */
  async stop(): Promise<void> {
    this.handler = undefined;
    if (this.sleeper) clearTimeout(this.sleeper);
    this.sleeper = undefined;
    this.wakeAt = undefined;
    await this.ticking;
    while (this.background.size) await Promise.allSettled([...this.background]);
    await this.store.releaseLease(this.owner);
    this.leaseUntil = 0;
  }

  private wake(atMs: number): void {
    if (!this.handler || !this.looping) return;
    if (this.ticking) {
      this.again = true;
      return;
    }
    if (this.wakeAt !== undefined && this.wakeAt <= atMs) return;
    if (this.sleeper) clearTimeout(this.sleeper);
    const delay = Math.min(Math.max(0, atMs - this.opts.clock.now().getTime()), MAX_SLEEP_MS);
    this.wakeAt = atMs;
    this.sleeper = setTimeout(() => {
      this.sleeper = undefined;
      this.wakeAt = undefined;
      void this.tick();
    }, delay);
  }

  private tick(): Promise<void> {
    this.ticking ??= (async () => {
      try {
        do {
          this.again = false;
          // The loop does not wait for a round's handlers: a slow call never holds back a timer due after it.
          await this.enqueue(false);
        } while (this.again && this.handler);
      } catch (err) {
        this.opts.onError?.(err, { name: '(loop)', payload: undefined as never });
        this.ticking = undefined;
        this.wake(this.opts.clock.now().getTime() + 1_000);
        return;
      }
      this.ticking = undefined;
      const next = await this.store.nextDue(new Set(this.inFlight.keys())).catch(() => undefined);
      if (next) this.wake(next.getTime());
    })();
    return this.ticking;
  }

  private async holdLease(now: Date): Promise<boolean> {
    if (this.leaseUntil - now.getTime() > this.leaseMs / 2) return true;
    if (this.opts.exclusive) {
      await this.store.takeLease(this.owner, now, this.leaseMs);
      this.leaseUntil = now.getTime() + this.leaseMs;
      return true;
    }
    if (await this.store.acquireLease(this.owner, now, this.leaseMs)) {
      this.leaseUntil = now.getTime() + this.leaseMs;
      return true;
    }
    this.leaseUntil = 0;
    return false;
  }

  /**
   * Fires every timer due now (in batches) and returns how many ran. The loop
   * calls it; tests with a manual clock call it after moving the clock.
   */
  runDue(): Promise<number> {
    return this.enqueue(true);
  }

  private enqueue(wait: boolean): Promise<number> {
    const run = this.serial.then(() => this.fireDue(wait));
    this.serial = run.catch(() => undefined);
    return run;
  }

  /**
   * Streams the due timers through at most `concurrency` handlers: the next
   * page is read while the handlers of the last one run (a page cursor, so
   * nothing is read twice in a round), and fired timers are deleted in
   * batches as they finish, never waiting for the slowest of a page. A timer
   * stays in `inFlight` until its item is gone, so a later round cannot fire
   * it again.
   */
  private async fireDue(wait: boolean): Promise<number> {
    const handler = this.handler;
    if (!handler) return 0;
    let ran = 0;
    const running = new Set<Promise<void>>();
    const finished: StoredTimer[] = [];
    const flush = (all: boolean) => {
      while (finished.length >= (all ? 1 : 25)) track(this.remove(finished.splice(0, 25)));
    };
    // A store failure while retrying or deleting leaves the timer in place to fire again (handlers are idempotent).
    const track = (p: Promise<void>) => {
      const q = p.catch((err) => this.opts.onError?.(err, { name: '(loop)', payload: undefined as never }));
      running.add(q);
      void q.finally(() => running.delete(q));
    };
    let cursor: Record<string, unknown> | undefined;
    try {
      for (;;) {
        const now = this.opts.clock.now();
        if (!(await this.holdLease(now))) {
          this.wake(now.getTime() + this.leaseMs);
          break;
        }
        const page = await this.store.due(now, this.batchSize, cursor);
        for (const t of page.timers) {
          this.dueUnseen.delete(t.name);
          if (this.inFlight.has(t.name)) continue;
          while (this.active.size >= this.concurrency) await Promise.race(this.active);
          this.inFlight.set(t.name, false);
          const firing = this.fire(handler, t);
          this.active.add(firing);
          void firing.finally(() => this.active.delete(firing)).catch(() => undefined);
          const fired = firing.then(
            (ok) => void (ok ? finished.push(t) : this.inFlight.delete(t.name)),
            (err: unknown) => {
              this.inFlight.delete(t.name);
              throw err;
            },
          );
          track(fired.then(() => flush(false)));
          ran++;
        }
        if (!page.next) break;
        cursor = page.next;
      }
    } finally {
      const drain = (async () => {
        while (running.size > 0) {
          await Promise.allSettled([...running]);
          flush(true);
        }
      })();
      if (wait) await drain;
      else {
        this.background.add(drain);
        // Once a round that fired something is done, look again: a timer passed over while its neighbours
        // ran may be due. A round that fired nothing does not: its look again would find nothing either and
        // ask for another, so an idle loop would query the store back to back instead of sleeping.
        void drain.finally(() => {
          this.background.delete(drain);
          const now = this.opts.clock.now().getTime();
          if (ran > 0) this.wake(now);
          else if (this.missedDue()) this.wake(now + MISSED_DUE_RETRY_MS);
        });
      }
    }
    return ran;
  }

  /** Counts a round that missed the already-due timers it was woken for; true while any is worth another look. */
  private missedDue(): boolean {
    for (const [name, misses] of this.dueUnseen) {
      // Past this, another loop fired it, or it was removed behind this one's back: stop looking.
      if (misses >= MISSED_DUE_LOOKS) this.dueUnseen.delete(name);
      else this.dueUnseen.set(name, misses + 1);
    }
    return this.dueUnseen.size > 0;
  }

  /** Runs one timer's handler; false when it threw (the timer was moved to a retry, or left to fire again). */
  private async fire(handler: TimerHandler, t: StoredTimer): Promise<boolean> {
    const firedAt = this.opts.clock.now();
    const dueAt = new Date(t.dueAt);
    try {
      await handler(t.payload, {
        name: t.name,
        dueAt,
        firedAt,
        latenessMs: Math.max(0, firedAt.getTime() - dueAt.getTime()),
        attempt: t.attempts + 1,
      });
      return true;
    } catch (err) {
      this.opts.onError?.(err, t);
      if (this.opts.retryTiming === 'lambda-async') return this.retryAsLambda(err, t);
      const delay = this.retryDelaysMs[Math.min(t.attempts, this.retryDelaysMs.length - 1)]!;
      const retryAt = new Date(this.opts.clock.now().getTime() + delay);
      const state = this.inFlight.get(t.name);
      if (state === 'cancelled') await this.store.removeFired([t.name]);
      else if (!state) await this.store.retryLater(t, retryAt);
      this.wake(retryAt.getTime());
      return false;
    }
  }

  /**
   * Lambda retries the failed invocation, not the schedule: the retry is a
   * timer of its own (`<name>~retry<n>`) that neither a re-arm nor a cancel
   * of `<name>` touches, and the fired timer is done (deleted unless re-armed).
   */
  private async retryAsLambda(err: unknown, t: StoredTimer): Promise<true> {
    const m = /^(.*)~retry(\d)$/.exec(t.name);
    const base = m ? m[1]! : t.name;
    const attempt = m ? Number(m[2]) : 0;
    if (attempt >= LAMBDA_ASYNC_RETRY_DELAYS_MS.length) {
      this.opts.onGiveUp?.(err, { name: base, payload: t.payload, attempts: attempt + 1 });
      return true;
    }
    const at = new Date(this.opts.clock.now().getTime() + LAMBDA_ASYNC_RETRY_DELAYS_MS[attempt]!);
    await this.writes.write(TimerStore.putRequest({ name: `${base}~retry${attempt + 1}`, at, payload: t.payload }));
    this.wake(at.getTime());
    return true;
  }

  /** Deletes fired timers (a re-armed one only if unchanged), then lets later rounds see their names again. */
  private async remove(timers: StoredTimer[]): Promise<void> {
    try {
      const rearmed = (t: StoredTimer) => this.inFlight.get(t.name) === true;
      await this.store.removeFired(timers.filter((t) => !rearmed(t)).map((t) => t.name));
      for (const t of timers) if (rearmed(t)) await this.store.removeIfUnchanged(t);
    } finally {
      for (const t of timers) this.inFlight.delete(t.name);
    }
  }
}
