import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { KMS_PURPOSES } from '@drumbeat/aws';
import { screen } from '../../functions/edge.js';
import { acmeAccount } from '../support/bodies.js';
import {
  ADMIN_TOKEN,
  functionUrlEvent,
  lambdaContext,
  PUBLIC_URL,
  startLambdaEnv,
  type LambdaEnv,
} from './lambda-env.js';

type Handler = (
  event: unknown,
  context: unknown,
) => Promise<{ statusCode: number; headers?: Record<string, string>; body: string; isBase64Encoded?: boolean }>;

let env: LambdaEnv;
let handler: Handler;

beforeAll(async () => {
  env = await startLambdaEnv();
  env.apply();
  // The module builds its dependencies at load, from Resource, as on Lambda.
  handler = ((await import('../../functions/api.js')) as unknown as { handler: Handler }).handler;
});
afterAll(() => env.close());

const call = (method: string, path: string, opts: Parameters<typeof functionUrlEvent>[2] = {}) =>
  handler(functionUrlEvent(method, path, opts), lambdaContext);

describe('the API function behind its function URL', () => {
  it('answers the health check', async () => {
    const res = await call('GET', '/healthz');
    expect(res.statusCode).toBe(200);
  });

  it('creates a workspace with the linked admin token and stores it in the linked table', async () => {
    const res = await call('POST', '/v1/workspaces', {
      headers: { authorization: `Bearer ${ADMIN_TOKEN}` },
      body: { name: 'Acme Lambda' },
    });
    expect(res.statusCode).toBe(201);
    const body = JSON.parse(res.body) as { workspace: { id: string; slug: string }; apiKey: { key: string } };
    expect(body.workspace.slug).toBe('acme-lambda');
    expect(await env.store.workspaces.find(body.workspace.id)).toMatchObject({
      id: body.workspace.id,
      name: 'Acme Lambda',
    });

    const keys = await call('GET', '/v1/keys', { headers: { authorization: `Bearer ${body.apiKey.key}` } });
    expect(keys.statusCode).toBe(200);
  });

  it('refuses, with 403 problem+json and without touching the table, a request that bypassed the Router', async () => {
    for (const headers of [{}, { 'x-drumbeat-origin': 'guessed' }, { 'x-drumbeat-origin': '' }] as Record<
      string,
      string
    >[]) {
      const res = await call('POST', '/v1/workspaces', {
        direct: true,
        headers: { authorization: `Bearer ${ADMIN_TOKEN}`, ...headers },
        body: { name: 'Direct' },
      });
      expect(res.statusCode).toBe(403);
      expect(res.headers?.['content-type']).toBe('application/problem+json');
      expect(JSON.parse(res.body)).toMatchObject({ status: 403, title: 'Forbidden' });
    }
    // Through the Router (the secret header), the same request works.
    expect((await call('GET', '/healthz')).statusCode).toBe(200);
    expect((await call('GET', '/healthz', { direct: true })).statusCode).toBe(403);
  });

  it('refuses another admin token with problem+json', async () => {
    const res = await call('POST', '/v1/workspaces', {
      headers: { authorization: 'Bearer not-the-token' },
      body: { name: 'Nope' },
    });
    expect(res.statusCode).toBe(401);
    expect(res.headers?.['content-type']).toMatch(/application\/problem\+json/);
  });
});

describe('the public feeds, as the edge sees them', () => {
  it('issues feed URLs on the public URL that pass the edge screen and are served cacheable', async () => {
    const created = JSON.parse(
      (
        await call('POST', '/v1/workspaces', {
          headers: { authorization: `Bearer ${ADMIN_TOKEN}` },
          body: { name: 'Feeds' },
        })
      ).body,
    );
    const auth = { authorization: `Bearer ${created.apiKey.key as string}` };
    const account = JSON.parse(
      (
        await call('POST', '/v1/accounts', {
          headers: auth,
          body: acmeAccount(),
        })
      ).body,
    );
    const { url } = JSON.parse(
      (await call('GET', `/v1/accounts/${account.id as string}/feed`, { headers: auth })).body,
    ) as { url: string };
    expect(url.startsWith(`${PUBLIC_URL}/feeds/`)).toBe(true);

    const path = new URL(url).pathname;
    const cf = (uri: string, headers: Record<string, { value: string }> = {}) => ({
      method: 'GET',
      uri,
      querystring: {},
      headers,
    });
    // The token format the edge enforces is the one the feed service issues.
    expect(screen(cf(path))).toBeUndefined();
    expect(
      screen(cf(`/v1/accounts/${account.id as string}/calendar.ics`, { authorization: { value: auth.authorization } })),
    ).toBeUndefined();

    const feed = await call('GET', path);
    expect(feed.statusCode).toBe(200);
    expect(feed.headers?.['content-type']).toMatch(/^text\/calendar/);
    expect(feed.headers?.['cache-control']).toMatch(/^public/);
    expect(feed.headers?.etag).toBeTruthy();
  });
});

describe("action links across API containers, under the API function's KMS policy", () => {
  it('a review link made on one container opens on a cold one that may decrypt link secrets only (never channel tokens)', async () => {
    const created = JSON.parse(
      (
        await call('POST', '/v1/workspaces', {
          headers: { authorization: `Bearer ${ADMIN_TOKEN}` },
          body: { name: 'Links' },
        })
      ).body,
    );
    const auth = { authorization: `Bearer ${created.apiKey.key as string}` };
    const post = async (path: string, body: unknown) =>
      JSON.parse((await call('POST', path, { headers: auth, body })).body) as Record<string, unknown> & { id: string };
    const anna = await post('/v1/voices', { name: 'Anna', affiliation: 'agency' });
    const claire = await post('/v1/voices', { name: 'Claire', email: 'claire@acme.example', affiliation: 'in_house' });
    const account = await post('/v1/accounts', acmeAccount({ approval: { required: true, approvers: [claire.id] } }));
    const waiting = await post(`/v1/accounts/${account.id}/posts`, {
      voiceId: anna.id,
      text: 'Autumn blend',
      at: '2030-01-07T08:30:00Z',
    });
    // The API's policy: a data key of any purpose (to seal what is entered), Decrypt only of link secrets.
    env.kms.onlyPurposes = { Decrypt: new Set([KMS_PURPOSES.linkSecrets]) };
    try {
      const { url } = (await post(`/v1/posts/${waiting.id}/review-links`, { voiceId: claire.id })) as unknown as {
        url: string;
      };
      expect(url.startsWith(`${PUBLIC_URL}/a/`)).toBe(true);
      vi.resetModules();
      const cold = ((await import('../../functions/api.js')) as unknown as { handler: Handler }).handler;
      const page = await cold(functionUrlEvent('GET', new URL(url).pathname), lambdaContext);
      expect(page.statusCode).toBe(200);
      expect(page.body).toContain('Autumn blend');
      expect(env.kms.requestsOf('Decrypt').at(-1)!.body).toMatchObject({
        EncryptionContext: { purpose: KMS_PURPOSES.linkSecrets },
      });
    } finally {
      env.kms.onlyPurposes = {};
    }
  });
});
