import type { Hono } from 'hono';
import * as z from 'zod/mini';
import type { AppEnv } from '../env.js';
import { defineRoute } from '../openapi/route-def.js';
import { route } from '../openapi/route.js';
import type { OpenApiDocument } from '@drumbeat/standards/openapi';
import { jsonResponse, PUBLIC } from '../openapi/common.js';
import { FAVICON_HEADERS, FAVICON_SVG } from '../favicon.js';

const health = defineRoute({
  method: 'get',
  path: '/healthz',
  operationId: 'getHealth',
  tags: ['System'],
  summary: 'Health: the API answers and the store is reachable',
  ...PUBLIC,
  responses: {
    200: jsonResponse(z.object({ ok: z.boolean(), time: z.string() }), 'Healthy'),
    503: jsonResponse(z.object({ ok: z.boolean(), time: z.string() }), 'The store is unreachable'),
  },
});

/** /healthz, /openapi.json (of `root`, the whole API), /docs and the site icon. */
export function systemRoutes(app: Hono<AppEnv>, root: Hono<AppEnv> = app): void {
  route(app, health, async (c) => {
    const time = c.var.services.deps.clock.now().toISOString();
    try {
      await c.var.services.deps.store.workspaces.find('ws_healthcheck');
      return c.json({ ok: true, time }, 200);
    } catch {
      return c.json({ ok: false, time }, 503);
    }
  });
  // Built on first request, every route group loaded, then kept; its code (zod's JSON Schema generator,
  // the reference page) is a chunk loaded then, so a Lambda cold start pays for neither (infra/README.md, Bundles).
  // test/api/openapi-validate.test.ts builds it from every route, so a schema it cannot describe fails there.
  let cached: Promise<OpenApiDocument> | undefined;
  const doc = () => (cached ??= import('../openapi/app-document.js').then((m) => m.openApiDocument(root)));
  app.get('/openapi.json', async (c) => c.json(await doc()));
  for (const path of ['/favicon.svg', '/favicon.ico']) app.get(path, (c) => c.body(FAVICON_SVG, 200, FAVICON_HEADERS));
  const docsPage = () => import('../docs-page.js');
  app.get('/docs', async (c) => {
    const { renderDocs, DOCS_CSP } = await docsPage();
    c.header('Content-Security-Policy', DOCS_CSP);
    c.header('X-Content-Type-Options', 'nosniff');
    c.header('Referrer-Policy', 'no-referrer');
    return c.html(renderDocs((await doc()).info.title));
  });
  // Scalar's standalone build, served from the package (docs-page.ts), cached a day; the versioned name never goes stale.
  app.get('/docs/:file', async (c, next) => {
    const page = await docsPage();
    const file = `/docs/${c.req.param('file')}`;
    if (file !== page.SCRIPT_PATH && file !== page.INIT_PATH) return next();
    const body = file === page.SCRIPT_PATH ? new Uint8Array(await page.apiReferenceScript()) : page.INIT_SCRIPT;
    return c.body(body, 200, {
      'Content-Type': 'text/javascript; charset=utf-8',
      'Cache-Control': file === page.SCRIPT_PATH ? 'public, max-age=31536000, immutable' : 'public, max-age=3600',
      'X-Content-Type-Options': 'nosniff',
    });
  });
}
