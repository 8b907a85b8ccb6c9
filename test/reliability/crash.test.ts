import { afterEach, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startDrumbeatProcess, type Started } from '../support/process.js';
import { burstAccount, call, until } from '../support/process-calls.js';
import { json, startRecorder, type HttpRecorder } from '../support/http-recorder.js';

const cleanup: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const f of cleanup.splice(0).reverse()) await f();
});

describe('a crash in the middle of a burst', () => {
  it('loses nothing and publishes every post once: SIGKILL while publishing, then restart', async () => {
    const N = 120;
    const dataDir = mkdtempSync(join(tmpdir(), 'drumbeat-crash-'));
    cleanup.push(async () => rmSync(dataDir, { recursive: true, force: true }));
    // A receiver that answers the first ten posts at once and then takes three seconds a post, so the kill
    // lands mid-burst with channel calls sent but unanswered (their outcome unknown to the process that dies).
    // After the kill it answers at once, so the restarted process's pace shows.
    let seen = 0;
    let answered = 0;
    let slow = true;
    const receiver: HttpRecorder = await startRecorder((_req, res) =>
      setTimeout(
        () => {
          answered++;
          json(res, 200, {});
        },
        ++seen <= 10 || !slow ? 0 : 3_000,
      ),
    );
    cleanup.push(() => receiver.close());

    const first = await startDrumbeatProcess({ DRUMBEAT_DATA_DIR: dataDir });
    cleanup.push(() => first.stop('SIGKILL'));
    const key = first.ownerKey!;
    const { voice, account } = await burstAccount(first.url, key, 'Crash', receiver.url);
    const at = new Date(Date.now() + 10_000).toISOString(); // leaves time to create the posts on a busy machine
    const ids: string[] = [];
    for (let i = 0; i < N; i++)
      ids.push(
        (
          await call(first.url, key, 'POST', `/v1/accounts/${account}/posts`, {
            text: `burst ${i}`,
            voiceId: voice,
            at,
          })
        ).body.id,
      );
    expect(new Set(ids).size).toBe(N);

    await until(() => answered >= 10 && receiver.requests.length >= 20, 30_000, 'the burst to start');
    const answeredBeforeKill = answered;
    await first.stop('SIGKILL');
    expect(answeredBeforeKill).toBeLessThan(N); // it really died mid-burst, with calls under way
    slow = false;
    const sentBeforeRestart = receiver.requests.length;

    const second: Started = await startDrumbeatProcess({ DRUMBEAT_DATA_DIR: dataDir });
    const restartedAt = Date.now();
    cleanup.push(() => second.stop('SIGKILL'));
    // The dead process's 30 s scheduler lease does not hold the restarted one back: the due posts go out at once
    // (the bound leaves room for a loaded machine; the old lease alone held it back some 25 s).
    await until(
      () => receiver.requests.length > sentBeforeRestart,
      10_000,
      'a post published by the restarted process',
    );
    const firstAfterRestartMs = Date.now() - restartedAt;
    expect(firstAfterRestartMs).toBeLessThan(10_000);
    await until(
      async () => {
        const page = await call(second.url, key, 'GET', `/v1/accounts/${account}/posts?status=published&limit=200`);
        return page.body.items.length === N;
      },
      60_000,
      'every post published',
    );

    // Each post reached the receiver; a post whose call was cut by the kill may arrive twice, but only with the
    // same webhook-id, which receivers use to drop duplicates (Standard Webhooks).
    const byPost = new Map<string, Set<string>>();
    for (const r of receiver.requests) {
      const postId = JSON.parse(r.body).data.post.id as string;
      byPost.set(postId, (byPost.get(postId) ?? new Set()).add(r.headers['webhook-id']!));
    }
    expect([...byPost.keys()].sort()).toEqual([...ids].sort());
    expect([...byPost.values()].every((webhookIds) => webhookIds.size === 1)).toBe(true);

    const ledger = await call(second.url, key, 'GET', `/v1/accounts/${account}/attribution?limit=200`);
    expect(ledger.body.items).toHaveLength(N);
    expect(new Set(ledger.body.items.map((e: { postId: string }) => e.postId)).size).toBe(N);
    expect((await call(second.url, key, 'GET', '/v1/attribution/verify')).body).toMatchObject({
      ok: true,
      entries: N,
      findings: [],
    });
  }, 120_000);
});
