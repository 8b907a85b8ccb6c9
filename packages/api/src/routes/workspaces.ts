import type { Hono } from 'hono';
import * as z from 'zod/mini';
import { ApiKeyCreated, Workspace, WorkspaceCreate } from '@drumbeat/core';
import type { AppEnv } from '../env.js';
import { defineRoute } from '../openapi/route-def.js';
import { route } from '../openapi/route.js';
import { errorResponses, jsonBody, jsonResponse } from '../openapi/common.js';

const create = defineRoute({
  method: 'post',
  path: '/v1/workspaces',
  operationId: 'createWorkspace',
  tags: ['Workspaces'],
  summary: 'Create a workspace and its first owner key (admin token)',
  security: [{ admin: [] }],
  request: { body: jsonBody(WorkspaceCreate) },
  responses: {
    201: jsonResponse(
      z.object({ workspace: Workspace, apiKey: ApiKeyCreated }),
      'The workspace and its owner key, shown once',
    ),
    ...errorResponses,
  },
});

/** Workspace routes. */
export function workspaceRoutes(app: Hono<AppEnv>): void {
  route(app, create, async (c) => c.json(await c.var.services.workspaces.create(c.req.valid('json')), 201));
}
