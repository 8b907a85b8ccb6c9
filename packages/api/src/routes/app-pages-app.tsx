import { Hono } from 'hono';
import { NotFound, Unauthorized } from '@drumbeat/core';
import type { AppEnv } from '../env.js';
import { usePageGuards } from './page-app-env.js';
import { CalendarPage } from '../pages/calendar-page.js';
import { loadCalendarPage } from '../pages/calendar-model.js';
import { ErrorPage } from '../pages/error-page.js';
import { loadInbox } from '../pages/inbox-model.js';
import { InboxPage } from '../pages/inbox-page.js';
import { loadReport } from '../pages/report-model.js';
import { ReportPage } from '../pages/report-page.js';
import { OverviewPage } from '../pages/overview-page.js';
import { loadOverview } from '../pages/overview-model.js';
import { htmlPage } from '../pages/page-response.js';
import { pageError } from '../pages/page-errors.js';
import {
  appTokenKey,
  endSession,
  pageFormToken,
  principalOfClaims,
  requireSession,
  safeNext,
  sessionFor,
  startSession,
} from '../pages/session.js';
import { verifyToken } from '../pages/session-token.js';
import { SignInPage } from '../pages/sign-in-page.js';
import { calendarFormRoutes } from './calendar-forms.js';

const PUBLIC_PATHS = new Set(['/app/sign-in', '/app/sign-out', '/app/link']);

/**
 * The signed-in pages under /app: sign-in and out, signed links, the accounts
 * overview and each account's calendar. A Hono app of its own, loaded on the
 * first request for a page (app-pages.ts), so no API cold start pays for it.
 */
export function createPagesApp(): Hono<AppEnv> {
  const pages = new Hono<AppEnv>().basePath('/app');
  pages.onError(pageError);
  usePageGuards(pages, (c) =>
    htmlPage(c, <ErrorPage status={413} detail="The form sent more data than a page accepts." signedIn={false} />, 413),
  );
  pages.use('*', async (c, next) => (PUBLIC_PATHS.has(c.req.path) ? next() : requireSession(c, next)));

  pages.get('/sign-in', (c) => htmlPage(c, <SignInPage next={safeNext(c.req.query('next'))} />));
  pages.post('/sign-in', async (c) => {
    const form = await c.req.parseBody();
    const key = typeof form.key === 'string' ? form.key.trim() : '';
    const next = safeNext(form.next);
    if (!key || key.length > 512) return htmlPage(c, <SignInPage next={next} error="Enter an API key (dbk.…)." />, 400);
    try {
      await c.var.services.apiKeys.authenticate(key);
    } catch (err) {
      if (!(err instanceof Unauthorized)) throw err;
      return htmlPage(c, <SignInPage next={next} error="That key is not valid, or it has been revoked." />, 401);
    }
    startSession(c, key);
    return c.redirect(next, 303);
  });
  pages.post('/sign-out', (c) => {
    endSession(c);
    return c.redirect('/app/sign-in', 303);
  });
  pages.get('/link', async (c) => {
    const claims = verifyToken(appTokenKey(c), 'link', c.req.query('token') ?? '', c.var.services.deps.clock.now());
    if (!claims || !(await principalOfClaims(c, claims))) {
      const detail =
        'This link has expired or is not valid. Ask for a new one (POST /v1/app-links), or sign in with an API key.';
      return htmlPage(c, <ErrorPage status={401} detail={detail} signedIn={false} />, 401);
    }
    startSession(c, sessionFor(c, claims));
    return c.redirect(safeNext(c.req.query('next')), 303);
  });

  pages.get('/', async (c) =>
    htmlPage(c, <OverviewPage model={await loadOverview(c.var.services, c.var.principal, c.req.query())} />),
  );
  pages.get('/accounts', (c) => c.redirect('/app', 301));
  pages.get('/accounts/:id/calendar', async (c) => {
    const id = c.req.param('id');
    if (!/^[A-Za-z0-9_-]{1,64}$/.test(id)) throw new NotFound('no such account');
    return htmlPage(
      c,
      <CalendarPage
        model={await loadCalendarPage(c.var.services, c.var.principal, id, c.req.query())}
        formToken={pageFormToken(c)}
      />,
    );
  });
  pages.get('/accounts/:id/inbox', async (c) => {
    const id = c.req.param('id');
    if (!/^[A-Za-z0-9_-]{1,64}$/.test(id)) throw new NotFound('no such account');
    return htmlPage(c, <InboxPage model={await loadInbox(c.var.services, c.var.principal, id)} />);
  });
  pages.get('/accounts/:id/inbox/report', async (c) => {
    const id = c.req.param('id');
    if (!/^[A-Za-z0-9_-]{1,64}$/.test(id)) throw new NotFound('no such account');
    return htmlPage(c, <ReportPage model={await loadReport(c.var.services, c.var.principal, id, c.req.query())} />);
  });
  calendarFormRoutes(pages);

  pages.all('*', () => {
    throw new NotFound('There is no such page.');
  });
  return pages;
}
