import { createRoute, OpenAPIHono, z } from '@hono/zod-openapi';
import { Page, PageQuery, Voice, VoiceCreate, VoicePatch } from '@drumbeat/core';
import type { AppEnv } from '../env.js';
import { errorResponses, guarded, IdParams, jsonBody, jsonResponse } from '../openapi-common.js';

const VoicePatchBody = VoicePatch.extend({
  archived: z.boolean().optional().meta({ description: 'Archive (true) or restore (false) the voice' }),
}).meta({ id: 'VoicePatchBody' });

const tags = ['Voices'];
const create = createRoute({
  method: 'post', path: '/v1/voices', tags, summary: 'Create a voice (a person or team who writes)',
  ...guarded('editor'),
  request: { body: jsonBody(VoiceCreate) },
  responses: { 201: jsonResponse(Voice, 'The voice'), ...errorResponses },
});
const list = createRoute({
  method: 'get', path: '/v1/voices', tags, summary: 'List voices',
  ...guarded('viewer'),
  request: { query: PageQuery },
  responses: { 200: jsonResponse(Page(Voice), 'A page of voices'), ...errorResponses },
});
const get = createRoute({
  method: 'get', path: '/v1/voices/{id}', tags, summary: 'Read a voice',
  ...guarded('viewer'),
  request: { params: IdParams },
  responses: { 200: jsonResponse(Voice, 'The voice'), ...errorResponses },
});
const patch = createRoute({
  method: 'patch', path: '/v1/voices/{id}', tags, summary: 'Change or archive a voice',
  ...guarded('editor'),
  request: { params: IdParams, body: jsonBody(VoicePatchBody) },
  responses: { 200: jsonResponse(Voice, 'The voice'), ...errorResponses },
});
const remove = createRoute({
  method: 'delete', path: '/v1/voices/{id}', tags, summary: 'Delete a voice that never wrote a post (archive it otherwise)',
  ...guarded('editor'),
  request: { params: IdParams },
  responses: { 204: { description: 'Deleted' }, ...errorResponses },
});

/** Voice routes. */
export function voiceRoutes(app: OpenAPIHono<AppEnv>): void {
  const ws = (c: { var: AppEnv['Variables'] }) => c.var.principal.workspaceId;
  app.openapi(create, async (c) => c.json(await c.var.services.voices.create(ws(c), c.req.valid('json')), 201));
  app.openapi(list, async (c) => c.json(await c.var.services.voices.list(ws(c), c.req.valid('query')), 200));
  app.openapi(get, async (c) => c.json(await c.var.services.voices.get(ws(c), c.req.valid('param').id), 200));
  app.openapi(patch, async (c) => c.json(await c.var.services.voices.update(ws(c), c.req.valid('param').id, c.req.valid('json')), 200));
  app.openapi(remove, async (c) => {
    await c.var.services.voices.remove(ws(c), c.req.valid('param').id);
    return c.body(null, 204);
  });
}
