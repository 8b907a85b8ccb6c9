/**
 * A slow receiver beside fast ones (DESIGN.md "Budgets"): one timer whose
 * handler calls a receiver that takes 9 s to answer, and 20 timers due 1 to
 * 4 s after it whose handlers call a receiver that answers at once, on the
 * embedded runtime's durable scheduler. Reported: the fast ones' worst
 * lateness (budget: under 1 s).
 */
import { systemClock } from '@drumbeat/core';
import { LocalScheduler } from '../../packages/local/src/scheduler/index.js';
import { json, startRecorder } from '../support/http-recorder.js';
import type { Bench, Figure } from './figure.js';
import { percentile, startCountedStore } from './bench-store.js';

export const slowReceiverBench: Bench = {
  name: 'slow receiver',
  async run({ progress }) {
    const cs = await startCountedStore();
    const slow = await startRecorder((_r, res) => setTimeout(() => json(res, 200, {}), 9_000));
    const fast = await startRecorder((_r, res) => json(res, 200, {}));
    try {
      const scheduler = new LocalScheduler({ db: cs.store.db, clock: systemClock });
      const lateness: number[] = [];
      scheduler.start(async (p, meta) => {
        const id = (p as { postId: string }).postId;
        await fetch(id === 'slow' ? slow.url : fast.url, { method: 'POST', body: id });
        if (id !== 'slow') lateness.push(meta.latenessMs);
      });
      const now = Date.now() + 500;
      await scheduler.schedule({
        name: 'bench-slow',
        at: new Date(now),
        payload: { kind: 'publish', workspaceId: 'ws_bench', postId: 'slow' },
      });
      for (let i = 0; i < 20; i++) {
        const at = new Date(now + 1_000 + i * 150);
        await scheduler.schedule({
          name: `bench-fast-${i}`,
          at,
          payload: { kind: 'publish', workspaceId: 'ws_bench', postId: `fast-${i}` },
        });
      }
      progress('one receiver answers in 9 s; 20 posts due 1 to 4 s later go to one that answers at once');
      const deadline = Date.now() + 20_000;
      while (lateness.length < 20 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
      await scheduler.stop();
      const sorted = [...lateness].sort((a, b) => a - b);
      const worst = sorted.at(-1) ?? NaN;
      const figures: Figure[] = [
        {
          name: 'slow receiver: fast posts fired',
          value: sorted.length,
          unit: 'posts',
          budget: '= 20',
          ok: sorted.length === 20,
        },
        { name: 'slow receiver: fast posts lateness p50', value: percentile(sorted, 50), unit: 'ms' },
        {
          name: 'slow receiver: fast posts lateness max',
          value: worst,
          unit: 'ms',
          budget: '< 1000 ms beside a 9 s receiver',
          ok: worst < 1000,
        },
      ];
      return figures;
    } finally {
      await slow.close();
      await fast.close();
      await cs.close();
    }
  },
};
