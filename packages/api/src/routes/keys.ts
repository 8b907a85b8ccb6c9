import type { Hono } from 'hono';
import { ApiKey, ApiKeyCreated, KeyCreate, Page, PageQuery } from '@drumbeat/core';
import type { AppEnv } from '../env.js';
import { defineRoute } from '../openapi/route-def.js';
import { route } from '../openapi/route.js';
import { errorResponses, guarded, IdParams, jsonBody, jsonResponse } from '../openapi/common.js';

const create = defineRoute({
  method: 'post',
  path: '/v1/keys',
  operationId: 'createKey',
  tags: ['Keys'],
  summary: 'Create an API key with a role; the secret is shown once',
  ...guarded('owner'),
  request: { body: jsonBody(KeyCreate) },
  responses: { 201: jsonResponse(ApiKeyCreated, 'The key and its secret'), ...errorResponses },
});

const list = defineRoute({
  method: 'get',
  path: '/v1/keys',
  operationId: 'listKeys',
  tags: ['Keys'],
  summary: 'List API keys (never their secrets)',
  ...guarded('owner'),
  request: { query: PageQuery },
  responses: { 200: jsonResponse(Page(ApiKey), 'A page of keys'), ...errorResponses },
});

const revoke = defineRoute({
  method: 'delete',
  path: '/v1/keys/{id}',
  operationId: 'revokeKey',
  tags: ['Keys'],
  summary: 'Revoke an API key; it is refused from the next request on',
  ...guarded('owner'),
  request: { params: IdParams },
  responses: { 200: jsonResponse(ApiKey, 'The revoked key'), ...errorResponses },
});

/** API key routes. */
export function keyRoutes(app: Hono<AppEnv>): void {
  route(app, create, async (c) =>
    c.json(await c.var.services.apiKeys.create(c.var.principal.workspaceId, c.req.valid('json')), 201),
  );
  route(app, list, async (c) =>
    c.json(await c.var.services.apiKeys.list(c.var.principal.workspaceId, c.req.valid('query')), 200),
  );
  route(app, revoke, async (c) =>
    c.json(await c.var.services.apiKeys.revoke(c.var.principal, c.req.valid('param').id), 200),
  );
}
