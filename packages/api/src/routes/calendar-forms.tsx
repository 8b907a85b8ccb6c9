import type { Context, Hono } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import { DomainError, Forbidden, localToInstant, NotFound, type PostRecord } from '@drumbeat/core';
import type { AppEnv } from '../env.js';
import { CalendarPage, calendarHref } from '../pages/calendar-page.js';
import { loadCalendarPage } from '../pages/calendar-model.js';
import { htmlPage } from '../pages/page-response.js';
import { pageFormHolds, pageFormToken, safeNext } from '../pages/session.js';

type Form = Record<string, unknown>;
const text = (v: unknown, max: number) => (typeof v === 'string' ? v.trim().slice(0, max) : '');
const LOCAL_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2})?$/;

/** A form's failure shown on the calendar it came from, with its status (never a 5xx for a refusal). */
async function showError(
  c: Context<AppEnv>,
  accountId: string,
  next: string,
  status: number,
  message: string,
): Promise<Response> {
  const query = Object.fromEntries(new URL(next, 'http://page.local').searchParams);
  const { view, date } = query;
  const model = await loadCalendarPage(c.var.services, c.var.principal, accountId, {
    ...(view ? { view } : {}),
    ...(date ? { date } : {}),
  });
  return htmlPage(
    c,
    <CalendarPage model={model} formToken={pageFormToken(c)} error={message} />,
    status as ContentfulStatusCode,
  );
}

/** Back to the calendar the form came from, saying what was done. */
function back(c: Context<AppEnv>, next: string, done: string): Response {
  return c.redirect(`${next}${next.includes('?') ? '&' : '?'}done=${done}`, 303);
}

/**
 * The forms of the signed-in calendar page: Approve / Request changes (a
 * personal approver or owner key, recorded exactly as the API records it:
 * the key's voice, entered by the key), Reschedule and Cancel (an editor or
 * owner). Same-origin check (the pages app's csrf middleware) and the
 * session's form token; each form names the version it was drawn for, so a
 * post changed since is a 409 shown on the page.
 */
export function calendarFormRoutes(pages: Hono<AppEnv>): void {
  const act = (
    verb: string,
    roles: string[],
    run: (c: Context<AppEnv>, post: PostRecord, form: Form) => Promise<string | { status: number; message: string }>,
  ) =>
    pages.post(`/posts/:id/${verb}`, async (c) => {
      const form = await c.req.parseBody();
      const principal = c.var.principal;
      const id = c.req.param('id');
      if (!/^pst_[0-9a-z]{26}$/.test(id)) throw new NotFound('no such post');
      if (!pageFormHolds(c, form.formToken))
        throw new Forbidden('This form is not from your current session. Reload the calendar and try again.');
      // The page's own words for a post that is not there (the service's message names its id).
      const post = await c.var.services.posts.record(principal.workspaceId, id).catch((err: unknown) => {
        throw err instanceof NotFound ? new NotFound('no such post') : err;
      });
      const next = safeNext(form.next) === form.next ? (form.next as string) : calendarHref(post.accountId, 'week');
      if (!roles.includes(principal.role))
        return showError(
          c,
          post.accountId,
          next,
          403,
          `A ${principal.role} key cannot do this: it takes ${roles.join(' or ')} rights.`,
        );
      try {
        const outcome = await run(c, post, form);
        return typeof outcome === 'string'
          ? back(c, next, outcome)
          : showError(c, post.accountId, next, outcome.status, outcome.message);
      } catch (err) {
        if (err instanceof DomainError && err.status < 500)
          return showError(c, post.accountId, next, err.status, err.message);
        throw err;
      }
    });

  act('decide', ['approver', 'owner'], async (c, post, form) => {
    const principal = c.var.principal;
    if (!principal.voiceId)
      return {
        status: 403,
        message: 'Sign in with your personal key to approve: a decision is recorded in its person’s voice.',
      };
    const note = text(form.note, 2000);
    const decision = { expectedRev: text(form.rev, 64), ...(note ? { note } : {}) };
    if (form.decision === 'approve') {
      await c.var.services.approvals.approve(principal.workspaceId, post.id, decision, principal);
      return 'approved';
    }
    if (form.decision === 'changes') {
      if (!note) return { status: 422, message: 'Say what should change: the note goes to the author.' };
      await c.var.services.approvals.reject(principal.workspaceId, post.id, decision, principal);
      return 'changes';
    }
    return { status: 400, message: 'Choose Approve or Request changes.' };
  });

  act('reschedule', ['editor', 'owner'], async (c, post, form) => {
    const principal = c.var.principal;
    const local = text(form.at, 32);
    const account = await c.var.services.accounts.record(principal.workspaceId, post.accountId);
    let at: Date;
    try {
      if (!LOCAL_TIME.test(local)) throw new RangeError('not a local time');
      at = localToInstant(local, account.timezone);
    } catch {
      return { status: 422, message: `Enter the new date and time (in ${account.timezone}).` };
    }
    if (at.getTime() <= c.var.services.deps.clock.now().getTime())
      return {
        status: 422,
        message: `${local.replace('T', ' ')} (${account.timezone}) has already passed: choose a time ahead.`,
      };
    await c.var.services.posts.update(
      principal.workspaceId,
      post.id,
      { at: at.toISOString() },
      { voiceId: principal.voiceId, source: { kind: 'app' } },
      { version: Number(form.version) },
    );
    return 'rescheduled';
  });

  act('cancel', ['editor', 'owner'], async (c, post, form) => {
    await c.var.services.posts.cancel(c.var.principal.workspaceId, post.id, { version: Number(form.version) });
    return 'canceled';
  });
}
