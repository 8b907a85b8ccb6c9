import { describe, expect, it } from 'vitest';
import * as z from 'zod/mini';
import { openApiDocumentOf, type DocumentInfo } from './openapi-document.js';
import type { RouteDef } from './route-def.js';
import { withMeta } from '@drumbeat/core';

const about: DocumentInfo = { info: { title: 't', version: '1' }, securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } } };

// Fresh ids per test file run: the global registry refuses an id twice.
const Settings = z
  .strictObject({ mode: z._default(z.enum(['a', 'b']), 'a'), note: z.optional(z.string()) })
  .register(z.globalRegistry, { id: 'DocTestSettings', description: 'Settings' });
const Thing = z
  .object({
    id: z.string(),
    settings: Settings,
    at: z.pipe(z.string().check(z.maxLength(30)), z.transform((s) => s.toUpperCase())),
  })
  .register(z.globalRegistry, { id: 'DocTestThing', example: { id: 'x' } });
const ThingCreate = z.strictObject({ settings: Settings }).register(z.globalRegistry, { id: 'DocTestThingCreate' });
const Tag = z.pipe(z.string(), z.transform((s) => s.toLowerCase()));
const Query = z.object({ tags: withMeta(z._default(z.array(Tag), []), { description: 'Tags' }), q: z.optional(z.string()), must: z.string() });

const routes: RouteDef[] = [
  {
    method: 'post', path: '/things/{id}', tags: ['T'], summary: 'Create a thing', security: [{ bearer: [] }],
    request: { params: z.object({ id: z.string() }), query: Query, body: { required: true, content: { 'application/json': { schema: ThingCreate } } } },
    responses: { 201: { description: 'The thing', content: { 'application/json': { schema: Thing } } }, 204: { description: 'Nothing' } },
  },
];

describe('the OpenAPI document of a set of routes', () => {
  const doc = openApiDocumentOf(routes, about);
  const op = doc.paths['/things/{id}']!.post!;

  it('lists path and query parameters field by field, a path parameter and a field without default or optional being required', () => {
    expect(op.parameters!.map((p) => [p.name, p.in, p.required])).toEqual([
      ['id', 'path', true],
      ['tags', 'query', false],
      ['q', 'query', false],
      ['must', 'query', true],
    ]);
    // a default over a transform is kept (zod's input form leaves it out)
    expect(op.parameters![1]).toMatchObject({ description: 'Tags', schema: { type: 'array', default: [], description: 'Tags' } });
  });

  it('references components by id: the request body as zod reads it, the response as it writes it', () => {
    expect(op.requestBody).toEqual({ required: true, content: { 'application/json': { schema: { $ref: '#/components/schemas/DocTestThingCreate' } } } });
    expect(op.responses[201]!.content!['application/json']!.schema).toEqual({ $ref: '#/components/schemas/DocTestThing' });
    expect(op.responses[204]).toEqual({ description: 'Nothing' });
    const settingsIn = doc.components.schemas.DocTestSettings!;
    expect(settingsIn).toMatchObject({ description: 'Settings', additionalProperties: false });
    expect(settingsIn.required).toBeUndefined();
    expect(doc.components.schemas.DocTestThingCreate!.properties).toEqual({ settings: { $ref: '#/components/schemas/DocTestSettings' } });
  });

  it('publishes the output form of a component whose forms differ as <id>Output, used by responses only', () => {
    const thing = doc.components.schemas.DocTestThing!;
    expect((thing.properties as Record<string, unknown>).settings).toEqual({ $ref: '#/components/schemas/DocTestSettingsOutput' });
    expect(doc.components.schemas.DocTestSettingsOutput!.required).toEqual(['mode']);
    expect(Object.keys(doc.components.schemas).sort()).toEqual(['DocTestSettings', 'DocTestSettingsOutput', 'DocTestThing', 'DocTestThingCreate']);
  });

  it('keeps a plain response object open, and documents a transformed field by its input', () => {
    const thing = doc.components.schemas.DocTestThing!;
    expect(thing.additionalProperties).toBeUndefined();
    expect(thing.example).toEqual({ id: 'x' });
    expect((thing.properties as Record<string, unknown>).at).toEqual({ type: 'string', maxLength: 30 });
    expect(doc.components.schemas.DocTestSettingsOutput!.additionalProperties).toBe(false);
  });

  it('carries the info and security schemes as given', () => {
    expect(doc.openapi).toBe('3.1.0');
    expect(doc.info).toEqual(about.info);
    expect(doc.components.securitySchemes).toEqual(about.securitySchemes);
  });
});
