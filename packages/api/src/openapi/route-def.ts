import type { Context, MiddlewareHandler } from 'hono';
import type { OperationDef, OperationRequest, Schema } from '@drumbeat/standards/openapi';
import type * as z from 'zod/mini';
import type { AppEnv } from '../env.js';

/**
 * An operation as the app mounts it: its definition in the document, plus the
 * middleware that guards it (the role). `security` is `[]` for a public route,
 * `[{ bearer: [] }]` for an API key (`guarded`). A request body with
 * `required: false` accepts a request without one (the handler then sees `{}`
 * as the schema parses it: its defaults).
 */
export interface RouteDef<R extends OperationRequest = OperationRequest> extends Omit<OperationDef, 'request'> {
  middleware?: MiddlewareHandler<AppEnv>;
  request?: R;
}

type ParamOut<R> = R extends { params: infer P extends Schema } ? { param: z.output<P> } : Record<never, never>;
type QueryOut<R> = R extends { query: infer Q extends Schema } ? { query: z.output<Q> } : Record<never, never>;
type JsonOut<R> = R extends { body: { content: { 'application/json': { schema: infer B extends Schema } } } }
  ? { json: z.output<B> }
  : Record<never, never>;

/** What `c.req.valid(target)` gives a handler of a route with request `R`. */
export type ValidatedParts<R> = ParamOut<R> & QueryOut<R> & JsonOut<R>;

/** The handler of a route: its validated request parts are typed. */
export type RouteHandler<R extends OperationRequest> = (
  c: Context<AppEnv, string, { out: ValidatedParts<R> }>,
) => Response | Promise<Response>;

/** Declares a route, keeping the schema types of its request for the handler. */
export function defineRoute<const R extends OperationRequest = Record<never, never>>(def: RouteDef<R>): RouteDef<R> {
  return def;
}
