import type { Context, Hono } from 'hono';
import type { AppEnv } from '../env.js';
import type { PagesBindings } from './page-app-env.js';

/**
 * The /app pages, mounted lazily: their module (pages, JSX, sessions) is
 * imported on the first request for a page, not when the API loads, so a
 * Lambda cold start that serves the API never pays for it (infra/README.md).
 */
export function appPageRoutes(app: Hono<AppEnv>): void {
  let pages: Promise<Hono<AppEnv>> | undefined;
  const serve = async (c: Context<AppEnv>) => {
    const sub = await (pages ??= import('./app-pages-app.js').then((m) => m.createPagesApp()));
    const env: PagesBindings = { services: c.var.services, config: c.var.config };
    return sub.fetch(c.req.raw, env);
  };
  app.all('/app', serve);
  app.all('/app/*', serve);
}
