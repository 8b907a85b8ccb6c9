import { describe, expect, it } from 'vitest';
import { Hono } from 'hono';
import * as z from 'zod/mini';
import type { AppEnv } from '../env.js';
import { onError } from '../error-handler.js';
import { defineRoute } from './route-def.js';
import { route } from './route.js';

const Body = z.strictObject({ mode: z._default(z.enum(['a', 'b']), 'a'), note: z.optional(z.string()) });
const Needs = z.strictObject({ must: z.string() });

function app() {
  const a = new Hono<AppEnv>();
  a.onError(onError);
  const responses = { 200: { description: 'echo' } };
  route(
    a,
    defineRoute({
      method: 'post',
      path: '/defaults',
      operationId: 'defaults',
      security: [],
      tags: [],
      summary: 's',
      request: { body: { required: false, content: { 'application/json': { schema: Body } } } },
      responses,
    }),
    (c) => c.json(c.req.valid('json')),
  );
  route(
    a,
    defineRoute({
      method: 'post',
      path: '/needs',
      operationId: 'needs',
      security: [],
      tags: [],
      summary: 's',
      request: { body: { required: false, content: { 'application/json': { schema: Needs } } } },
      responses,
    }),
    (c) => c.json(c.req.valid('json')),
  );
  return a;
}

describe('an optional JSON body', () => {
  it('left out, reads as {} parsed by its schema: the defaults apply', async () => {
    const r = await app().request('/defaults', { method: 'POST' });
    expect(r.status).toBe(200);
    expect(await r.json()).toEqual({ mode: 'a' });
  });

  it('left out where the schema requires a field: a 400 naming the field', async () => {
    const r = await app().request('/needs', { method: 'POST' });
    expect(r.status).toBe(400);
    expect(((await r.json()) as { errors: unknown }).errors).toEqual([{ path: 'must', message: 'required' }]);
  });

  it('sent, is validated as sent', async () => {
    const r = await app().request('/defaults', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: '{"mode":"b"}',
    });
    expect(await r.json()).toEqual({ mode: 'b' });
    const bad = await app().request('/defaults', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: '{"mode":"c"}',
    });
    expect(bad.status).toBe(400);
  });
});
