import type { Hono } from 'hono';
import * as z from 'zod/mini';
import type { AppEnv } from '../env.js';
import { defineRoute } from '../openapi/route-def.js';
import { route } from '../openapi/route.js';
import type { OpenApiDocument } from '../openapi/openapi-document.js';
import { jsonResponse, PUBLIC } from '../openapi/common.js';

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

/** /healthz, /openapi.json and /docs. */
export function systemRoutes(app: Hono<AppEnv>): void {
  route(app, health, async (c) => {
    const time = c.var.services.deps.clock.now().toISOString();
    try {
      await c.var.services.deps.store.workspaces.find('ws_healthcheck');
      return c.json({ ok: true, time }, 200);
    } catch {
      return c.json({ ok: false, time }, 503);
    }
  });
  // Built on first request, when every route is registered, then kept; its code (zod's JSON Schema generator,
  // the reference page) is a chunk loaded then, so a Lambda cold start pays for neither (infra/README.md, Bundles).
  // test/api/openapi-validate.test.ts builds it from every route, so a schema it cannot describe fails there.
  let cached: Promise<OpenApiDocument> | undefined;
  const doc = () => (cached ??= import('../openapi/app-document.js').then((m) => m.openApiDocument(app)));
  app.get('/openapi.json', async (c) => c.json(await doc()));
  app.get('/docs', async (c) => {
    const { renderDocs } = await import('../docs-page.js');
    return c.html(renderDocs(await doc()));
  });
}
