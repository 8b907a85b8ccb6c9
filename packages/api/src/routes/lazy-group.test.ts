import { Hono } from 'hono';
import { describe, expect, it } from 'vitest';
import type { AppEnv } from '../env.js';
import { loadMountedGroups, mountLazyGroups } from './lazy-group.js';
import type { RegisterGroup } from './route-table.js';

/** An app with one lazily mounted group, the log of what ran, and how many times the group was loaded. */
function appWith(register: RegisterGroup, routes: string[], opts: { failFirstLoad?: boolean } = {}) {
  const log: string[] = [];
  let loads = 0;
  const app = new Hono<AppEnv>();
  const onError = (err: Error) => new Response(`onError: ${err.message}`, { status: 500 });
  app.onError(onError);
  app.notFound(() => new Response('not found', { status: 404 }));
  app.use('*', async (_c, next) => {
    log.push('app-wide');
    await next();
  });
  mountLazyGroups(
    app,
    [
      {
        name: 'g',
        routes,
        load: async () => {
          loads++;
          if (opts.failFirstLoad && loads === 1) throw new Error('chunk failed to load');
          return register;
        },
      },
    ],
    onError,
  );
  return { app, log, loads: () => loads };
}

describe('lazily mounted route groups', () => {
  it('loads a group on its first request, once, after the app-wide middleware, with the params of the route', async () => {
    const { app, log, loads } = appWith(
      (g) => {
        log.push('loaded');
        g.get(
          '/things/:id',
          async (_c, next) => {
            log.push('role');
            await next();
          },
          (c) => c.json({ id: c.req.param('id') }),
        );
      },
      ['GET /things/:id'],
    );
    expect(loads()).toBe(0);
    const res = await app.request('/things/t1');
    expect(await res.json()).toEqual({ id: 't1' });
    expect(await (await app.request('/things/t2')).json()).toEqual({ id: 't2' });
    expect(loads()).toBe(1);
    expect(log).toEqual(['app-wide', 'loaded', 'role', 'app-wide', 'role']);
  });

  it('answers 404 for what the table does not mount (path or method) without loading the group', async () => {
    const { app, loads } = appWith((g) => void g.get('/things/:id', (c) => c.text('x')), ['GET /things/:id']);
    expect((await app.request('/other')).status).toBe(404);
    expect((await app.request('/things/t1', { method: 'DELETE' })).status).toBe(404);
    expect(loads()).toBe(0);
  });

  it("turns a handler's error into the app's onError answer, and a handler's next() into the app's next match", async () => {
    const { app } = appWith(
      (g) => {
        g.get('/boom', () => {
          throw new Error('kaboom');
        });
        g.get('/pass', async (_c, next) => {
          await next();
        });
      },
      ['GET /boom', 'GET /pass'],
    );
    const boom = await app.request('/boom');
    expect([boom.status, await boom.text()]).toEqual([500, 'onError: kaboom']);
    expect((await app.request('/pass')).status).toBe(404);
  });

  it('retries a group whose import failed, and loads every group for the document', async () => {
    const { app, loads } = appWith((g) => void g.get('/x', (c) => c.text('ok')), ['GET /x'], { failFirstLoad: true });
    expect((await app.request('/x')).status).toBe(500);
    expect(await (await app.request('/x')).text()).toBe('ok');
    expect(loads()).toBe(2);
    expect((await loadMountedGroups(app)).map((g) => g.routes.map((r) => `${r.method} ${r.path}`))).toEqual([
      ['GET /x'],
    ]);
  });
});
