import type { Hono } from 'hono';
import type { AppEnv } from '../env.js';
import { requestValidators } from './request-validators.js';
import type { OperationRequest } from '@drumbeat/standards/openapi';
import type { RouteDef, RouteHandler } from './route-def.js';

/** The routes each app documents, in registration order (the document lists them so). */
const documented = new WeakMap<Hono<AppEnv>, RouteDef[]>();

/** The routes registered on `app` for its OpenAPI document. */
export function documentedRoutes(app: Hono<AppEnv>): readonly RouteDef[] {
  return documented.get(app) ?? [];
}

/** Adds a route to `app`'s document without mounting it (its handler is mounted by other means). */
export function documentRoute(app: Hono<AppEnv>, def: RouteDef<OperationRequest>): void {
  const defs = documented.get(app) ?? [];
  defs.push(def as RouteDef);
  documented.set(app, defs);
}

/** `{id}` → `:id`, Hono's path syntax. */
function honoPath(path: string): string {
  return path.replace(/\{(\w+)\}/g, ':$1');
}

/** Documents `def` and mounts it: its middleware (the role), then its validators, then `handler`. */
export function route<R extends OperationRequest>(app: Hono<AppEnv>, def: RouteDef<R>, handler: RouteHandler<R>): void {
  documentRoute(app, def);
  const middleware = def.middleware ? [def.middleware] : [];
  app.on([def.method.toUpperCase()], [honoPath(def.path)], ...middleware, ...requestValidators(def.request), handler);
}
