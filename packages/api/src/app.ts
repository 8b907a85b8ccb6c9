import { Hono } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import type { Services } from '@drumbeat/services';
import type { ApiConfig, AppEnv } from './env.js';
import { notFound, onError } from './error-handler.js';
import { problem } from './problem.js';
import { adminOnly, authenticate } from './middleware/auth.js';
import { idempotency } from './middleware/idempotency.js';
import { rateLimit } from './middleware/rate-limit.js';
import { closeUnreadBody } from './middleware/close-unread.js';
import { pageSecurityHeaders } from './middleware/page-headers.js';
import { utf8Only } from './middleware/utf8-only.js';
import { workspaceRoutes } from './routes/workspaces.js';
import { keyRoutes } from './routes/keys.js';
import { voiceRoutes } from './routes/voices.js';
import { accountRoutes } from './routes/accounts.js';
import { systemRoutes } from './routes/system.js';
import { postRoutes, reviewLinkRoutes } from './routes/posts.js';
import { calendarRoutes } from './routes/calendar.js';
import { csvRoutes } from './routes/csv.js';
import { attributionRoutes } from './routes/attribution.js';
import { transparencyRoutes } from './routes/transparency.js';
import { webhookRoutes } from './routes/webhooks.js';
import { alertRoutes } from './routes/alerts.js';
import { statsRoutes } from './routes/stats.js';
import { appLinkRoutes } from './routes/app-links.js';
import { appPageRoutes } from './routes/app-pages.js';
import { mcpRoutes } from './routes/mcp.js';
import { actionPageRoutes } from './routes/action-pages.js';
import { conversationRoutes } from './routes/conversations.js';

/** The whole HTTP API as one Hono app; the runtimes (Node server, Lambda) only serve it. */
export function createApp(services: Services, config: ApiConfig) {
  const app = new Hono<AppEnv>();
  app.onError(onError);
  app.notFound(notFound);
  app.use('*', async (c, next) => {
    c.set('services', services);
    c.set('config', config);
    await next();
  });
  app.use('*', closeUnreadBody);
  app.use(
    '/mcp',
    bodyLimit({ maxSize: config.maxBodyBytes, onError: (c) => problem(c, 413, 'too-large', `request bodies are limited to ${config.maxBodyBytes} bytes`) }),
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

  systemRoutes(app);
  workspaceRoutes(app);
  keyRoutes(app);
  voiceRoutes(app);
  accountRoutes(app);
  postRoutes(app);
  reviewLinkRoutes(app);
  conversationRoutes(app);
  calendarRoutes(app);
  csvRoutes(app);
  attributionRoutes(app);
  transparencyRoutes(app);
  webhookRoutes(app);
  alertRoutes(app);
  statsRoutes(app);
  appLinkRoutes(app);
  appPageRoutes(app);
  mcpRoutes(app);
  actionPageRoutes(app);
  return app;
}

export type App = ReturnType<typeof createApp>;
