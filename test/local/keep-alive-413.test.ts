/**
 * A body refused as too large must not break the client's next request on the
 * same keep-alive connection: the runtime's Node server, driven by undici's
 * keep-alive pool (the fetch of Node itself) over real TCP.
 */
import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Agent, request } from 'undici';
import { createLogger, readConfig, startRuntime, type Runtime } from '@drumbeat/local';

let rt: Runtime;
let key: string;
beforeAll(async () => {
  rt = await startRuntime(readConfig({ PORT: '0', DRUMBEAT_MEMORY: '1' }), { logger: createLogger('silent') });
  key = rt.firstWorkspace!.apiKey.key;
});
afterAll(async () => {
  await rt.stop();
});

const twoMegabytes = JSON.stringify({ name: 'x'.repeat(2 * 1024 * 1024), affiliation: 'agency' });

describe('keep-alive after a 413', () => {
  for (const [name, chunked] of [
    ['with a Content-Length', false],
    ['sent chunked, without a Content-Length', true],
  ] as const) {
    it(`answers 413 to a 2 MB body ${name}, and the next requests on the pool succeed`, async () => {
      // One connection only: the next request goes where the 413 went, unless the server said to close it.
      const agent = new Agent({ connections: 1, pipelining: 1, keepAliveTimeout: 10_000 });
      try {
        // a stream has no known length: undici sends it chunked
        const body = chunked
          ? Readable.from(
              (function* () {
                for (let i = 0; i < twoMegabytes.length; i += 64 * 1024)
                  yield Buffer.from(twoMegabytes.slice(i, i + 64 * 1024));
              })(),
            )
          : twoMegabytes;
        const big = await request(`${rt.url}/v1/voices`, {
          dispatcher: agent,
          method: 'POST',
          headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
          body,
        });
        expect(big.statusCode).toBe(413);
        expect(big.headers['content-type']).toMatch(/application\/problem\+json/);
        expect(big.headers.connection).toBe('close');
        expect(((await big.body.json()) as { detail: string }).detail).toMatch(/limited to 262144 bytes/);
        for (let i = 0; i < 3; i++) {
          const next = await request(`${rt.url}/v1/voices`, {
            dispatcher: agent,
            method: 'POST',
            headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
            body: JSON.stringify({ name: `After the refusal ${i}`, affiliation: 'agency' }),
          });
          expect(next.statusCode).toBe(201);
          await next.body.dump();
        }
      } finally {
        await agent.close();
      }
    });
  }

  it('the same through fetch with a keep-alive agent', async () => {
    const agent = new Agent({ connections: 1, keepAliveTimeout: 10_000 });
    try {
      const { fetch } = await import('undici');
      const big = await fetch(`${rt.url}/v1/voices`, {
        dispatcher: agent,
        method: 'POST',
        headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
        body: twoMegabytes,
      });
      expect(big.status).toBe(413);
      await big.text();
      const next = await fetch(`${rt.url}/healthz`, { dispatcher: agent });
      expect(next.status).toBe(200);
    } finally {
      await agent.close();
    }
  });
});
