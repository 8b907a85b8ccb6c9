import { afterEach, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startDrumbeatProcess, type Started } from '../support/process.js';

const running: Started[] = [];
afterEach(async () => {
  for (const p of running.splice(0)) await p.stop('SIGKILL');
});

async function json(url: string, init: RequestInit & { key?: string } = {}) {
  const headers: Record<string, string> = { 'Content-Type': 'application/json' };
  if (init.key) headers.Authorization = `Bearer ${init.key}`;
  const res = await fetch(url, { ...init, headers });
  return { status: res.status, body: (await res.json()) as any };
}

describe('npm start (the embedded runtime as a process)', () => {
  it('serves the README walk-through, stops cleanly on Ctrl-C and finds everything after a restart', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'drumbeat-start-'));
    try {
      const first = await startDrumbeatProcess({ DRUMBEAT_DATA_DIR: dataDir, LOG_LEVEL: 'info' });
      running.push(first);
      expect(first.ownerKey).toMatch(/^dbk\./);
      expect(first.adminToken).toMatch(/^dba\./);
      const logLines = first
        .output()
        .split('\n')
        .filter((l) => l.startsWith('{'));
      expect(logLines.some((l) => l.includes('first start: created a workspace'))).toBe(true);
      expect(logLines.filter((l) => l.includes(first.ownerKey!) || l.includes(first.adminToken!))).toEqual([]);
      expect(statSync(join(dataDir, 'admin-token')).mode & 0o777).toBe(0o600);
      const key = first.ownerKey!;

      expect((await json(`${first.url}/healthz`)).body.ok).toBe(true);
      const voice = await json(`${first.url}/v1/voices`, {
        method: 'POST',
        key,
        body: JSON.stringify({ name: 'Anna Bell', affiliation: 'agency', organization: 'Northwind' }),
      });
      expect(voice.status).toBe(201);
      const account = await json(`${first.url}/v1/accounts`, {
        method: 'POST',
        key,
        body: JSON.stringify({
          name: 'Acme on Mastodon',
          network: 'mastodon',
          handle: '@acme',
          timezone: 'Europe/Paris',
          channel: { type: 'manual' },
          cadence: { slots: ['FREQ=WEEKLY;BYDAY=MO,WE,FR;BYHOUR=9;BYMINUTE=30'], maxGap: 'PT48H' },
        }),
      });
      expect(account.status).toBe(201);
      expect((await json(`${first.url}/v1/accounts/${account.body.id}`, { key })).body.handle).toBe('@acme');

      expect(await first.stop('SIGINT')).toBe(0);

      const second = await startDrumbeatProcess({ DRUMBEAT_DATA_DIR: dataDir });
      running.push(second);
      expect(second.ownerKey).toBeUndefined(); // no second bootstrap
      expect(second.adminToken).toBe(first.adminToken);
      expect((await json(`${second.url}/v1/voices/${voice.body.id}`, { key })).body.name).toBe('Anna Bell');
      expect((await json(`${second.url}/v1/accounts/${account.body.id}`, { key })).body.cadence.maxGap).toBe('PT48H');
      const ws = await json(`${second.url}/v1/workspaces`, {
        method: 'POST',
        key: second.adminToken,
        body: JSON.stringify({ name: 'Second' }),
      });
      expect(ws.status).toBe(201);
      expect(await second.stop('SIGTERM')).toBe(0);
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  }, 90_000);

  it('honours DRUMBEAT_ADMIN_TOKEN and keeps everything in memory with DRUMBEAT_MEMORY=1', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'drumbeat-mem-'));
    try {
      const p = await startDrumbeatProcess({
        DRUMBEAT_MEMORY: '1',
        DRUMBEAT_ADMIN_TOKEN: 'my-admin-token',
        DRUMBEAT_DATA_DIR: dataDir,
      });
      running.push(p);
      expect(p.adminToken).toBeUndefined();
      const r = await json(`${p.url}/v1/workspaces`, {
        method: 'POST',
        key: 'my-admin-token',
        body: JSON.stringify({ name: 'Mem' }),
      });
      expect(r.status).toBe(201);
      expect(await p.stop()).toBe(0);
      expect(() => statSync(join(dataDir, 'db'))).toThrow();
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  }, 60_000);
});
