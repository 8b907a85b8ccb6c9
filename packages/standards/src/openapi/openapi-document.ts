import type { Content, Implicit, OperationDef, Schema } from './operation.js';
import { SchemaComponents, type JsonSchema } from './schema-components.js';

/** What the document says besides its operations. */
export interface DocumentInfo {
  info: { title: string; version: string; description?: string };
  /** Where the API is served; a relative URL is relative to the document's own address. */
  servers: { url: string; description?: string }[];
  securitySchemes: Record<string, { type: string; scheme?: string; description?: string }>;
}

interface Parameter {
  name: string;
  in: 'path' | 'query' | 'header';
  required: boolean;
  description?: string;
  schema: JsonSchema;
}

/** One parameter per field of an object schema; a path parameter is always required. */
function parameters(components: SchemaComponents, schema: Schema | undefined, where: 'path' | 'query'): Parameter[] {
  if (!schema) return [];
  const object = components.parameterObject(schema);
  const required = new Set((object.required as string[] | undefined) ?? []);
  return Object.entries((object.properties ?? {}) as Record<string, JsonSchema>).map(([name, field]) => ({
    name,
    in: where,
    required: where === 'path' || required.has(name),
    ...(typeof field.description === 'string' ? { description: field.description } : {}),
    schema: field,
  }));
}

function content(components: SchemaComponents, c: Content, io: 'input' | 'output') {
  return Object.fromEntries(
    Object.entries(c).map(([type, { schema }]) => [type, { schema: components.convert(schema, io) }]),
  );
}

function operation(components: SchemaComponents, def: OperationDef, implicit: Implicit | undefined) {
  const { request } = def;
  const params = [
    ...parameters(components, request?.params, 'path'),
    ...parameters(components, request?.query, 'query'),
    ...(implicit?.headers(def) ?? []),
  ];
  const body = request?.body;
  const responses = { ...def.responses, ...implicit?.responses(def) };
  return {
    operationId: def.operationId,
    tags: def.tags,
    summary: def.summary,
    ...(def.description ? { description: def.description } : {}),
    security: def.security,
    ...(params.length ? { parameters: params } : {}),
    ...(body
      ? {
          requestBody: {
            required: body.required,
            ...(body.description ? { description: body.description } : {}),
            content: content(components, body.content, 'input'),
          },
        }
      : {}),
    responses: Object.fromEntries(
      Object.entries(responses).map(([status, r]) => [
        status,
        {
          description: r.description,
          ...(r.headers ? { headers: r.headers } : {}),
          ...(r.content ? { content: content(components, r.content, 'output') } : {}),
        },
      ]),
    ),
  };
}

/**
 * The OpenAPI 3.1 document of `routes`, their schemas converted by zod and
 * shared as components; `implicit` adds what every operation gets from
 * whatever serves it (responses, header parameters).
 */
export function openApiDocumentOf(routes: readonly OperationDef[], about: DocumentInfo, implicit?: Implicit) {
  const components = new SchemaComponents();
  const paths: Record<string, Record<string, ReturnType<typeof operation>>> = {};
  for (const def of routes) {
    try {
      (paths[def.path] ??= {})[def.method] = operation(components, def, implicit);
    } catch (err) {
      // zod's messages name the schema part, not the route: say which operation cannot be documented.
      throw new Error(
        `the OpenAPI document cannot describe ${def.method.toUpperCase()} ${def.path}: ${(err as Error).message}`,
        { cause: err },
      );
    }
  }
  const { value, schemas } = components.finish(paths);
  return {
    openapi: '3.1.0' as const,
    info: about.info,
    servers: about.servers,
    components: { securitySchemes: about.securitySchemes, schemas },
    paths: value,
  };
}

/** The document type the /docs page and the tests read. */
export type OpenApiDocument = ReturnType<typeof openApiDocumentOf>;
