import { afterEach, describe, expect, it } from 'vitest';
import { mkdtempSync, readdirSync, rmSync, statSync, truncateSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runToExit, startDrumbeatProcess } from '../support/process.js';
import { burstAccount, call, until } from '../support/process-calls.js';
import { json, startRecorder } from '../support/http-recorder.js';

const cleanup: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const f of cleanup.splice(0).reverse()) await f();
});

/** The engine's newest write-ahead log, where the latest writes are. */
function newestLog(dbDir: string): string {
  const logs = readdirSync(dbDir)
    .filter((f) => f.endsWith('.log'))
    .sort();
  return join(dbDir, logs.at(-1)!);
}

describe('a store that lost writes (rolled back)', () => {
  it('refuses to start, names the workspace and the seqs, and publishes nothing twice', async () => {
    const N = 20;
    const dataDir = mkdtempSync(join(tmpdir(), 'drumbeat-rollback-'));
    cleanup.push(async () => rmSync(dataDir, { recursive: true, force: true }));
    const receiver = await startRecorder((_req, res) => json(res, 200, {}));
    cleanup.push(() => receiver.close());

    const first = await startDrumbeatProcess({ DRUMBEAT_DATA_DIR: dataDir });
    cleanup.push(() => first.stop('SIGKILL'));
    const key = first.ownerKey!;
    const ws = /^dbk\.(ws_[^.]+)\./.exec(key)![1]!;
    const { voice, account } = await burstAccount(first.url, key, 'Roll', receiver.url);
    const at = new Date(Date.now() + 6_000).toISOString();
    for (let i = 0; i < N; i++)
      expect(
        (await call(first.url, key, 'POST', `/v1/accounts/${account}/posts`, { text: `roll ${i}`, voiceId: voice, at }))
          .status,
      ).toBe(201);
    // What the log holds before the burst: cutting it back there loses every claim, ledger entry and published state.
    const log = newestLog(join(dataDir, 'db'));
    const sizeBeforeBurst = statSync(log).size;

    await until(
      async () =>
        (await call(first.url, key, 'GET', `/v1/accounts/${account}/posts?status=published&limit=100`)).body.items
          .length === N,
      60_000,
      'the burst published',
    );
    expect(receiver.requests).toHaveLength(N);
    expect(await first.stop('SIGINT')).toBe(0);

    // What a power loss leaves when the newest writes never reached the disk.
    expect(newestLog(join(dataDir, 'db'))).toBe(log);
    truncateSync(log, sizeBeforeBurst);

    const second = await runToExit({ DRUMBEAT_DATA_DIR: dataDir });
    expect(second.code).toBe(1);
    expect(second.out).toContain('is behind its ledger checkpoint');
    expect(second.out).toContain(`workspace ${ws}: expected ledger seq ${N}`);
    expect(second.out).toMatch(/found seq 0\b/);
    expect(second.out).not.toContain('running at');

    // Refused again on a second try, and nothing reached the receiver twice.
    expect((await runToExit({ DRUMBEAT_DATA_DIR: dataDir })).code).toBe(1);
    await new Promise((r) => setTimeout(r, 1_000));
    expect(receiver.requests).toHaveLength(N);
    expect(new Set(receiver.requests.map((r) => r.headers['webhook-id'])).size).toBe(N);
  }, 120_000);
});
