import { Hono } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import type { ServiceName, Services } from '@drumbeat/services';
import type { ApiConfig, AppEnv, ServiceSource } from './env.js';
import { notFound, onError } from './error-handler.js';
import { problem } from './problem.js';
import { adminOnly, authenticate } from './middleware/auth.js';
import { idempotency } from './middleware/idempotency.js';
import { rateLimit } from './middleware/rate-limit.js';
import { closeUnreadBody } from './middleware/close-unread.js';
import { pageSecurityHeaders } from './middleware/page-headers.js';
import { utf8Only } from './middleware/utf8-only.js';
import { mountLazyGroups } from './routes/lazy-group.js';
import { ROUTE_GROUPS } from './routes/route-table.js';

/** What every /v1 request uses before its route group's handlers: the API keys (authentication). */
const EVERY_REQUEST: readonly ServiceName[] = ['apiKeys'];

/**
 * The whole HTTP API as one Hono app; the runtimes (Node server, Lambda) only serve it.
 * `services` may be a source that loads what each request needs (Lambda: off the cold start, and per route group).
 */
export function createApp(services: Services | ServiceSource, config: ApiConfig) {
  const source = typeof services === 'function' ? services : undefined;
  const app = new Hono<AppEnv>();
  app.onError(onError);
  app.notFound(notFound);
  app.use('*', async (c, next) => {
    if (!source) c.set('services', services as Services);
    c.set('config', config);
    await next();
  });
  // With a source, /v1 loads the API keys for authentication here; elsewhere a route group loads what it lists
  // before its handlers (lazy-group.ts), and a 404 loads nothing.
  if (source)
    app.use('/v1/*', async (c, next) => {
      c.set('services', await source(EVERY_REQUEST));
      await next();
    });
  app.use('*', closeUnreadBody);
  app.use(
    '/mcp',
    bodyLimit({
      maxSize: config.maxBodyBytes,
      onError: (c) => problem(c, 413, 'too-large', `request bodies are limited to ${config.maxBodyBytes} bytes`),
    }),
  );
  app.use(
    '/v1/*',
    bodyLimit({
      maxSize: config.maxBodyBytes,
      // The rest of a refused body is still on its way: the server drops the
      // connection after answering, so say so (`Connection: close`), or a
      // keep-alive client sends its next request into a closing socket.
      onError: (c) => {
        c.header('Connection', 'close');
        return problem(c, 413, 'too-large', `request bodies are limited to ${config.maxBodyBytes} bytes`);
      },
    }),
  );
  app.use('*', utf8Only);
  app.use('/v1/workspaces', adminOnly);
  app.use('/v1/*', async (c, next) => (c.req.path === '/v1/workspaces' ? next() : authenticate(c, next)));
  if (config.rateLimit) app.use('/v1/*', rateLimit(config.rateLimit));
  app.use('/v1/*', idempotency);
  app.use('/t/*', pageSecurityHeaders);

  // Each route group's module loads on its first request (routes/route-table.ts): a cold start loads none.
  mountLazyGroups(app, ROUTE_GROUPS, onError, source);
  return app;
}

export type App = ReturnType<typeof createApp>;
