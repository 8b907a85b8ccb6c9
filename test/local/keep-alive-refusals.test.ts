/**
 * Every early refusal of a request whose body is still unread (401, 415, 429,
 * 408; the 413 has its own test) must leave the client's keep-alive pool
 * usable: the server says `Connection: close` (or drains), so the next request
 * on the pool never goes into a closing socket. undici's pool over real TCP,
 * one connection, so the next request goes where the refusal went.
 */
import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Agent, request } from 'undici';
import { createLogger, readConfig, startRuntime, type Runtime } from '@drumbeat/local';
import { startHttpFront } from '../../packages/local/src/http-front.js';

let rt: Runtime;
let key: string;
beforeAll(async () => {
  // A burst of 3 a key, one more a second: four requests in a row get a 429.
  rt = await startRuntime(readConfig({ PORT: '0', DRUMBEAT_MEMORY: '1', DRUMBEAT_RATE_LIMIT: '60/3' }), {
    logger: createLogger('silent'),
  });
  key = rt.firstWorkspace!.apiKey.key;
});
afterAll(async () => {
  await rt.stop();
});

/** Under the 256 KB limit, but more than one socket read: most of it is still on its way when the refusal is sent. */
const bigBody = JSON.stringify({ name: 'x'.repeat(200 * 1024), affiliation: 'agency' });
/** The same bytes sent chunked (a stream has no known length). */
const chunkedBody = () =>
  Readable.from(
    (function* () {
      for (let i = 0; i < bigBody.length; i += 16 * 1024) yield Buffer.from(bigBody.slice(i, i + 16 * 1024));
    })(),
  );

async function nextRequestsSucceed(agent: Agent, url: string, headers: Record<string, string>) {
  for (let i = 0; i < 3; i++) {
    const next = await request(url, { dispatcher: agent, headers });
    expect(next.statusCode).toBe(200);
    await next.body.dump();
  }
}

describe('keep-alive after an early refusal with an unread body', () => {
  for (const chunked of [false, true]) {
    const how = chunked ? 'sent chunked' : 'with a Content-Length';
    const body = () => (chunked ? chunkedBody() : bigBody);

    it(`401 (no key), ${how}: Connection: close, and the next requests on the pool succeed`, async () => {
      const agent = new Agent({ connections: 1, pipelining: 1, keepAliveTimeout: 10_000 });
      try {
        const res = await request(`${rt.url}/v1/voices`, {
          dispatcher: agent,
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: body(),
        });
        expect(res.statusCode).toBe(401);
        expect(res.headers.connection).toBe('close');
        expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
        await res.body.dump();
        await nextRequestsSucceed(agent, `${rt.url}/healthz`, {});
      } finally {
        await agent.close();
      }
    });

    it(`415 (a text body), ${how}: Connection: close, and the next requests on the pool succeed`, async () => {
      const agent = new Agent({ connections: 1, pipelining: 1, keepAliveTimeout: 10_000 });
      try {
        const res = await request(`${rt.url}/v1/voices`, {
          dispatcher: agent,
          method: 'POST',
          headers: { authorization: `Bearer ${key}`, 'content-type': 'text/plain' },
          body: body(),
        });
        expect(res.statusCode).toBe(415);
        expect(res.headers.connection).toBe('close');
        await res.body.dump();
        await nextRequestsSucceed(agent, `${rt.url}/healthz`, {});
      } finally {
        await agent.close();
      }
    });
  }

  it('429 (over the rate limit) with a body: Connection: close, and the next requests on the pool succeed', async () => {
    const agent = new Agent({ connections: 1, pipelining: 1, keepAliveTimeout: 10_000 });
    // A key of its own, so the other tests' requests do not count.
    const created = await request(`${rt.url}/v1/keys`, {
      method: 'POST',
      headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
      body: JSON.stringify({ role: 'editor', name: 'rate' }),
    });
    const own = ((await created.body.json()) as { key?: string }).key;
    expect(created.statusCode, JSON.stringify(own)).toBe(201);
    const auth = { authorization: `Bearer ${own}` };
    try {
      let refused: Awaited<ReturnType<typeof request>> | undefined;
      for (let i = 0; i < 6 && !refused; i++) {
        const res = await request(`${rt.url}/v1/voices`, {
          dispatcher: agent,
          method: 'POST',
          headers: { ...auth, 'content-type': 'application/json' },
          body: bigBody,
        });
        if (res.statusCode === 429) refused = res;
        else await res.body.dump();
      }
      expect(refused?.statusCode).toBe(429);
      expect(refused!.headers.connection).toBe('close');
      expect(refused!.headers['retry-after']).toBeDefined();
      await refused!.body.dump();
      await nextRequestsSucceed(agent, `${rt.url}/healthz`, {});
    } finally {
      await agent.close();
    }
  });

  it('408 (a body that stops coming): Connection: close, and the next requests on the pool succeed', async () => {
    const front = await startHttpFront('127.0.0.1', 0, { requestTimeoutMs: 1_000 });
    front.serve(async (req) => new Response(await req.text(), { status: 200 }));
    const agent = new Agent({ connections: 1, pipelining: 1, keepAliveTimeout: 10_000 });
    try {
      // Announces 1,000 bytes, sends 10, then nothing: the server cuts it with a 408.
      const stalled = new Readable({ read() {} });
      stalled.push('0123456789');
      const res = await request(`${front.url}/slow`, {
        dispatcher: agent,
        method: 'POST',
        headers: { 'content-length': '1000' },
        body: stalled,
      }).catch((e: Error) => e);
      if (res instanceof Error) {
        // undici may see the close before the 408 is parsed; what matters is the pool afterwards.
        expect(res.message).toMatch(/closed|socket|reset/i);
      } else {
        expect(res.statusCode).toBe(408);
        expect(res.headers.connection).toBe('close');
        await res.body.dump();
      }
      stalled.destroy();
      await nextRequestsSucceed(agent, `${front.url}/after`, {});
    } finally {
      await agent.close();
      await front.close(100);
    }
  }, 15_000);
});
