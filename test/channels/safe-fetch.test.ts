import type { TLSSocket } from 'node:tls';
import { describe, expect, it } from 'vitest';
import { checkEgressUrl, createSafeFetch, SafeFetchError, type Resolver } from '@drumbeat/channels';
import { json, startRecorder } from '../support/http-recorder.js';
import { rejection } from '../support/rejection.js';
import { closedAfterEach } from '../support/closed-after-each.js';
import { TLS } from './tls-fixture.js';

const keep = closedAfterEach();
const serve = async (...args: Parameters<typeof startRecorder>) => keep(await startRecorder(...args));

/** A resolver that maps names to fixed answers, one per call in turn (the last one repeats). */
function scriptedResolver(answers: Record<string, string[][]>): Resolver & { calls: string[] } {
  const calls: string[] = [];
  const resolve = async (host: string) => {
    calls.push(host);
    const list = answers[host] ?? [];
    const i = calls.filter((h) => h === host).length - 1;
    const addrs = list[Math.min(i, list.length - 1)] ?? [];
    return addrs.map((address) => ({ address, family: address.includes(':') ? 6 : 4 }));
  };
  return Object.assign(resolve, { calls });
}

const fetchError = (p: Promise<unknown>) => rejection(p, SafeFetchError);

describe('safe fetch in allowPrivate mode', () => {
  it('reaches a loopback server and returns status, headers and body', async () => {
    const s = await serve((req, res) => json(res, 201, { got: req.body }, { 'x-a': '1' }));
    const res = await createSafeFetch({ allowPrivate: true })(`${s.url}/p?q=1`, {
      method: 'POST',
      body: 'hé',
      headers: { 'x-b': '2' },
    });
    expect(res.status).toBe(201);
    expect(res.headers.get('x-a')).toBe('1');
    expect(JSON.parse(await res.text())).toEqual({ got: 'hé' });
    expect(s.requests[0]).toMatchObject({
      method: 'POST',
      path: '/p?q=1',
      headers: { 'x-b': '2', 'content-length': '3' },
    });
  });

  it('connects to the checked address but keeps the URL host for Host and TLS SNI', async () => {
    let servername: string | false | null | undefined;
    const s = await serve((_req, res, raw) => {
      servername = (raw.socket as TLSSocket).servername;
      json(res, 200, {});
    }, TLS);
    const resolve = scriptedResolver({ 'hooks.agency.test': [['127.0.0.1']] });
    const res = await createSafeFetch({ allowPrivate: true, resolve, ca: TLS.cert })(
      `https://hooks.agency.test:${s.port}/hook`,
    );
    expect(res.status).toBe(200);
    expect(s.requests[0]!.headers.host).toBe(`hooks.agency.test:${s.port}`);
    expect(servername).toBe('hooks.agency.test');
    expect(resolve.calls).toEqual(['hooks.agency.test']);
  });

  it('does not follow redirects: a 3xx comes back as it is and its target is never called', async () => {
    const target = await serve((_req, res) => json(res, 200, {}));
    const s = await serve((_req, res) => {
      res.writeHead(302, { location: `${target.url}/internal` });
      res.end();
    });
    const res = await createSafeFetch({ allowPrivate: true })(s.url);
    expect(res.status).toBe(302);
    expect(res.headers.get('location')).toBe(`${target.url}/internal`);
    expect(target.connections()).toBe(0);
  });

  it('still refuses plain http to a name that resolves to a public address', async () => {
    const resolve = scriptedResolver({ 'tools.agency.example': [['93.184.216.34']] });
    const err = await fetchError(createSafeFetch({ allowPrivate: true, resolve })('http://tools.agency.example/hook'));
    expect(err.code).toBe('refused');
    expect(err.message).toMatch(/plain http is refused/);
  });
});

describe('safe fetch without allowPrivate', () => {
  it('refuses IP literals of private classes and plain http before any connection', async () => {
    const s = await serve((_req, res) => json(res, 200, {}), TLS);
    const fetch = createSafeFetch({ allowPrivate: false, ca: TLS.cert });
    for (const url of [
      `https://127.0.0.1:${s.port}/`,
      `https://[::ffff:127.0.0.1]:${s.port}/`,
      `http://127.0.0.1:${s.port}/`,
      `https://169.254.169.254/`,
    ]) {
      expect((await fetchError(fetch(url))).code).toBe('refused');
    }
    expect(s.connections()).toBe(0);
  });

  it('refuses a name that resolves to loopback at connect time (localhost, real resolver)', async () => {
    const s = await serve((_req, res) => json(res, 200, {}), TLS);
    const err = await fetchError(
      createSafeFetch({ allowPrivate: false, ca: TLS.cert })(`https://localhost:${s.port}/hook`),
    );
    expect(err).toMatchObject({ code: 'refused', sent: false });
    expect(err.message).toMatch(/loopback/);
    expect(s.connections()).toBe(0);
  });

  it('defeats DNS rebinding: the name passed validation, then resolves to loopback when connecting', async () => {
    const s = await serve((_req, res) => json(res, 200, {}), TLS);
    const resolve = scriptedResolver({ 'rebind.example': [['93.184.216.34'], ['127.0.0.1']] });
    const url = `https://rebind.example:${s.port}/hook`;
    await expect(checkEgressUrl(url, { allowPrivate: false, path: 'channel.url', resolve })).resolves.toBeInstanceOf(
      URL,
    );
    const err = await fetchError(createSafeFetch({ allowPrivate: false, resolve, ca: TLS.cert })(url));
    expect(err.code).toBe('refused');
    expect(resolve.calls).toEqual(['rebind.example', 'rebind.example']);
    expect(s.connections()).toBe(0);
  });
});

describe('safe fetch bounds', () => {
  it('times out a server that never answers, saying the request was sent', async () => {
    const s = await serve(() => undefined);
    const started = Date.now();
    const err = await fetchError(
      createSafeFetch({ allowPrivate: true, timeoutMs: 5000 })(s.url, { method: 'POST', body: '{}', timeoutMs: 150 }),
    );
    expect(err).toMatchObject({ code: 'timeout', sent: true });
    expect(Date.now() - started).toBeLessThan(2000);
  });

  it('honours an abort signal', async () => {
    const s = await serve(() => undefined);
    const err = await fetchError(createSafeFetch({ allowPrivate: true })(s.url, { signal: AbortSignal.timeout(100) }));
    expect(err.code).toBe('timeout');
  });

  it('refuses a response body larger than the limit', async () => {
    const s = await serve((_req, res) => res.end('x'.repeat(200_000)));
    const err = await fetchError(createSafeFetch({ allowPrivate: true, maxResponseBytes: 64 * 1024 })(s.url));
    expect(err).toMatchObject({ code: 'too_large', status: 200 });
  });

  it('reports a connection refused as a network error before sending', async () => {
    const s = await serve(() => undefined);
    await s.close();
    const err = await fetchError(createSafeFetch({ allowPrivate: true })(s.url, { method: 'POST', body: 'x' }));
    expect(err).toMatchObject({ code: 'network', sent: false });
    expect(err.message).toMatch(/ECONNREFUSED/);
  });
});
