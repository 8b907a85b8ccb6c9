import type { Hono } from 'hono';
import * as z from 'zod/mini';
import { Page, PageQuery, Voice, VoiceCreate, VoicePatch, withMeta } from '@drumbeat/core';
import type { AppEnv } from '../env.js';
import { defineRoute } from '../openapi/route-def.js';
import { route } from '../openapi/route.js';
import { errorResponses, guarded, IdParams, jsonBody, jsonResponse } from '../openapi/common.js';

const VoicePatchBody = z
  .extend(VoicePatch, {
    archived: withMeta(z.optional(z.boolean()), { description: 'Archive (true) or restore (false) the voice' }),
  })
  .register(z.globalRegistry, { id: 'VoicePatchBody' });

const tags = ['Voices'];
const create = defineRoute({
  method: 'post',
  path: '/v1/voices',
  operationId: 'createVoice',
  tags,
  summary: 'Create a voice (a person or team who writes)',
  ...guarded('editor'),
  request: { body: jsonBody(VoiceCreate) },
  responses: { 201: jsonResponse(Voice, 'The voice'), ...errorResponses },
});
const list = defineRoute({
  method: 'get',
  path: '/v1/voices',
  operationId: 'listVoices',
  tags,
  summary: 'List voices',
  ...guarded('viewer'),
  request: { query: PageQuery },
  responses: { 200: jsonResponse(Page(Voice), 'A page of voices'), ...errorResponses },
});
const get = defineRoute({
  method: 'get',
  path: '/v1/voices/{id}',
  operationId: 'getVoice',
  tags,
  summary: 'Read a voice',
  ...guarded('viewer'),
  request: { params: IdParams },
  responses: { 200: jsonResponse(Voice, 'The voice'), ...errorResponses },
});
const patch = defineRoute({
  method: 'patch',
  path: '/v1/voices/{id}',
  operationId: 'updateVoice',
  tags,
  summary: 'Change or archive a voice',
  ...guarded('editor'),
  request: { params: IdParams, body: jsonBody(VoicePatchBody) },
  responses: { 200: jsonResponse(Voice, 'The voice'), ...errorResponses },
});
const remove = defineRoute({
  method: 'delete',
  path: '/v1/voices/{id}',
  operationId: 'deleteVoice',
  tags,
  summary: 'Delete a voice that never wrote a post (archive it otherwise)',
  ...guarded('editor'),
  request: { params: IdParams },
  responses: { 204: { description: 'Deleted' }, ...errorResponses },
});

/** Voice routes. */
export function voiceRoutes(app: Hono<AppEnv>): void {
  const ws = (c: { var: AppEnv['Variables'] }) => c.var.principal.workspaceId;
  route(app, create, async (c) => c.json(await c.var.services.voices.create(ws(c), c.req.valid('json')), 201));
  route(app, list, async (c) => c.json(await c.var.services.voices.list(ws(c), c.req.valid('query')), 200));
  route(app, get, async (c) => c.json(await c.var.services.voices.get(ws(c), c.req.valid('param').id), 200));
  route(app, patch, async (c) =>
    c.json(await c.var.services.voices.update(ws(c), c.req.valid('param').id, c.req.valid('json')), 200),
  );
  route(app, remove, async (c) => {
    await c.var.services.voices.remove(ws(c), c.req.valid('param').id);
    return c.body(null, 204);
  });
}
