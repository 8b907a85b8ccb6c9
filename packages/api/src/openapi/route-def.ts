import type { Context, MiddlewareHandler } from 'hono';
import type * as z from 'zod/mini';
import type { AppEnv } from '../env.js';

/** Any zod schema, classic or mini: both share `zod/v4/core`. */
export type Schema = z.core.$ZodType;

/** Media type → the schema of a request or response body. */
export type Content = Record<string, { schema: Schema }>;

/** A request body; `required: false` accepts a request without one (the handler then sees `{}` as the schema parses it: its defaults). */
export interface RequestBody {
  required: boolean;
  description?: string;
  content: Content;
}

/** The parts of a request a route validates; each is an object schema (path params and query by field). */
export interface RouteRequest {
  params?: Schema;
  query?: Schema;
  body?: RequestBody;
}

/** One response of a route. */
export interface RouteResponse {
  description: string;
  content?: Content;
  /** Response headers, by name (JSON Schema). */
  headers?: Record<string, { description: string; schema: Record<string, unknown> }>;
}

/** An operation: how it is mounted, validated and documented. Paths use the OpenAPI `{id}` syntax. */
export interface RouteDef<R extends RouteRequest = RouteRequest> {
  method: 'get' | 'post' | 'put' | 'patch' | 'delete';
  path: string;
  /** The name a generated SDK gives the operation's method (camelCase verb + noun: `createPost`). */
  operationId: string;
  tags: string[];
  summary: string;
  description?: string;
  /** Who may call it: `[]` for a public route, `[{ bearer: [] }]` for an API key (`guarded`). */
  security: Record<string, string[]>[];
  middleware?: MiddlewareHandler<AppEnv>;
  request?: R;
  responses: Record<number, RouteResponse>;
}

type ParamOut<R> = R extends { params: infer P extends Schema } ? { param: z.output<P> } : Record<never, never>;
type QueryOut<R> = R extends { query: infer Q extends Schema } ? { query: z.output<Q> } : Record<never, never>;
type JsonOut<R> = R extends { body: { content: { 'application/json': { schema: infer B extends Schema } } } }
  ? { json: z.output<B> }
  : Record<never, never>;

/** What `c.req.valid(target)` gives a handler of a route with request `R`. */
export type ValidatedParts<R> = ParamOut<R> & QueryOut<R> & JsonOut<R>;

/** The handler of a route: its validated request parts are typed. */
export type RouteHandler<R extends RouteRequest> = (
  c: Context<AppEnv, string, { out: ValidatedParts<R> }>,
) => Response | Promise<Response>;

/** Declares a route, keeping the schema types of its request for the handler. */
export function defineRoute<const R extends RouteRequest = Record<never, never>>(def: RouteDef<R>): RouteDef<R> {
  return def;
}
