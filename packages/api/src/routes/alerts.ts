import { createRoute, OpenAPIHono } from '@hono/zod-openapi';
import { Alert, AlertListQuery, Page } from '@drumbeat/core';
import type { AppEnv } from '../env.js';
import { errorResponses, guarded, IdParams, jsonResponse } from '../openapi-common.js';

const tags = ['Alerts'];

const list = createRoute({
  method: 'get', path: '/v1/alerts', tags, summary: "List the workspace's alerts, newest first",
  description: 'Filter by `status` (open or resolved) and by `accountId`. A page may hold fewer than `limit` items while `nextCursor` is set.',
  ...guarded('viewer'),
  request: { query: AlertListQuery },
  responses: { 200: jsonResponse(Page(Alert), 'A page of alerts, newest first'), ...errorResponses },
});
const ack = createRoute({
  method: 'post', path: '/v1/alerts/{id}/ack', tags, summary: 'Acknowledge an alert: someone is on it (it stays open until its problem clears)',
  description:
    'Idempotent: the first acknowledgement is kept, with the key that made it. Needs the approver role (or owner): acknowledging speaks for the brand, like an approval; editors fix the cause, which resolves the alert by itself.',
  ...guarded('approver'),
  request: { params: IdParams },
  responses: { 200: jsonResponse(Alert, 'The alert'), ...errorResponses },
});

/** Alert routes. */
export function alertRoutes(app: OpenAPIHono<AppEnv>): void {
  const ws = (c: { var: AppEnv['Variables'] }) => c.var.principal.workspaceId;
  app.openapi(list, async (c) => c.json(await c.var.services.alerts.list(ws(c), c.req.valid('query')), 200));
  app.openapi(ack, async (c) => c.json(await c.var.services.alerts.ack(ws(c), c.req.valid('param').id, c.var.principal.keyId), 200));
}
