import type { Context, Hono } from 'hono';
import * as z from 'zod/mini';
import { Transparency } from '@drumbeat/core';
import { sha256Hex } from '@drumbeat/services';
import type { AppEnv } from '../env.js';
import { defineRoute } from '../openapi/route-def.js';
import { documentRoute, route } from '../openapi/route.js';
import { errorResponses, jsonResponse, textResponse } from '../openapi/common.js';
import { TransparencyPage } from '../transparency-page.js';

const Params = z.object({
  slug: z.string().check(z.minLength(1), z.maxLength(64)),
  handle: z.string().check(z.minLength(1), z.maxLength(120)),
});
const page = defineRoute({
  method: 'get', path: '/t/{slug}/{handle}', tags: ['Transparency'],
  summary: 'Public transparency page of an account that opted in (HTML; add .json for JSON)',
  request: { params: Params },
  responses: { 200: textResponse('text/html', 'HTML page'), 304: { description: 'Not modified' }, 404: errorResponses[404] },
});
const json = defineRoute({
  method: 'get', path: '/t/{slug}/{handle}.json', tags: ['Transparency'], summary: 'The transparency page as JSON',
  request: { params: Params },
  responses: { 200: jsonResponse(Transparency, 'Who speaks for the account'), 304: { description: 'Not modified' }, 404: errorResponses[404] },
});

/** Public pages are the same for everyone: an edge may cache them for five minutes. */
function cached(c: Context<AppEnv>, body: string, type: string) {
  const etag = `"${sha256Hex(body).slice(0, 32)}"`;
  c.header('Cache-Control', 'public, max-age=300, s-maxage=300');
  c.header('ETag', etag);
  if (c.req.header('If-None-Match') === etag) return c.body(null, 304);
  return c.body(body, 200, { 'Content-Type': type });
}

/** The public transparency page and its JSON. */
export function transparencyRoutes(app: Hono<AppEnv>): void {
  app.get('/t/:slug/:file{.+\\.json}', async (c) => {
    const file = c.req.param('file');
    const t = await c.var.services.transparency.page(c.req.param('slug'), decodeURIComponent(file.slice(0, -5)));
    return cached(c, JSON.stringify(t), 'application/json; charset=utf-8');
  });
  documentRoute(app, json);
  route(app, page, async (c) => {
    const { slug, handle } = c.req.valid('param');
    const t = await c.var.services.transparency.page(slug, handle);
    return cached(c, `<!doctype html>${(<TransparencyPage t={t} />).toString()}`, 'text/html; charset=utf-8');
  });
}
