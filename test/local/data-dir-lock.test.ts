import { afterEach, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runToExit, startDrumbeatProcess, type Started } from '../support/process.js';

const running: Started[] = [];
const dirs: string[] = [];
afterEach(async () => {
  for (const p of running.splice(0)) await p.stop('SIGKILL');
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

describe('the data dir is held by an OS lock', () => {
  it('refuses a second process on the same dir, naming the holder, and lets a restart after SIGKILL take it at once', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'drumbeat-lock-'));
    dirs.push(dataDir);
    const first = await startDrumbeatProcess({ DRUMBEAT_DATA_DIR: dataDir });
    running.push(first);

    const second = await runToExit({ DRUMBEAT_DATA_DIR: dataDir });
    expect(second.code).toBe(1);
    expect(second.out).toContain(`data dir ${dataDir} in use by PID ${first.child.pid}`);
    expect(second.out).not.toContain('running at');
    expect((await fetch(`${first.url}/healthz`)).status).toBe(200); // the holder is untouched

    await first.stop('SIGKILL');
    const third = await startDrumbeatProcess({ DRUMBEAT_DATA_DIR: dataDir });
    running.push(third);
    expect((await fetch(`${third.url}/healthz`)).status).toBe(200);
  }, 90_000);
});
