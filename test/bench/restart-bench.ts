/**
 * Restart after a crash (issue 15): the built runtime (`node dist/local/drumbeat.mjs`,
 * what `npm start` runs after its build step and what a supervisor restarts)
 * publishes a burst to a receiver that turns slow after ten posts, is
 * SIGKILLed mid-burst, and is started again on the same data dir, as
 * systemd's `Restart=always` would. Reported: from the restart (spawn) to the
 * first publication of the new process (the receiver's clock, when the call
 * arrives), split into spawn → listening (Node, loading the bundle, the
 * store's files, the boot checks) and listening → first publication (lease
 * takeover, the scheduler's first round). Budget: the first publication
 * within 2 s of the restart. The build is timed apart: `npm start` pays it
 * after a change (a full build) or not (the up-to-date check); a supervisor's
 * restart never does.
 * Alone: `npm run bench -- --only=restart` (`--quick`: 40 posts instead of 120).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildLocal } from '../../scripts/build-local.mjs';
import { startDrumbeatProcess } from '../support/process.js';
import { burstAccount, call, until } from '../support/process-calls.js';
import { json, startRecorder } from '../support/http-recorder.js';
import type { Bench, Figure } from './figure.js';

/** The promise: a restarted process publishes what is due within 2 s. */
const BUDGET_MS = 2_000;

export const restartBench: Bench = {
  name: 'restart after SIGKILL',
  async run({ quick, progress }) {
    const n = quick ? 40 : 120;
    const dataDir = mkdtempSync(join(tmpdir(), 'drumbeat-bench-restart-'));
    const build = await buildLocal({ force: true });
    const check = await buildLocal();
    progress(
      `npm start's build step: ${Math.round(build.ms)} ms to build, ${Math.round(check.ms)} ms to find the build up to date`,
    );
    let seen = 0;
    let slow = true;
    // Set once the restarted process's first call arrives (polling for it would add up to 100 ms).
    let firstAt = 0;
    const receiver = await startRecorder((_r, res) => {
      if (!slow && !firstAt) firstAt = Date.now();
      setTimeout(() => json(res, 200, {}), ++seen <= 10 || !slow ? 0 : 3_000);
    });
    try {
      const first = await startDrumbeatProcess({ DRUMBEAT_DATA_DIR: dataDir });
      try {
        const key = first.ownerKey!;
        const { voice, account } = await burstAccount(first.url, key, 'Bench', receiver.url);
        const at = new Date(Date.now() + 5_000 + n * 40).toISOString();
        for (let i = 0; i < n; i++)
          await call(first.url, key, 'POST', `/v1/accounts/${account}/posts`, {
            text: `burst ${i}`,
            voiceId: voice,
            at,
          });
        progress(`${n} posts due at ${at}; killing the process once the burst is under way`);
        await until(() => receiver.requests.length >= 20, 60_000, 'the burst to start');
      } finally {
        await first.stop('SIGKILL');
      }
      const spawnedAt = Date.now();
      slow = false;
      const second = await startDrumbeatProcess({ DRUMBEAT_DATA_DIR: dataDir, LOG_LEVEL: 'info' });
      // When the process logged it listens (its scheduler has started by then), not when this poll saw it.
      const logged = /"time":"([^"]+)"[^\n]*drumbeat is listening/.exec(second.output())?.[1];
      const listeningAt = logged ? Date.parse(logged) : Date.now();
      try {
        await until(() => firstAt > 0, 60_000, 'a publication by the restarted process');
        const total = firstAt - spawnedAt;
        progress(
          `spawn → listening ${listeningAt - spawnedAt} ms, listening → first publication ${firstAt - listeningAt} ms (first call received ${new Date(firstAt).toISOString()})`,
        );
        // Over budget: what the restarted process logged, to see where the time went.
        if (total >= BUDGET_MS)
          for (const line of second
            .output()
            .split('\n')
            .filter((l) => l.startsWith('{'))
            .slice(0, 12))
            progress(line.slice(0, 240));
        const figures: Figure[] = [
          { name: "restart: npm start's build (after a change)", value: build.ms, unit: 'ms' },
          { name: "restart: npm start's build (up to date)", value: check.ms, unit: 'ms' },
          { name: 'restart: spawn → listening', value: listeningAt - spawnedAt, unit: 'ms' },
          { name: 'restart: listening → first publication', value: firstAt - listeningAt, unit: 'ms' },
          {
            name: 'restart: spawn → first publication',
            value: total,
            unit: 'ms',
            budget: `< ${BUDGET_MS} ms`,
            ok: total < BUDGET_MS,
          },
        ];
        return figures;
      } finally {
        await second.stop('SIGKILL');
      }
    } finally {
      await receiver.close();
      rmSync(dataDir, { recursive: true, force: true });
    }
  },
};
