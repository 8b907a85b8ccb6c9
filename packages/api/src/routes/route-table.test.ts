import { Hono } from 'hono';
import { describe, expect, it } from 'vitest';
import type { AppEnv } from '../env.js';
import { ROUTE_GROUPS } from './route-table.js';

/** `METHOD path` of each route `app` mounts, consecutive handlers of one route counted once. */
function mountedRoutes(app: Hono<AppEnv>): string[] {
  const out: string[] = [];
  for (const r of app.routes) {
    const key = `${r.method} ${r.path}`;
    if (out.at(-1) !== key) out.push(key);
  }
  return out;
}

describe('the route table', () => {
  // The app mounts each group from the table before loading it: a route the table misses would answer 404.
  it.each(ROUTE_GROUPS.map((g) => [g.name, g] as const))(
    'lists exactly what the %s group mounts, in its order',
    async (_name, group) => {
      const own = new Hono<AppEnv>();
      (await group.load())(own, own);
      expect(mountedRoutes(own)).toEqual(group.routes);
    },
  );

  it('names each group once and each route once', () => {
    expect(new Set(ROUTE_GROUPS.map((g) => g.name)).size).toBe(ROUTE_GROUPS.length);
    const routes = ROUTE_GROUPS.flatMap((g) => g.routes);
    expect(new Set(routes).size).toBe(routes.length);
  });
});
