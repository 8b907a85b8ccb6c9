import { createRoute, OpenAPIHono, z } from '@hono/zod-openapi';
import { ApiKeyCreated, Workspace, WorkspaceCreate } from '@drumbeat/core';
import type { AppEnv } from '../env.js';
import { errorResponses, jsonBody, jsonResponse } from '../openapi-common.js';

const create = createRoute({
  method: 'post',
  path: '/v1/workspaces',
  tags: ['Workspaces'],
  summary: 'Create a workspace and its first owner key (admin token)',
  security: [{ admin: [] }],
  request: { body: jsonBody(WorkspaceCreate) },
  responses: {
    201: jsonResponse(z.object({ workspace: Workspace, apiKey: ApiKeyCreated }), 'The workspace and its owner key, shown once'),
    ...errorResponses,
  },
});

/** Workspace routes. */
export function workspaceRoutes(app: OpenAPIHono<AppEnv>): void {
  app.openapi(create, async (c) => c.json(await c.var.services.workspaces.create(c.req.valid('json')), 201));
}
