import { runInNewContext } from 'node:vm';
import { describe, expect, it } from 'vitest';
import { screen, type CfRequest, type CfResponse } from '../../functions/edge.js';
import { edgeInjection } from '../../infra/edge-code.js';
import { ROOT } from '../../scripts/bundle.js';

const ACC = 'acc_01jd2k3m4n5p6q7r8s9t0vwxyz';
/** A feed token as services/feeds.ts makes it: workspace and account id bodies, then a base64url secret. */
const TOKEN = '01jd2k3m4n5p6q7r8s9t0vwxyz' + '01jd2k3m4n5p6q7r8s9t0vwxyz' + 'q2Z8kP0wYbT5nR3xL7cV9dFh1jM4sA6e';

/** A CloudFront Functions viewer-request event's request, as the runtime builds it. */
function request(
  uri: string,
  opts: { method?: string; query?: Record<string, string | string[]>; headers?: Record<string, string> } = {},
): CfRequest {
  const querystring: CfRequest['querystring'] = {};
  for (const [k, v] of Object.entries(opts.query ?? {})) {
    const values = Array.isArray(v) ? v : [v];
    querystring[k] = {
      value: values[0]!,
      ...(values.length > 1 ? { multiValue: values.map((value) => ({ value })) } : {}),
    };
  }
  const headers: CfRequest['headers'] = { host: { value: 'd111111abcdef8.cloudfront.net' } };
  for (const [k, v] of Object.entries(opts.headers ?? {})) headers[k.toLowerCase()] = { value: v };
  return { method: opts.method ?? 'GET', uri, querystring, headers };
}

const status = (r: CfResponse | undefined) => r?.statusCode ?? 'pass';

describe('the edge screen', () => {
  it('lets well-formed public requests through to the origin', () => {
    for (const uri of [
      '/t/acme/@acme',
      '/t/acme-paris/%40acme%40mastodon.social.json',
      '/t/acme/%40acme/transparency.json',
      `/feeds/${TOKEN}.ics`,
    ]) {
      expect(status(screen(request(uri))), uri).toBe('pass');
    }
    expect(
      status(screen(request(`/v1/accounts/${ACC}/calendar.ics`, { headers: { Authorization: 'Bearer key_x' } }))),
    ).toBe('pass');
    expect(status(screen(request('/t/acme/@acme', { method: 'HEAD' })))).toBe('pass');
  });

  it('never touches the private API', () => {
    for (const [method, uri] of [
      ['POST', '/v1/workspaces'],
      ['GET', '/v1/accounts'],
      ['DELETE', '/v1/posts/pst_1'],
      ['GET', '/healthz'],
      ['GET', '/tt/x'],
      ['GET', '/'],
    ]) {
      expect(screen(request(uri!, { method }))).toBeUndefined();
    }
  });

  it('answers 404 for transparency paths that cannot name a page', () => {
    for (const uri of [
      '/t',
      '/t/acme',
      '/t/acme/',
      '/t/acme/@acme/extra',
      '/t/acme/@acme/other.json',
      '/t/acme/@acme/transparency.json/x',
      '/t/Acme/@acme',
      '/t/-acme/@acme',
      '/t/a/@acme',
      `/t/${'a'.repeat(49)}/x`,
      '/t/acme/%E0%A4%A',
      '/t/acme/a%20b',
      '/t/acme/a%2Fb',
      `/t/acme/${'h'.repeat(101)}`,
      '/t/acme/.json',
    ]) {
      expect(status(screen(request(uri))), uri).toBe(404);
    }
  });

  it('answers 404 for feeds whose token is malformed', () => {
    for (const uri of [
      '/feeds/',
      '/feeds/short.ics',
      `/feeds/${TOKEN}`,
      `/feeds/${TOKEN}.ics/x`,
      `/feeds/${TOKEN.slice(0, 60)}!!.ics`,
      `/feeds/${TOKEN.toUpperCase()}.ics`,
      `/feeds/${TOKEN}${'a'.repeat(120)}.ics`,
    ]) {
      expect(status(screen(request(uri))), uri).toBe(404);
    }
  });

  it('checks the account feed: a well-formed account id, then an API key', () => {
    expect(
      status(screen(request('/v1/accounts/acc_bad/calendar.ics', { headers: { Authorization: 'Bearer key_x' } }))),
    ).toBe(404);
    expect(status(screen(request(`/v1/accounts/${ACC}/calendar.ics`)))).toBe(401);
    expect(status(screen(request(`/v1/accounts/${ACC}/calendar.ics`, { query: { token: TOKEN } })))).toBe(401);
  });

  it('drops the query string of public pages and feeds, so it cannot make a fresh cache key, and keeps it elsewhere', () => {
    for (const uri of ['/t/acme/@acme', '/t/acme/@acme.json', `/feeds/${TOKEN}.ics`]) {
      const req = request(uri, { query: { bust: String(Math.random()), v: ['1', '2'] } });
      expect(screen(req), uri).toBeUndefined();
      expect(req.querystring, uri).toEqual({});
    }
    const calendar = request(`/v1/accounts/${ACC}/calendar.ics`, {
      query: { from: '2026-01-01' },
      headers: { Authorization: 'Bearer key_x' },
    });
    screen(calendar);
    expect(Object.keys(calendar.querystring)).toEqual(['from']);
    const api = request('/v1/posts', { query: { cursor: 'abc' } });
    screen(api);
    expect(Object.keys(api.querystring)).toEqual(['cursor']);
    // A refused request keeps it (nothing reaches the cache).
    const bad = request('/t/acme', { query: { x: '1' } });
    expect(status(screen(bad))).toBe(404);
  });

  it('refuses writes on public paths', () => {
    const res = screen(request('/t/acme/@acme', { method: 'POST' }));
    expect(res?.statusCode).toBe(405);
    expect(res?.headers.allow?.value).toBe('GET, HEAD');
    expect(status(screen(request(`/feeds/${TOKEN}.ics`, { method: 'DELETE' })))).toBe(405);
  });

  it('answers in problem+json, as the API does', () => {
    const res = screen(request('/t/acme'))!;
    expect(res.headers['content-type']?.value).toBe('application/problem+json');
    expect(JSON.parse(res.body.data)).toEqual({
      type: 'urn:drumbeat:problem:not-found',
      title: 'Not Found',
      status: 404,
    });
    expect(JSON.parse(screen(request('/t/acme', { method: 'PUT' }))!.body.data).type).toBe(
      'urn:drumbeat:problem:method-not-allowed',
    );
  });
});

describe('the snippet injected into the Router', () => {
  const injection = edgeInjection(ROOT);
  /** The Router's viewer-request function with the injection first, as infra/api.ts deploys it (routing elided). */
  const routerFunction = `async function handler(event) {\n${injection}\n  return event.request;\n}`;
  const run = (req: CfRequest): Promise<CfRequest | CfResponse> =>
    runInNewContext(`${routerFunction}\nhandler(event)`, {
      event: { version: '1.0', context: {}, viewer: { ip: '203.0.113.7' }, request: req },
    });

  it('behaves exactly like the screen it is compiled from', async () => {
    const cases = [
      request('/t/acme/@acme'),
      request('/t/acme/@acme', { query: { bust: '1' } }),
      request('/t/acme'),
      request(`/feeds/${TOKEN}.ics`),
      request('/feeds/x.ics'),
      request(`/v1/accounts/${ACC}/calendar.ics`),
      request(`/v1/accounts/${ACC}/calendar.ics`, { headers: { Authorization: 'Bearer key_x' } }),
      request('/t/acme/@acme', { method: 'PUT' }),
      request('/v1/workspaces', { method: 'POST' }),
    ];
    for (const req of cases) {
      const copy = JSON.parse(JSON.stringify(req)) as CfRequest;
      const direct = screen(copy);
      const out = await run(req);
      if (direct) expect(JSON.parse(JSON.stringify(out))).toEqual(direct);
      else expect(JSON.parse(JSON.stringify(out))).toEqual(copy);
    }
  });

  it('stamps the origin secret on every request it lets through, over whatever the viewer sent', async () => {
    const stamped = edgeInjection(ROOT, 'the-origin-secret');
    const fn = `async function handler(event) {\n${stamped}\n  return event.request;\n}`;
    const out = (await runInNewContext(`${fn}\nhandler(event)`, {
      event: {
        version: '1.0',
        context: {},
        viewer: { ip: '203.0.113.7' },
        request: request('/v1/posts', { headers: { 'x-drumbeat-origin': 'forged' } }),
      },
    })) as CfRequest;
    expect(out.headers['x-drumbeat-origin']).toEqual({ value: 'the-origin-secret' });
    const refused = (await runInNewContext(`${fn}\nhandler(event)`, {
      event: { version: '1.0', context: {}, viewer: { ip: '203.0.113.7' }, request: request('/t/acme') },
    })) as CfResponse;
    expect(refused.statusCode).toBe(404);
  });

  it('stays small and within what CloudFront Functions run', () => {
    // CloudFront Functions allow 10 KB of code in all; the Router's own routing takes about 8.6 KB.
    expect(Buffer.byteLength(injection)).toBeLessThan(1350);
    for (const forbidden of [
      'import ',
      'export ',
      'require(',
      '?.',
      '??',
      '...',
      'class ',
      ' of ',
      'globalThis',
      'process.',
    ]) {
      expect(injection, forbidden).not.toContain(forbidden);
    }
  });
});
