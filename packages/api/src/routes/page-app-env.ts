import type { Context, Hono, MiddlewareHandler } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { csrf } from 'hono/csrf';
import type { AppEnv } from '../env.js';

/** What the API app hands a pages app (/app, /a) with each request: its services and settings. */
export interface PagesBindings {
  services: AppEnv['Variables']['services'];
  config: AppEnv['Variables']['config'];
}

/** Puts the bindings the API app passed into the request's variables, as the API's own routes have them. */
export const bindPageEnv: MiddlewareHandler<AppEnv> = async (c, next) => {
  const env = c.env as PagesBindings;
  c.set('services', env.services);
  c.set('config', env.config);
  await next();
};

/** The most a page's form may send. */
const MAX_FORM_BYTES = 8 * 1024;

/**
 * What every request of a pages app goes through first: the bindings, the
 * same-site check of a form, and the form size limit (`tooLarge` answers
 * a larger one).
 */
export function usePageGuards(
  pages: Hono<AppEnv>,
  tooLarge: (c: Context<AppEnv>) => Response | Promise<Response>,
): void {
  pages.use('*', bindPageEnv);
  pages.use('*', csrf({ origin: sameSite }));
  pages.use('*', bodyLimit({ maxSize: MAX_FORM_BYTES, onError: tooLarge }));
}

/** A form may only come from a page of this site (its origin or the configured public URL). */
export function sameSite(origin: string, c: Context<AppEnv>): boolean {
  const publicUrl = c.var.config.publicUrl;
  return origin === new URL(c.req.url).origin || (publicUrl !== undefined && origin === new URL(publicUrl).origin);
}
