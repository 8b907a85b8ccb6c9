import { afterEach, describe, expect, it } from 'vitest';
import { connect } from 'node:net';
import { startDrumbeatProcess, type Started } from '../support/process.js';

const running: Started[] = [];
afterEach(async () => {
  for (const p of running.splice(0)) await p.stop('SIGKILL');
});

describe('a stalled request body', () => {
  it('is cut within seconds (408 and the socket closed), not after Node’s 300 s', async () => {
    const p = await startDrumbeatProcess({ DRUMBEAT_MEMORY: '1' });
    running.push(p);
    const { hostname, port } = new URL(p.url);
    const socket = connect(Number(port), hostname);
    let answer = '';
    socket.on('data', (d) => (answer += d));
    const started = Date.now();
    // Headers promise 100 bytes of body; only 10 ever come.
    socket.write(
      `POST /v1/voices HTTP/1.1\r\nHost: ${hostname}\r\nAuthorization: Bearer ${p.ownerKey}\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{"name":"x`,
    );
    const closedAfterMs = await new Promise<number>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('still open after 20 s')), 20_000);
      socket.on('close', () => {
        clearTimeout(timer);
        resolve(Date.now() - started);
      });
    });
    expect(closedAfterMs).toBeLessThan(20_000);
    expect(answer).toMatch(/^HTTP\/1\.1 408/);
  }, 60_000);
});
