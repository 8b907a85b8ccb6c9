import type { Hono } from 'hono';
import { Delivery, Page, PageQuery, Webhook, WebhookCreate, WebhookCreated } from '@drumbeat/core';
import type { AppEnv } from '../env.js';
import { defineRoute } from '../openapi/route-def.js';
import { route } from '../openapi/route.js';
import { errorResponses, guarded, IdParams, jsonBody, jsonResponse } from '../openapi/common.js';

const tags = ['Webhooks'];
const create = defineRoute({
  method: 'post',
  path: '/v1/webhooks',
  operationId: 'createWebhook',
  tags,
  summary: 'Subscribe a URL to events; the signing secret is shown once',
  description:
    'Each event is POSTed as `{type, timestamp, data}`, signed per Standard Webhooks, and retried with backoff. A 410 Gone answer disables the subscription.',
  ...guarded('owner'),
  request: { body: jsonBody(WebhookCreate) },
  responses: { 201: jsonResponse(WebhookCreated, 'The subscription and its secret'), ...errorResponses },
});
const list = defineRoute({
  method: 'get',
  path: '/v1/webhooks',
  operationId: 'listWebhooks',
  tags,
  summary: 'List webhook subscriptions (never their secrets)',
  ...guarded('viewer'),
  request: { query: PageQuery },
  responses: { 200: jsonResponse(Page(Webhook), 'A page of subscriptions, oldest first'), ...errorResponses },
});
const remove = defineRoute({
  method: 'delete',
  path: '/v1/webhooks/{id}',
  operationId: 'deleteWebhook',
  tags,
  summary: 'Delete a subscription; its pending deliveries are not sent',
  ...guarded('owner'),
  request: { params: IdParams },
  responses: { 204: { description: 'Deleted' }, ...errorResponses },
});
const deliveries = defineRoute({
  method: 'get',
  path: '/v1/webhooks/{id}/deliveries',
  operationId: 'listWebhookDeliveries',
  tags,
  summary: "List a subscription's deliveries and their attempts, newest first",
  ...guarded('viewer'),
  request: { params: IdParams, query: PageQuery },
  responses: { 200: jsonResponse(Page(Delivery), 'A page of deliveries, newest first'), ...errorResponses },
});

/** Outbound webhook subscription routes. */
export function webhookRoutes(app: Hono<AppEnv>): void {
  const ws = (c: { var: AppEnv['Variables'] }) => c.var.principal.workspaceId;
  route(app, create, async (c) => c.json(await c.var.services.webhooks.create(ws(c), c.req.valid('json')), 201));
  route(app, list, async (c) => c.json(await c.var.services.webhooks.list(ws(c), c.req.valid('query')), 200));
  route(app, remove, async (c) => {
    await c.var.services.webhooks.remove(ws(c), c.req.valid('param').id);
    return c.body(null, 204);
  });
  route(app, deliveries, async (c) =>
    c.json(await c.var.services.webhooks.deliveries(ws(c), c.req.valid('param').id, c.req.valid('query')), 200),
  );
}
