import type { Context, Hono } from 'hono';
import * as z from 'zod/mini';
import { Transparency } from '@drumbeat/core';
import { sha256Hex } from '@drumbeat/services';
import type { AppEnv } from '../env.js';
import { defineRoute } from '../openapi/route-def.js';
import { route } from '../openapi/route.js';
import { errorResponses, jsonResponse, PUBLIC, textResponse } from '../openapi/common.js';

const Params = z.object({
  slug: z.string().check(z.minLength(1), z.maxLength(64)),
  handle: z.string().check(z.minLength(1), z.maxLength(120)),
});
const page = defineRoute({
  method: 'get',
  path: '/t/{slug}/{handle}',
  operationId: 'getTransparencyPage',
  tags: ['Transparency'],
  ...PUBLIC,
  summary: 'Public transparency page of an account that opted in (HTML; its JSON is at …/transparency.json)',
  request: { params: Params },
  responses: {
    200: textResponse('text/html', 'HTML page'),
    304: { description: 'Not modified' },
    404: errorResponses[404],
  },
});
/*
 * The JSON lives one segment below the page: `/t/{slug}/{handle}.json` (still
 * served, undocumented, for links already out there) cannot be told apart from
 * `/t/{slug}/{handle}` by a router that matches OpenAPI templates segment by
 * segment (Prism matched every JSON request to the HTML page).
 */
const json = defineRoute({
  method: 'get',
  path: '/t/{slug}/{handle}/transparency.json',
  operationId: 'getTransparency',
  tags: ['Transparency'],
  ...PUBLIC,
  summary: 'The transparency page as JSON',
  request: { params: Params },
  responses: {
    200: jsonResponse(Transparency, 'Who speaks for the account'),
    304: { description: 'Not modified' },
    404: errorResponses[404],
  },
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
  const answerJson = async (c: Context<AppEnv>, slug: string, handle: string) =>
    cached(c, JSON.stringify(await c.var.services.transparency.page(slug, handle)), 'application/json; charset=utf-8');
  // The former address of the JSON, kept for existing links (see `json` above).
  app.get('/t/:slug/:file{[^/]+\\.json}', (c) =>
    answerJson(c, c.req.param('slug'), decodeURIComponent(c.req.param('file').slice(0, -5))),
  );
  route(app, json, (c) => {
    const { slug, handle } = c.req.valid('param');
    return answerJson(c, slug, handle);
  });
  route(app, page, async (c) => {
    const { slug, handle } = c.req.valid('param');
    const t = await c.var.services.transparency.page(slug, handle);
    // Loaded on first use, off the Lambda cold start (infra/README.md, Bundles).
    const { TransparencyPage } = await import('../transparency-page.js');
    return cached(c, `<!doctype html>${(<TransparencyPage t={t} />).toString()}`, 'text/html; charset=utf-8');
  });
}
