import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFile } from 'node:child_process';
import { appendFileSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { DeleteCommand, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { Webhook } from 'standardwebhooks';
import { hashEntry, type LedgerEntry } from '@drumbeat/core';
import { createLogger } from '@drumbeat/local';
import { dispatchTimers } from '../../packages/local/src/timer-dispatch.js';
import { accountBody, startTestApi, type TestApi } from '../support/api.js';
import { json, startRecorder, type HttpRecorder } from '../support/http-recorder.js';

const run = promisify(execFile);
let api: TestApi;
let channel: HttpRecorder;
let receiver: HttpRecorder;
const dir = mkdtempSync(join(tmpdir(), 'drumbeat-audit-'));
const secrets = new Map<string, string>();

/**
 * The receiver an auditor runs: it checks each delivery's Standard Webhooks
 * signature and appends the checkpoint of every `post.published` event to
 * `<workspace>.jsonl` (its own archive, outside drumbeat).
 */
beforeAll(async () => {
  api = await startTestApi({ now: '2026-11-23T10:00:00Z' });
  channel = await startRecorder((_r, res) => json(res, 200, { url: 'https://social.example/p' }));
  receiver = await startRecorder((req, res) => {
    const ws = req.path.split('/').pop()!;
    const event = new Webhook(secrets.get(ws)!).verify(req.body, req.headers) as {
      type: string;
      data: { ledger?: { checkpoint?: unknown } };
    };
    if (event.type === 'post.published' && event.data.ledger?.checkpoint)
      appendFileSync(join(dir, `${ws}.jsonl`), `${JSON.stringify(event)}\n`);
    json(res, 204, {});
  });
  api.scheduler.start(dispatchTimers(api.services, createLogger('silent')), { loop: false });
});
afterAll(async () => {
  await api.scheduler.stop();
  await receiver.close();
  await channel.close();
  await api.close();
});

/** A workspace whose receiver collected the checkpoints of `n` publications; returns it with its key. */
async function publishedWorkspace(name: string, n: number) {
  const w = await api.workspace(name);
  const sub = await api.call('POST', '/v1/webhooks', {
    key: w.key,
    body: { url: `${receiver.url}/hooks/${w.id}`, events: ['post.published'] },
  });
  secrets.set(w.id, sub.body.secret);
  const voice = (await api.call('POST', '/v1/voices', { key: w.key, body: { name: 'Writer', affiliation: 'agency' } }))
    .body.id;
  const acc = (
    await api.call('POST', '/v1/accounts', {
      key: w.key,
      body: accountBody({ channel: { type: 'webhook', url: channel.url }, disclosure: { publicPage: true } }),
    })
  ).body.id;
  const base = Date.parse(api.clock.now().toISOString());
  for (let i = 1; i <= n; i++) {
    const at = new Date(base + i * 60_000).toISOString();
    const id = (
      await api.call('POST', `/v1/accounts/${acc}/posts`, {
        key: w.key,
        body: { text: `post ${i}`, voiceId: voice, at },
      })
    ).body.id;
    api.clock.set(at);
    expect(await api.services.publisher.run({ workspaceId: w.id, postId: id })).toBe('published');
    await api.scheduler.runDue(); // deliver the event to the receiver
    await api.scheduler.runDue();
  }
  return { ...w, acc };
}

/** Exports the ledger through the API to a file and runs `npx drumbeat-verify` on it and the receiver's archive. */
async function audit(w: { id: string; key: string }) {
  const exported = await api.call('GET', '/v1/attribution/export', { key: w.key });
  expect(exported.status).toBe(200);
  const ledger = join(dir, `${w.id}-ledger.json`);
  writeFileSync(ledger, JSON.stringify(exported.body));
  try {
    const { stdout } = await run('npx', ['--no-install', 'drumbeat-verify', ledger, join(dir, `${w.id}.jsonl`)], {
      cwd: process.cwd(),
    });
    return { code: 0, stdout };
  } catch (e) {
    const err = e as { code: number; stdout: string; stderr: string };
    return { code: err.code, stdout: err.stdout + err.stderr };
  }
}

const ledgerKey = (ws: string, seq: number) => ({ pk: `WS#${ws}`, sk: `LEDGER#${String(seq).padStart(12, '0')}` });

describe('checkpoints anyone can hold', () => {
  it('reach webhook receivers in every post.published event, signed, and the transparency page shows the key and the latest one', async () => {
    const w = await publishedWorkspace('Clean Co', 3);
    const lines = (await import('node:fs'))
      .readFileSync(join(dir, `${w.id}.jsonl`), 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(lines.map((e) => e.data.ledger.seq)).toEqual([1, 2, 3]);
    expect(lines.map((e) => e.data.ledger.checkpoint.seq)).toEqual([1, 2, 3]);
    const publicKey = lines[0].data.ledger.checkpoint.publicKey;
    expect(publicKey).toMatch(/^[A-Za-z0-9_-]{43}$/);
    const page = (await (await api.app.request(`/t/${w.slug}/@acme.json`)).json()) as any;
    expect(page.checkpoints).toEqual({ algorithm: 'Ed25519', publicKey, latest: lines[2].data.ledger.checkpoint });
    const html = await (await api.app.request(`/t/${w.slug}/@acme`)).text();
    expect(html).toContain(publicKey);
    expect(html).toContain(lines[2].data.ledger.checkpoint.signature);

    const clean = await audit(w);
    expect(clean.stdout).toContain('OK: ledger of');
    expect(clean.stdout).toContain('3 with a valid signature, 3 found in the ledger');
    expect(clean.code).toBe(0);
    expect((await api.call('GET', '/v1/attribution/verify', { key: w.key })).body).toEqual({
      ok: true,
      entries: 3,
      checkpoints: { stored: 3, verified: 3 },
      findings: [],
    });
  });

  it('name an entry rewritten in the store, even with the chain after it recomputed', async () => {
    const w = await publishedWorkspace('Rewritten Co', 4);
    // Someone with the table rewrites entry 2's author and recomputes every hash after it, so the chain holds again.
    const entries = (await api.call('GET', '/v1/attribution/export', { key: w.key })).body.entries as LedgerEntry[];
    let prev = entries[0]!.hash;
    for (const e of entries.slice(1)) {
      const forged = {
        ...e,
        prevHash: prev,
        ...(e.seq === 2 ? { voice: { ...e.voice, name: 'Someone Else', affiliation: 'in_house' as const } } : {}),
      };
      const hash = await hashEntry(forged);
      const item = (
        await api.store.db.doc.send(new GetCommand({ TableName: api.store.db.table, Key: ledgerKey(w.id, e.seq) }))
      ).Item!;
      await api.store.db.doc.send(
        new PutCommand({ TableName: api.store.db.table, Item: { ...item, ...forged, hash } }),
      );
      prev = hash;
    }
    const r = await audit(w);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('FAILED');
    expect(r.stdout).toContain('rewritten at entry 2: entry 2 was rewritten');
    // The API's own check catches it too while the stored signatures stay beside the forged entries: they sign the old hashes.
    const verify = (await api.call('GET', '/v1/attribution/verify', { key: w.key })).body;
    expect(verify).toMatchObject({ ok: false, firstBroken: { seq: 2 } });
  });

  it('name a rolled-back ledger: the entries deleted after the last checkpoint anyone holds', async () => {
    const w = await publishedWorkspace('Rolled Back Co', 5);
    for (const seq of [4, 5])
      await api.store.db.doc.send(new DeleteCommand({ TableName: api.store.db.table, Key: ledgerKey(w.id, seq) }));
    // The store's own chain still holds: only a checkpoint kept elsewhere shows what is missing.
    expect((await api.call('GET', '/v1/attribution/verify', { key: w.key })).body.ok).toBe(true);
    const r = await audit(w);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('rolled_back at entry 5');
    expect(r.stdout).toContain('entries 4 to 5 are missing');
  });
});
