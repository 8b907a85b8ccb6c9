import type { Hono } from 'hono';
import * as z from 'zod/mini';
import type { AppEnv } from '../env.js';
import { defineRoute } from '../openapi/route-def.js';
import { documentedRoutes, route } from '../openapi/route.js';
import { openApiDocumentOf, type DocumentInfo, type OpenApiDocument } from '../openapi/openapi-document.js';
import { jsonResponse, PUBLIC } from '../openapi/common.js';
import { renderDocs } from '../docs-page.js';

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

/** What the document says besides its operations. */
const ABOUT: DocumentInfo = {
  info: {
    title: 'drumbeat API',
    version: '1.0.0',
    description:
      'Sustained posting calendars, exactly-once publishing and honest attribution. Instants are UTC ISO 8601; errors are application/problem+json.',
  },
  // Relative: the document describes the server it is read from (local, a function URL or the edge alike).
  servers: [{ url: '/', description: 'This drumbeat server' }],
  securitySchemes: {
    bearer: { type: 'http', scheme: 'bearer', description: 'An API key: dbk.<workspace>.<key>.<secret>' },
    admin: { type: 'http', scheme: 'bearer', description: 'The admin token (DRUMBEAT_ADMIN_TOKEN)' },
  },
};

/** The OpenAPI document of the routes registered on `app` so far. */
export function openApiDocument(app: Hono<AppEnv>): OpenApiDocument {
  return openApiDocumentOf(documentedRoutes(app), ABOUT);
}

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
  // Built on first request, when every route is registered, then kept. Not in createApp: the build takes
  // ~80 ms cold, a cost every Lambda cold start would pay; test/api/openapi-validate.test.ts builds it instead.
  let cached: OpenApiDocument | undefined;
  const doc = () => (cached ??= openApiDocument(app));
  app.get('/openapi.json', (c) => c.json(doc()));
  app.get('/docs', (c) => c.html(renderDocs(doc())));
}
