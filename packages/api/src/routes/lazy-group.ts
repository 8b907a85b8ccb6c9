import { Hono, type Context, type ErrorHandler, type MiddlewareHandler, type Next } from 'hono';
import type { AppEnv, ServiceSource } from '../env.js';
import type { RouteGroup } from './route-table.js';

/** The groups mounted on each app, each with its loader (the OpenAPI document loads them all). */
const mounted = new WeakMap<Hono<AppEnv>, (() => Promise<Hono<AppEnv>>)[]>();

type Handler = (c: Context<AppEnv>, next: Next) => unknown;

/**
 * Runs a route's handlers (role, validators, handler) as Hono's compose runs
 * them: a handler's error becomes `onError`'s answer at that point, a
 * response is kept unless one already is, and the last `next` goes on to the
 * outer app's next match.
 */
async function runChain(
  c: Context<AppEnv>,
  chain: readonly Handler[],
  next: Next,
  onError: ErrorHandler<AppEnv>,
): Promise<void> {
  let index = -1;
  const dispatch = async (i: number): Promise<void> => {
    if (i <= index) throw new Error('next() called multiple times');
    index = i;
    const handler = chain[i];
    if (!handler) return next();
    let res: unknown;
    let isError = false;
    try {
      res = await handler(c, () => dispatch(i + 1));
    } catch (err) {
      if (!(err instanceof Error)) throw err;
      c.error = err;
      res = await onError(err, c);
      isError = true;
    }
    if (res instanceof Response && (c.finalized === false || isError)) c.res = res;
  };
  await dispatch(0);
}

/**
 * Mounts each group's routes on `app` (same methods, paths and order, so
 * matching and 404s are unchanged), each with a handler that imports the
 * group's module on its first request, mounts it on an app of its own (once
 * per process) and runs that route's handlers. App-wide middleware
 * registered before still runs first. With a `source`, the use-cases the
 * group lists are loaded before its handlers run.
 */
export function mountLazyGroups(
  app: Hono<AppEnv>,
  groups: readonly RouteGroup[],
  onError: ErrorHandler<AppEnv>,
  source?: ServiceSource,
): void {
  const loaders = groups.map((group) => {
    let loaded: Promise<Hono<AppEnv>> | undefined;
    const load = () =>
      (loaded ??= group.load().then(
        (register) => {
          const own = new Hono<AppEnv>();
          register(own, app);
          return own;
        },
        (err: unknown) => {
          loaded = undefined; // a failed import is retried by the next request
          throw err;
        },
      ));
    for (const r of group.routes) {
      const [method, path] = [r.slice(0, r.indexOf(' ')), r.slice(r.indexOf(' ') + 1)];
      let chain: Handler[] | undefined;
      const lazy: MiddlewareHandler<AppEnv> = async (c, next) => {
        chain ??= (await load()).routes
          .filter((x) => x.method === method && x.path === path)
          .map((x) => x.handler as Handler);
        if (source) c.set('services', await source(group.services ?? 'all'));
        await runChain(c, chain, next, onError);
        return c.finalized ? c.res : undefined;
      };
      app.on(method, path, lazy);
    }
    return load;
  });
  mounted.set(app, [...(mounted.get(app) ?? []), ...loaders]);
}

/** Every lazily mounted group of `app`, loaded, in mounting order (their documented routes make the OpenAPI document). */
export function loadMountedGroups(app: Hono<AppEnv>): Promise<Hono<AppEnv>[]> {
  return Promise.all((mounted.get(app) ?? []).map((load) => load()));
}
