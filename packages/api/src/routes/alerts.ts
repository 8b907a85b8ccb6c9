import type { Hono } from 'hono';
import { Alert, AlertListQuery, Page } from '@drumbeat/core';
import type { AppEnv } from '../env.js';
import { defineRoute } from '../openapi/route-def.js';
import { route } from '../openapi/route.js';
import { errorResponses, guarded, IdParams, jsonResponse } from '../openapi/common.js';

const tags = ['Alerts'];

const list = defineRoute({
  method: 'get',
  path: '/v1/alerts',
  operationId: 'listAlerts',
  tags,
  summary: "List the workspace's alerts, newest first",
  description:
    'Filter by `status` (open or resolved) and by `accountId`. A page may hold fewer than `limit` items while `nextCursor` is set.',
  ...guarded('viewer'),
  request: { query: AlertListQuery },
  responses: { 200: jsonResponse(Page(Alert), 'A page of alerts, newest first'), ...errorResponses },
});
const ack = defineRoute({
  method: 'post',
  path: '/v1/alerts/{id}/ack',
  operationId: 'acknowledgeAlert',
  tags,
  summary: 'Acknowledge an alert: someone is on it (it stays open until its problem clears)',
  description:
    'Idempotent: the first acknowledgement is kept, with the key that made it. Needs the approver role (or owner): acknowledging speaks for the brand, like an approval; editors fix the cause, which resolves the alert by itself.',
  ...guarded('approver'),
  request: { params: IdParams },
  responses: { 200: jsonResponse(Alert, 'The alert'), ...errorResponses },
});

/** Alert routes. */
export function alertRoutes(app: Hono<AppEnv>): void {
  const ws = (c: { var: AppEnv['Variables'] }) => c.var.principal.workspaceId;
  route(app, list, async (c) => c.json(await c.var.services.alerts.list(ws(c), c.req.valid('query')), 200));
  route(app, ack, async (c) =>
    c.json(
      await c.var.services.alerts.ack(ws(c), c.req.valid('param').id, c.var.principal.keyId, c.var.principal.voiceId),
      200,
    ),
  );
}
