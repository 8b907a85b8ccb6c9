import type { Context, Hono } from 'hono';
import type { AppEnv } from '../env.js';
import type { PagesBindings } from './page-app-env.js';

/**
 * The action-link pages under /a/{token} (review, manual publication,
 * acknowledge), mounted lazily like the /app pages: a Lambda cold start that
 * serves the API never loads them.
 */
export function actionPageRoutes(app: Hono<AppEnv>): void {
  let pages: Promise<Hono<AppEnv>> | undefined;
  const serve = async (c: Context<AppEnv>) => {
    const sub = await (pages ??= import('./action-pages-app.js').then((m) => m.createActionPagesApp()));
    const env: PagesBindings = { services: c.var.services, config: c.var.config };
    return sub.fetch(c.req.raw, env);
  };
  app.all('/a/*', serve);
}
