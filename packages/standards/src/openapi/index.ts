/**
 * An OpenAPI 3.1 document from operations whose parameters and bodies are
 * zod schemas, converted by zod's own `z.toJSONSchema` (plus what it leaves
 * out: a transform's output by its input, defaults, nullable metadata), with
 * shared components and their input and output forms. It reads zod's
 * internals (`_zod.def`), so a zod major version may break it: its tests say
 * where.
 *
 * Delete it when a library that builds the document from zod 4 schemas fits
 * the cold-start budget (DESIGN.md, Performance) and keeps the document the
 * same (test/api/openapi*.test.ts), e.g. zod-openapi without classic zod.
 */
export { openApiDocumentOf, type DocumentInfo, type OpenApiDocument } from './openapi-document.js';
export type { JsonSchema } from './schema-components.js';
export type * from './operation.js';
