import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import { ManualClock, systemClock, type TimerPayload } from '@drumbeat/core';
import type { Db } from '@drumbeat/store';
import type { Store } from '@drumbeat/store';
import { LocalScheduler, type FireMeta } from '../../packages/local/src/scheduler/index.js';
import { startTestStore } from '../support/store.js';

let store: Store;
let close: () => Promise<void>;
beforeAll(async () => ({ store, close } = await startTestStore()));
afterAll(() => close());

const publish = (postId: string): TimerPayload => ({ kind: 'publish', workspaceId: 'ws_t', postId });
const until = async (cond: () => boolean, ms = 5_000) => {
  const start = Date.now();
  while (!cond()) {
    if (Date.now() - start > ms) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 10));
  }
};

describe('the local durable scheduler', () => {
  it('fires a timer once at its time', async () => {
    const s = new LocalScheduler({ db: store.db, clock: systemClock });
    const fired: FireMeta[] = [];
    s.start(async (_p, meta) => void fired.push(meta));
    const at = new Date(Date.now() + 300);
    await s.schedule({ name: 'post-on-time', at, payload: publish('on-time') });
    await until(() => fired.length === 1);
    expect(fired[0]!.firedAt.getTime()).toBeGreaterThanOrEqual(at.getTime());
    expect(fired[0]!.latenessMs).toBeLessThan(1_000);
    await new Promise((r) => setTimeout(r, 200));
    expect(fired).toHaveLength(1);
    await s.stop();
  });

  it('keeps timers across a restart and fires late ones at once, with their lateness', async () => {
    const before = new LocalScheduler({ db: store.db, clock: systemClock });
    await before.schedule({ name: 'post-late-1', at: new Date(Date.now() - 5_000), payload: publish('late-1') });
    await before.schedule({ name: 'post-late-2', at: new Date(Date.now() - 1_000), payload: publish('late-2') });
    // never started: the process "died" before the timers came due
    const after = new LocalScheduler({ db: store.db, clock: systemClock });
    const fired = new Map<string, FireMeta>();
    after.start(async (p, meta) => void fired.set((p as { postId: string }).postId, meta));
    await until(() => fired.size === 2);
    expect(fired.get('late-1')!.latenessMs).toBeGreaterThanOrEqual(5_000);
    expect(fired.get('late-2')!.latenessMs).toBeGreaterThanOrEqual(1_000);
    await after.stop();
  });

  it('never lets a slow handler delay timers due after it: each fires at its time while the slow one runs', async () => {
    const s = new LocalScheduler({ db: store.db, clock: systemClock });
    const lateness = new Map<string, number>();
    let slowDone = false;
    s.start(async (p, meta) => {
      const id = (p as { postId: string }).postId;
      if (id === 'slow') await new Promise((r) => setTimeout(r, 6_000)).then(() => (slowDone = true));
      lateness.set(id, meta.latenessMs);
    });
    const now = Date.now();
    await s.schedule({ name: 'post-slow', at: new Date(now + 200), payload: publish('slow') });
    for (let i = 1; i <= 4; i++)
      await s.schedule({ name: `post-fast-${i}`, at: new Date(now + 200 + i * 1_000), payload: publish(`fast-${i}`) });
    await until(() => ['fast-1', 'fast-2', 'fast-3', 'fast-4'].every((id) => lateness.has(id)), 15_000);
    // All four fast ones fired while the slow one still ran, each well under a second late
    // (before, they waited for it: 2 to 5 s late).
    expect(slowDone).toBe(false);
    for (let i = 1; i <= 4; i++) expect(lateness.get(`fast-${i}`)).toBeLessThan(1_000);
    await s.stop();
    expect(slowDone).toBe(true); // stop() waited for the slow handler
  }, 30_000);

  it('never lets two loops fire the same timer', async () => {
    const clock = systemClock;
    const a = new LocalScheduler({ db: store.db, clock, owner: 'loop-a', leaseMs: 2_000 });
    const b = new LocalScheduler({ db: store.db, clock, owner: 'loop-b', leaseMs: 2_000 });
    const counts = new Map<string, number>();
    const handler = async (p: TimerPayload) => {
      const id = (p as { postId: string }).postId;
      counts.set(id, (counts.get(id) ?? 0) + 1);
      await new Promise((r) => setTimeout(r, 2));
    };
    const at = new Date(Date.now() + 100);
    for (let i = 0; i < 60; i++) await a.schedule({ name: `post-pair-${i}`, at, payload: publish(`pair-${i}`) });
    a.start(handler);
    b.start(handler);
    await until(() => counts.size === 60);
    await new Promise((r) => setTimeout(r, 300));
    expect([...counts.values()].every((n) => n === 1)).toBe(true);
    await a.stop();
    await b.stop();
  });

  it('fires a rescheduled timer at its new time only, and a cancelled one never', async () => {
    const clock = new ManualClock('2026-11-23T10:00:00Z');
    const s = new LocalScheduler({ db: store.db, clock });
    const fired: string[] = [];
    s.start(async (p) => void fired.push((p as { postId: string }).postId), { loop: false });
    await s.schedule({ name: 'post-move', at: new Date('2026-11-23T10:01:00Z'), payload: publish('move') });
    await s.schedule({ name: 'post-move', at: new Date('2026-11-23T10:05:00Z'), payload: publish('move') });
    await s.schedule({ name: 'post-drop', at: new Date('2026-11-23T10:01:00Z'), payload: publish('drop') });
    await s.cancel('post-drop');
    await s.cancel('post-never-existed');
    clock.set('2026-11-23T10:02:00Z');
    expect(await s.runDue()).toBe(0);
    clock.set('2026-11-23T10:05:00Z');
    expect(await s.runDue()).toBe(1);
    expect(fired).toEqual(['move']);
    clock.set('2026-11-23T11:00:00Z');
    expect(await s.runDue()).toBe(0);
    await s.stop();
  });

  it('a handler that cancels its own timer costs no write for the cancel: the loop deletes it, even when the handler then fails', async () => {
    const clock = new ManualClock('2026-11-25T10:00:00Z');
    const s = new LocalScheduler({ db: store.db, clock, retryDelaysMs: [10_000] });
    const fired: string[] = [];
    s.start(
      async (p) => {
        const id = (p as { postId: string }).postId;
        fired.push(id);
        await s.cancel(`post-${id}`); // as the publisher cancels the publish timer once the post is out
        if (id === 'self-fails') throw new Error('failed after cancelling its own timer');
        if (id === 'self-rearms')
          await s.schedule({ name: 'post-self-rearms', at: new Date('2026-11-25T12:00:00Z'), payload: p });
      },
      { loop: false },
    );
    for (const id of ['self-ok', 'self-fails', 'self-rearms'])
      await s.schedule({ name: `post-${id}`, at: new Date('2026-11-25T10:01:00Z'), payload: publish(id) });
    const writes: string[] = [];
    const count = (next: (a: unknown) => Promise<unknown>, ctx: { commandName?: string }) => async (args: unknown) => {
      const i = (args as { input: Record<string, unknown> }).input;
      if (ctx.commandName !== 'QueryCommand' && ctx.commandName !== 'GetItemCommand')
        writes.push(`${ctx.commandName}${i.ConditionExpression ? ' (conditional)' : ''}`);
      return next(args);
    };
    store.db.doc.middlewareStack.add(count as never, { step: 'initialize', name: 'cancelOwnCounter' });
    try {
      clock.set('2026-11-25T10:01:00Z');
      expect(await s.runDue()).toBe(3);
    } finally {
      store.db.doc.middlewareStack.remove('cancelOwnCounter');
    }
    // Two fired timers cancelled by their own handler go in one batch delete (the failed one with it or
    // on its own); only the re-armed one needs its put and a conditional delete that spares the new time.
    expect(writes.filter((w) => w.startsWith('DeleteItemCommand (conditional)'))).toHaveLength(1);
    expect(writes.filter((w) => w === 'DeleteItemCommand')).toHaveLength(0);
    clock.set('2026-11-25T11:00:00Z');
    expect(await s.runDue()).toBe(0); // the failed one was not left to retry: it was cancelled
    clock.set('2026-11-25T12:00:00Z');
    expect(await s.runDue()).toBe(1); // the re-armed one kept its new time
    expect(fired.sort()).toEqual(['self-fails', 'self-ok', 'self-rearms', 'self-rearms']);
    await s.stop();
  });

  it('retries a timer whose handler fails, later, until it succeeds', async () => {
    const clock = new ManualClock('2026-11-24T10:00:00Z');
    const s = new LocalScheduler({ db: store.db, clock, retryDelaysMs: [10_000, 60_000] });
    let calls = 0;
    const attempts: number[] = [];
    s.start(
      async (_p, meta) => {
        attempts.push(meta.attempt);
        if (++calls < 3) throw new Error('store unavailable');
      },
      { loop: false },
    );
    await s.schedule({ name: 'post-flaky', at: new Date('2026-11-24T10:00:00Z'), payload: publish('flaky') });
    expect(await s.runDue()).toBe(1);
    clock.advance(5_000);
    expect(await s.runDue()).toBe(0);
    clock.advance(5_000);
    expect(await s.runDue()).toBe(1);
    clock.advance(60_000);
    expect(await s.runDue()).toBe(1);
    clock.advance(600_000);
    expect(await s.runDue()).toBe(0);
    expect(attempts).toEqual([1, 2, 3]);
    await s.stop();
  });

  it('keeps a timer that its own handler re-armed while it ran', async () => {
    const clock = new ManualClock('2026-11-25T10:00:00Z');
    const s = new LocalScheduler({ db: store.db, clock });
    let runs = 0;
    s.start(
      async (p) => {
        runs++;
        if (runs === 1) await s.schedule({ name: 'watchdog-acc', at: new Date('2026-11-25T12:00:00Z'), payload: p });
      },
      { loop: false },
    );
    const payload: TimerPayload = { kind: 'watchdog', workspaceId: 'ws_t', accountId: 'acc' };
    await s.schedule({ name: 'watchdog-acc', at: new Date('2026-11-25T10:00:00Z'), payload });
    expect(await s.runDue()).toBe(1);
    clock.set('2026-11-25T12:00:00Z');
    expect(await s.runDue()).toBe(1);
    expect(runs).toBe(2);
    await s.stop();
  });

  it('does not hold the timers of the next page behind a slow handler', async () => {
    const clock = new ManualClock('2026-11-23T10:00:00Z');
    const s = new LocalScheduler({ db: store.db, clock, batchSize: 2, concurrency: 8 });
    for (const id of ['a', 'b', 'c', 'd', 'e'])
      await s.schedule({
        name: `post-stream-${id}`,
        at: new Date('2026-11-23T09:59:00Z'),
        payload: publish(`stream-${id}`),
      });
    let release!: () => void;
    const slow = new Promise<void>((r) => (release = r));
    const fired: string[] = [];
    s.start(
      async (p) => {
        const id = (p as { postId: string }).postId;
        if (id === 'stream-a') await slow;
        fired.push(id);
      },
      { loop: false },
    );
    const round = s.runDue();
    await until(() => fired.length === 4);
    expect(fired.sort()).toEqual(['stream-b', 'stream-c', 'stream-d', 'stream-e']); // 'a' (first page) still running
    release();
    expect(await round).toBe(5);
    expect(fired).toContain('stream-a');
    expect(await s.runDue()).toBe(0); // every fired timer is gone
    await s.stop();
  });

  it('sleeps when nothing is due: an idle loop does not query the store again and again', async () => {
    // A table of its own: no timer or lease the file's other tests left (some at past manual-clock times) can fire here.
    const own = await startTestStore();
    let queries = 0;
    const counting = {
      send: (cmd: unknown) => (cmd instanceof QueryCommand && queries++, own.store.db.doc.send(cmd as never)),
    } as unknown as Db['doc'];
    // Exclusive, as the embedded runtime runs it.
    const s = new LocalScheduler({
      db: { doc: counting, table: own.store.db.table },
      clock: systemClock,
      exclusive: true,
    });
    const fired: string[] = [];
    await s.schedule({ name: 'post-idle-now', at: new Date(Date.now() - 1), payload: publish('idle-now') });
    await s.schedule({ name: 'post-idle-later', at: new Date(Date.now() + 3_600_000), payload: publish('idle-later') });
    s.start(async (p) => void fired.push((p as { postId: string }).postId));
    await until(() => fired.includes('idle-now'), 15_000);
    // The round that fired it settles first (on a loaded machine that takes a while): wait for 300 ms without a query.
    for (let before = -1, rounds = 0; before !== queries && rounds < 10; rounds++) {
      before = queries;
      await new Promise((r) => setTimeout(r, 300));
    }
    const settled = queries;
    await new Promise((r) => setTimeout(r, 1_000));
    // Nothing due for an hour: a second of idling costs no query (a loop that spun made hundreds).
    expect(queries - settled).toBe(0);
    expect(fired).toEqual(['idle-now']);
    await s.cancel('post-idle-later');
    await s.stop();
    await own.close();
  }, 30_000);

  it('looks again shortly for a due timer its index does not show yet (DynamoDB indexes lag their table)', async () => {
    let hidden = 3; // the first queries after the write do not see it, as an eventually consistent index may not
    const lagging = {
      send: async (cmd: unknown) => {
        const out = (await store.db.doc.send(cmd as never)) as { Items?: { name?: string }[] };
        if (cmd instanceof QueryCommand && hidden > 0 && out.Items?.some((i) => i.name === 'post-lagging')) {
          hidden--;
          return { ...out, Items: out.Items.filter((i) => i.name !== 'post-lagging') };
        }
        return out;
      },
    } as unknown as Db['doc'];
    const s = new LocalScheduler({ db: { doc: lagging, table: store.db.table }, clock: systemClock, exclusive: true });
    const fired: string[] = [];
    s.start(async (p) => void fired.push((p as { postId: string }).postId));
    await s.schedule({ name: 'post-far', at: new Date(Date.now() + 3_600_000), payload: publish('far') });
    await s.schedule({ name: 'post-lagging', at: new Date(Date.now() - 1), payload: publish('lagging') });
    await until(() => fired.length === 1, 10_000);
    expect(fired).toEqual(['lagging']);
    await s.cancel('post-far');
    await s.stop();
  }, 20_000);
});
