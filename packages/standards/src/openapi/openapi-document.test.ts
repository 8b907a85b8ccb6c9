import { describe, expect, it } from 'vitest';
import * as z from 'zod/mini';
import { openApiDocumentOf, type DocumentInfo } from './openapi-document.js';
import type { OperationDef, Schema } from './operation.js';

type JsonSchemaLike = { anyOf?: unknown[] } & Record<string, unknown>;

/** As core's withMeta: a clone of `schema` registered with `meta` (what classic zod's `.meta()` does). */
function withMeta<T extends z.core.$ZodType>(schema: T, meta: z.core.GlobalMeta): T {
  const cl = z.clone(schema);
  z.globalRegistry.add(cl, meta);
  return cl;
}

const about: DocumentInfo = {
  info: { title: 't', version: '1' },
  servers: [{ url: '/' }],
  securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } },
};

// Fresh ids per test file run: the global registry refuses an id twice.
const Settings = z
  .strictObject({ mode: z._default(z.enum(['a', 'b']), 'a'), note: z.optional(z.string()) })
  .register(z.globalRegistry, { id: 'DocTestSettings', description: 'Settings' });
const Thing = z
  .object({
    id: z.string(),
    settings: Settings,
    at: z.pipe(
      z.string().check(z.maxLength(30)),
      z.transform((s) => s.toUpperCase()),
    ),
  })
  .register(z.globalRegistry, { id: 'DocTestThing', example: { id: 'x' } });
const ThingCreate = z.strictObject({ settings: Settings }).register(z.globalRegistry, { id: 'DocTestThingCreate' });
const Tag = z.pipe(
  z.string(),
  z.transform((s) => s.toLowerCase()),
);
const Query = z.object({
  tags: withMeta(z._default(z.array(Tag), []), { description: 'Tags' }),
  q: z.optional(z.string()),
  must: z.string(),
});

const routes: OperationDef[] = [
  {
    method: 'post',
    path: '/things/{id}',
    operationId: 'createThing',
    tags: ['T'],
    summary: 'Create a thing',
    security: [{ bearer: [] }],
    request: {
      params: z.object({ id: z.string() }),
      query: Query,
      body: { required: true, content: { 'application/json': { schema: ThingCreate } } },
    },
    responses: {
      201: { description: 'The thing', content: { 'application/json': { schema: Thing } } },
      204: { description: 'Nothing' },
    },
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
    expect(op.parameters![1]).toMatchObject({
      description: 'Tags',
      schema: { type: 'array', default: [], description: 'Tags' },
    });
  });

  it('references components by id: the request body as zod reads it, the response as it writes it', () => {
    expect(op.requestBody).toEqual({
      required: true,
      content: { 'application/json': { schema: { $ref: '#/components/schemas/DocTestThingCreate' } } },
    });
    expect(op.responses[201]!.content!['application/json']!.schema).toEqual({
      $ref: '#/components/schemas/DocTestThing',
    });
    expect(op.responses[204]).toEqual({ description: 'Nothing' });
    const settingsIn = doc.components.schemas.DocTestSettings!;
    expect(settingsIn).toMatchObject({ description: 'Settings', additionalProperties: false });
    expect(settingsIn.required).toBeUndefined();
    expect(doc.components.schemas.DocTestThingCreate!.properties).toEqual({
      settings: { $ref: '#/components/schemas/DocTestSettings' },
    });
  });

  it('publishes the output form of a component whose forms differ as <id>Output, used by responses only', () => {
    const thing = doc.components.schemas.DocTestThing!;
    expect((thing.properties as Record<string, unknown>).settings).toEqual({
      $ref: '#/components/schemas/DocTestSettingsOutput',
    });
    expect(doc.components.schemas.DocTestSettingsOutput!.required).toEqual(['mode']);
    expect(Object.keys(doc.components.schemas).sort()).toEqual([
      'DocTestSettings',
      'DocTestSettingsOutput',
      'DocTestThing',
      'DocTestThingCreate',
    ]);
  });

  it('keeps a plain response object open, and documents a transformed field by its input', () => {
    const thing = doc.components.schemas.DocTestThing!;
    expect(thing.additionalProperties).toBeUndefined();
    expect(thing.example).toEqual({ id: 'x' });
    expect((thing.properties as Record<string, unknown>).at).toEqual({ type: 'string', maxLength: 30 });
    expect(doc.components.schemas.DocTestSettingsOutput!.additionalProperties).toBe(false);
  });

  it('carries the info, servers and security schemes as given', () => {
    expect(doc.openapi).toBe('3.1.0');
    expect(doc.info).toEqual(about.info);
    expect(doc.servers).toEqual([{ url: '/' }]);
    expect(doc.components.securitySchemes).toEqual(about.securitySchemes);
  });

  it('names each operation and states its security, an empty list for a public one', () => {
    expect(op.operationId).toBe('createThing');
    expect(op.security).toEqual([{ bearer: [] }]);
    expect(docOf(z.object({})).paths['/x']!.post!.security).toEqual([]);
  });

  it('says a request default in the description, so generators keep the field optional; responses keep the keyword', () => {
    const mode = (doc.components.schemas.DocTestSettings!.properties as Record<string, Record<string, unknown>>).mode!;
    expect(mode).not.toHaveProperty('default');
    expect(mode.description).toBe('Default: `"a"`.');
    expect(
      (doc.components.schemas.DocTestSettingsOutput!.properties as Record<string, Record<string, unknown>>).mode,
    ).toHaveProperty('default', 'a');
  });
});

/** The document of one POST route taking `body` and answering `response`. */
const docOf = (body: Schema, response: Schema = body) =>
  openApiDocumentOf(
    [
      {
        method: 'post',
        path: '/x',
        operationId: 'x',
        tags: [],
        summary: 's',
        security: [],
        request: { body: { required: true, content: { 'application/json': { schema: body } } } },
        responses: { 200: { description: 'd', content: { 'application/json': { schema: response } } } },
      },
    ],
    about,
  );

describe('components used by both requests and responses', () => {
  const Inner = z.object({ a: z.string() }).register(z.globalRegistry, { id: 'DocTestInner' });
  const Outer = z.object({ inner: Inner, b: z.string() }).register(z.globalRegistry, { id: 'DocTestOuter' });
  const Leaf = z.object({ n: z._default(z.number(), 1) }).register(z.globalRegistry, { id: 'DocTestLeaf' });
  const Middle = z.object({ leaf: Leaf }).register(z.globalRegistry, { id: 'DocTestMiddle' });
  const Top = z.object({ middle: Middle, inner: Inner }).register(z.globalRegistry, { id: 'DocTestTop' });

  it('are published once when their forms are alike, even when they reference another component', () => {
    const doc = docOf(Outer);
    expect(Object.keys(doc.components.schemas).sort()).toEqual(['DocTestInner', 'DocTestOuter']);
    expect(doc.paths['/x']!.post!.responses[200]!.content!['application/json']!.schema).toEqual({
      $ref: '#/components/schemas/DocTestOuter',
    });
  });

  it('are published twice when a component they reference, at any depth, differs; the others once', () => {
    const doc = docOf(Top);
    expect(Object.keys(doc.components.schemas).sort()).toEqual([
      'DocTestInner',
      'DocTestLeaf',
      'DocTestLeafOutput',
      'DocTestMiddle',
      'DocTestMiddleOutput',
      'DocTestTop',
      'DocTestTopOutput',
    ]);
    const s = doc.components.schemas;
    expect(s.DocTestTopOutput!.properties).toEqual({
      middle: { $ref: '#/components/schemas/DocTestMiddleOutput' },
      inner: { $ref: '#/components/schemas/DocTestInner' },
    });
    expect(s.DocTestTop!.properties).toEqual({
      middle: { $ref: '#/components/schemas/DocTestMiddle' },
      inner: { $ref: '#/components/schemas/DocTestInner' },
    });
    expect(s.DocTestMiddleOutput!.properties).toEqual({ leaf: { $ref: '#/components/schemas/DocTestLeafOutput' } });
    expect(s.DocTestLeafOutput!.required).toEqual(['n']);
  });
});

describe('a nullable field', () => {
  const Patch = z
    .strictObject({
      sign: z.optional(
        z.nullable(withMeta(z.string().check(z.maxLength(4)), { description: 'A sign-off', example: 'AB' })),
      ),
      at: withMeta(z.nullable(withMeta(z.string(), { description: 'An instant', example: '2026-01-01T00:00:00Z' })), {
        description: 'When, or null',
      }),
      also: z.nullable(withMeta(z.string(), { examples: ['x', 'y'] })),
    })
    .register(z.globalRegistry, { id: 'DocTestPatch' });

  it('carries the description and example of what it makes nullable, its own description first', () => {
    const props = docOf(Patch).components.schemas.DocTestPatch!.properties as Record<string, JsonSchemaLike>;
    expect(props.sign).toEqual({
      anyOf: [{ type: 'string', maxLength: 4 }, { type: 'null' }],
      description: 'A sign-off',
      example: 'AB',
    });
    expect(props.at).toMatchObject({ description: 'When, or null', example: '2026-01-01T00:00:00Z' });
    expect(props.at!.anyOf![0]).toEqual({ type: 'string', description: 'An instant' });
    expect(props.also).toMatchObject({ examples: ['x', 'y'] });
  });
});

describe('a schema the document cannot describe', () => {
  it('a transform over a registered component, in a response: a clear error, not an empty schema', () => {
    const Part = z.object({ p: z.string() }).register(z.globalRegistry, { id: 'DocTestPart' });
    const Wrapped = z.pipe(
      z.object({ part: Part }),
      z.transform((v) => v.part),
    );
    expect(() => docOf(z.object({ ok: z.string() }), Wrapped)).toThrow(
      /POST \/x: .*transform .*component\(s\) DocTestPart/,
    );
  });

  it('an unrepresentable output: an error naming the route when the document is built', () => {
    expect(() => docOf(z.object({ ok: z.string() }), z.object({ when: z.date() }))).toThrow(/POST \/x: .*Date/);
  });
});
