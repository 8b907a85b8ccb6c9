import { createRoute, OpenAPIHono, z } from '@hono/zod-openapi';
import type { AppEnv } from '../env.js';
import { jsonResponse } from '../openapi-common.js';
import { renderDocs } from '../docs-page.js';

const health = createRoute({
  method: 'get',
  path: '/healthz',
  tags: ['System'],
  summary: 'Health: the API answers and the store is reachable',
  responses: {
    200: jsonResponse(z.object({ ok: z.boolean(), time: z.string() }), 'Healthy'),
    503: jsonResponse(z.object({ ok: z.boolean(), time: z.string() }), 'The store is unreachable'),
  },
});

/** The OpenAPI document for this app. */
export function openApiDocument(app: OpenAPIHono<AppEnv>) {
  return app.getOpenAPI31Document({
    openapi: '3.1.0',
    info: {
      title: 'drumbeat API',
      version: '1.0.0',
      description:
        'Sustained posting calendars, exactly-once publishing and honest attribution. Instants are UTC ISO 8601; errors are application/problem+json.',
    },
  });
}

/** /healthz, /openapi.json and /docs. */
export function systemRoutes(app: OpenAPIHono<AppEnv>): void {
  app.openapi(health, async (c) => {
    const time = c.var.services.deps.clock.now().toISOString();
    try {
      await c.var.services.deps.store.workspaces.find('ws_healthcheck');
      return c.json({ ok: true, time }, 200);
    } catch {
      return c.json({ ok: false, time }, 503);
    }
  });
  app.openAPIRegistry.registerComponent('securitySchemes', 'bearer', {
    type: 'http',
    scheme: 'bearer',
    description: 'An API key: dbk.<workspace>.<key>.<secret>',
  });
  app.openAPIRegistry.registerComponent('securitySchemes', 'admin', {
    type: 'http',
    scheme: 'bearer',
    description: 'The admin token (DRUMBEAT_ADMIN_TOKEN)',
  });
  let cached: ReturnType<typeof openApiDocument> | undefined;
  const doc = () => (cached ??= openApiDocument(app));
  app.get('/openapi.json', (c) => c.json(doc()));
  app.get('/docs', (c) => c.html(renderDocs(doc())));
}
