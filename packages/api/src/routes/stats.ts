import type { Hono } from 'hono';
import { AccountStats } from '@drumbeat/core';
import type { AppEnv } from '../env.js';
import { defineRoute } from '../openapi/route-def.js';
import { route } from '../openapi/route.js';
import { errorResponses, guarded, IdParams, jsonResponse } from '../openapi/common.js';

const stats = defineRoute({
  method: 'get',
  path: '/v1/accounts/{id}/stats',
  operationId: 'getAccountStats',
  tags: ['Accounts'],
  summary: 'Publishing health: posts per week (12 weeks), longest gap, slot streak, time to approval, open alerts',
  ...guarded('viewer'),
  request: { params: IdParams },
  responses: { 200: jsonResponse(AccountStats, 'The stats'), ...errorResponses },
});

/** Account stats route. */
export function statsRoutes(app: Hono<AppEnv>): void {
  route(app, stats, async (c) =>
    c.json(await c.var.services.stats.account(c.var.principal.workspaceId, c.req.valid('param').id), 200),
  );
}
