import { afterAll, describe, expect, it } from 'vitest';
import { readFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startDrumbeatProcess, type Started } from '../support/process.js';
import { json, startRecorder, type HttpRecorder } from '../support/http-recorder.js';

/** SOAK_SECONDS sets the length (60 in CI; longer runs for a soak by hand). Loopback only, bounded. */
const SECONDS = Number(process.env.SOAK_SECONDS ?? 60);
const cleanup: (() => Promise<unknown>)[] = [];
afterAll(async () => {
  for (const f of cleanup.reverse()) await f();
});

const rssMb = (pid: number) => Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))![1]) / 1024;

describe('soak', () => {
  it(
    `serves ${SECONDS} s of mixed load without an error, with memory that stays flat`,
    async () => {
      const dir = mkdtempSync(join(tmpdir(), 'drumbeat-soak-'));
      cleanup.push(async () => rmSync(dir, { recursive: true, force: true }));
      const receiver: HttpRecorder = await startRecorder((_r, res) =>
        json(res, 200, { url: 'https://social.example/x' }),
      );
      cleanup.push(() => receiver.close());
      // The soak is about errors and memory under load, not the per-key limiter (tested in
      // test/security): lift the limit so a fast machine's request rate cannot turn into 429s.
      const rt: Started = await startDrumbeatProcess({ DRUMBEAT_DATA_DIR: dir, DRUMBEAT_RATE_LIMIT: '1000000/100000' });
      cleanup.push(() => rt.stop('SIGKILL'));
      const key = rt.ownerKey!;
      const errors: string[] = [];
      let requests = 0;
      const call = async (method: string, path: string, body?: unknown) => {
        requests++;
        const res = await fetch(`${rt.url}${path}`, {
          method,
          headers: { Authorization: `Bearer ${key}`, 'Content-Type': 'application/json' },
          ...(body ? { body: JSON.stringify(body) } : {}),
        });
        const text = await res.text();
        if (res.status >= 500 || (res.status >= 400 && res.status !== 409))
          errors.push(`${method} ${path} → ${res.status} ${text.slice(0, 160)}`);
        return text ? JSON.parse(text) : undefined;
      };
      const voice = (await call('POST', '/v1/voices', { name: 'Soak', affiliation: 'automation' })).id;
      const accounts: string[] = [];
      for (let i = 0; i < 4; i++) {
        accounts.push(
          (
            await call('POST', '/v1/accounts', {
              name: `Soak ${i}`,
              network: 'other',
              handle: `@soak${i}`,
              timezone: ['Europe/Paris', 'America/New_York', 'Asia/Tokyo', 'UTC'][i],
              channel: { type: 'webhook', url: receiver.url },
              cadence: { slots: ['FREQ=HOURLY;BYMINUTE=0,15,30,45'], maxGap: 'PT6H' },
            })
          ).id,
        );
      }
      await call('POST', '/v1/webhooks', { url: `${receiver.url}/events`, events: ['*'] });

      const stopAt = Date.now() + SECONDS * 1000;
      const warmAt = Date.now() + Math.min(10, SECONDS / 4) * 1000;
      let warmRss = 0;
      const startRss = rssMb(rt.child.pid!);
      const worker = async (w: number) => {
        for (let i = 0; Date.now() < stopAt; i++) {
          if (!warmRss && Date.now() > warmAt) warmRss = rssMb(rt.child.pid!);
          const acc = accounts[(w + i) % accounts.length]!;
          switch (i % 6) {
            case 0:
              await call('POST', `/v1/accounts/${acc}/posts`, {
                text: `soon ${w}-${i}`,
                voiceId: voice,
                at: new Date(Date.now() + 1500).toISOString(),
              });
              break;
            case 1:
              await call('POST', `/v1/accounts/${acc}/posts`, { text: `slot ${w}-${i}`, voiceId: voice, slot: 'next' });
              break;
            case 2:
              await call('GET', `/v1/accounts/${acc}/calendar`);
              break;
            case 3:
              await call('GET', `/v1/accounts/${acc}/posts?limit=50`);
              break;
            case 4:
              await call('GET', `/v1/accounts/${acc}/attribution?limit=20`);
              break;
            default:
              await call('GET', '/v1/voices');
          }
        }
      };
      await Promise.all(Array.from({ length: 8 }, (_, w) => worker(w)));
      await new Promise((r) => setTimeout(r, 3000)); // the last posts come due and go out
      const endRss = rssMb(rt.child.pid!);
      const verify = await call('GET', '/v1/attribution/verify');
      console.log(
        `soak: ${requests} requests in ${SECONDS} s, ${receiver.requests.length} deliveries, RSS ${startRss.toFixed(0)} MB at start, ${warmRss.toFixed(0)} MB warm, ${endRss.toFixed(0)} MB at the end`,
      );
      expect(errors).toEqual([]);
      expect(verify.ok).toBe(true);
      expect(verify.entries).toBeGreaterThan(0);
      expect(endRss).toBeLessThan(warmRss * 1.5 + 64);
    },
    (Number(process.env.SOAK_SECONDS ?? 60) + 90) * 1000,
  );
});
