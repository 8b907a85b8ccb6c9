import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { startTestApi, type TestApi } from '../support/api.js';
import { acmeAccount } from '../support/bodies.js';

// Random and near-valid tokens and forms at the action-link pages (/a/…): never a 5xx, never a change.
let api: TestApi;
let valid: string;
let postId: string;
let ws: string;

beforeAll(async () => {
  api = await startTestApi({ now: '2026-11-23T10:00:00Z' });
  const w = await api.workspace();
  ws = w.id;
  const call = (m: string, p: string, body: unknown) => api.call(m, p, { key: w.key, body });
  const anna = (await call('POST', '/v1/voices', { name: 'Anna', affiliation: 'agency' })).body.id;
  const claire = (
    await call('POST', '/v1/voices', { name: 'Claire', email: 'c@acme.example', affiliation: 'in_house' })
  ).body.id;
  const acc = (
    await call(
      'POST',
      '/v1/accounts',
      acmeAccount({ name: 'A', handle: '@a', timezone: 'UTC', approval: { required: true, approvers: [claire] } }),
    )
  ).body.id;
  postId = (
    await call('POST', `/v1/accounts/${acc}/posts`, { voiceId: anna, text: 'fuzz me', at: '2026-11-25T08:30:00Z' })
  ).body.id;
  valid = new URL(
    (await call('POST', `/v1/posts/${postId}/review-links`, { voiceId: claire })).body.url,
  ).pathname.slice(3);
});
afterAll(() => api.close());

const tokenish = () =>
  fc.oneof(
    fc.string({ maxLength: 500 }),
    fc.stringMatching(/^[a-z.]{0,3}[A-Za-z0-9._~%-]{0,300}$/),
    fc
      .integer({ min: 0, max: 200 })
      .chain((i) =>
        fc.string({ minLength: 1, maxLength: 3 }).map((s) => () => valid.slice(0, i) + s + valid.slice(i + s.length)),
      ),
  );

describe('action-link pages under random input', () => {
  it('answer 4xx HTML (never 5xx) to any token and form, and approve nothing', async () => {
    await fc.assert(
      fc.asyncProperty(
        tokenish(),
        fc.dictionary(fc.constantFrom('decision', 'note', 'formToken', 'url', 'x'), fc.string({ maxLength: 50 })),
        fc.boolean(),
        async (t, form, post) => {
          const token = typeof t === 'function' ? t() : t;
          // '.' and '..' are dot segments: the URL resolves them before any route sees the path (/a/.. is /).
          if (token === valid || token === '.' || token === '..') return;
          const res = await api.app.request(`http://localhost/a/${encodeURIComponent(token)}`, {
            method: post ? 'POST' : 'GET',
            ...(post
              ? {
                  headers: { 'Content-Type': 'application/x-www-form-urlencoded', Origin: 'http://localhost' },
                  body: new URLSearchParams(form).toString(),
                }
              : {}),
          });
          expect(res.status).toBeGreaterThanOrEqual(400);
          expect(res.status).toBeLessThan(500);
          expect(res.headers.get('content-type')).toContain('text/html');
        },
      ),
      { numRuns: 150 },
    );
    expect((await api.store.posts.get(ws, postId)).status).toBe('pending_approval');
  }, 60_000);
});
