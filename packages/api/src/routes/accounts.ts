import type { Hono } from 'hono';
import * as z from 'zod/mini';
import { Account, AccountCreate, AccountPatch, Page, PageQuery, withMeta } from '@drumbeat/core';
import type { AppEnv } from '../env.js';
import { defineRoute } from '../openapi/route-def.js';
import { route } from '../openapi/route.js';
import { errorResponses, guarded, IdParams, jsonBody, jsonResponse } from '../openapi/common.js';

const tags = ['Accounts'];
const AccountListQuery = z.extend(PageQuery, {
  archived: withMeta(z.optional(z.enum(['true', 'false'])), { description: 'Include archived accounts' }),
});
const create = defineRoute({
  method: 'post',
  path: '/v1/accounts',
  operationId: 'createAccount',
  tags,
  summary: 'Create an account; a webhook channel returns its signing secret once',
  ...guarded('owner'),
  request: { body: jsonBody(AccountCreate) },
  responses: { 201: jsonResponse(Account, 'The account'), ...errorResponses },
});
const list = defineRoute({
  method: 'get',
  path: '/v1/accounts',
  operationId: 'listAccounts',
  tags,
  summary: 'List accounts',
  ...guarded('viewer'),
  request: { query: AccountListQuery },
  responses: { 200: jsonResponse(Page(Account), 'A page of accounts'), ...errorResponses },
});
const get = defineRoute({
  method: 'get',
  path: '/v1/accounts/{id}',
  operationId: 'getAccount',
  tags,
  summary: 'Read an account (channel secrets are never read back)',
  ...guarded('viewer'),
  request: { params: IdParams },
  responses: { 200: jsonResponse(Account, 'The account'), ...errorResponses },
});
const patch = defineRoute({
  method: 'patch',
  path: '/v1/accounts/{id}',
  operationId: 'updateAccount',
  tags,
  summary: 'Change an account; a new cadence restarts the lapse clock',
  ...guarded('owner'),
  request: { params: IdParams, body: jsonBody(AccountPatch) },
  responses: { 200: jsonResponse(Account, 'The account'), ...errorResponses },
});
const remove = defineRoute({
  method: 'delete',
  path: '/v1/accounts/{id}',
  operationId: 'archiveAccount',
  tags,
  summary: 'Archive an account: it stops publishing, its history stays',
  ...guarded('owner'),
  request: { params: IdParams },
  responses: { 204: { description: 'Archived' }, ...errorResponses },
});
const rotate = defineRoute({
  method: 'post',
  path: '/v1/accounts/{id}/channel/rotate-secret',
  operationId: 'rotateChannelSecret',
  tags,
  summary: 'Issue a new webhook signing secret, shown once',
  ...guarded('owner'),
  request: { params: IdParams },
  responses: { 200: jsonResponse(Account, 'The account with channel.secret'), ...errorResponses },
});

/** Account routes. */
export function accountRoutes(app: Hono<AppEnv>): void {
  const ws = (c: { var: AppEnv['Variables'] }) => c.var.principal.workspaceId;
  route(app, create, async (c) => c.json(await c.var.services.accounts.create(ws(c), c.req.valid('json')), 201));
  route(app, list, async (c) => {
    const q = c.req.valid('query');
    return c.json(await c.var.services.accounts.list(ws(c), { ...q, archived: q.archived === 'true' }), 200);
  });
  route(app, get, async (c) => c.json(await c.var.services.accounts.get(ws(c), c.req.valid('param').id), 200));
  route(app, patch, async (c) =>
    c.json(await c.var.services.accounts.update(ws(c), c.req.valid('param').id, c.req.valid('json')), 200),
  );
  route(app, remove, async (c) => {
    await c.var.services.accounts.archive(ws(c), c.req.valid('param').id);
    return c.body(null, 204);
  });
  route(app, rotate, async (c) =>
    c.json(await c.var.services.accounts.rotateChannelSecret(ws(c), c.req.valid('param').id), 200),
  );
}
