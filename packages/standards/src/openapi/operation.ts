import type * as z from 'zod/mini';

/** Any zod schema, classic or mini: both share `zod/v4/core`. */
export type Schema = z.core.$ZodType;

/** Media type → the schema of a request or response body. */
export type Content = Record<string, { schema: Schema }>;

/** A request body. */
export interface OperationBody {
  required: boolean;
  description?: string;
  content: Content;
}

/** The parts of a request an operation takes; each is an object schema (path params and query by field). */
export interface OperationRequest {
  params?: Schema;
  query?: Schema;
  body?: OperationBody;
}

/** One response of an operation. */
export interface OperationResponse {
  description: string;
  content?: Content;
  /** Response headers, by name (JSON Schema). */
  headers?: Record<string, { description: string; schema: Record<string, unknown> }>;
}

/** An operation as the document describes it. Paths use the OpenAPI `{id}` syntax. */
export interface OperationDef {
  method: 'get' | 'post' | 'put' | 'patch' | 'delete';
  path: string;
  /** The name a generated SDK gives the operation's method (camelCase verb + noun: `createPost`). */
  operationId: string;
  tags: string[];
  summary: string;
  description?: string;
  security: Record<string, string[]>[];
  request?: OperationRequest;
  responses: Record<number, OperationResponse>;
}

/** A header parameter every operation of a kind takes, besides its own. */
export interface HeaderParameter {
  name: string;
  in: 'header';
  required: boolean;
  description?: string;
  schema: Record<string, unknown>;
}

/**
 * What an operation gets besides its own definition, from whatever serves it
 * (an app's middleware: a body limit, a rate limit, an idempotency header), so
 * that the document says it once instead of in every operation.
 */
export interface Implicit {
  responses(def: OperationDef): Record<number, OperationResponse>;
  headers(def: OperationDef): HeaderParameter[];
}
