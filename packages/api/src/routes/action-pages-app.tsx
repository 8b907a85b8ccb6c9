import { Hono } from 'hono';
import type { Context } from 'hono';
import { HTTPException } from 'hono/http-exception';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import * as z from 'zod/mini';
import { Conflict, DomainError, Url } from '@drumbeat/core';
import { LinkRefused, type OpenLink } from '@drumbeat/services';
import type { AppEnv } from '../env.js';
import { htmlPage } from '../pages/page-response.js';
import { AckPage, AnswerPage, LinkMessagePage, ManualPage, ReviewPage } from '../pages/action-page.js';
import { loadAnswer } from '../pages/answer-model.js';
import { loadAck, loadManual, loadReview } from '../pages/action-model.js';
import { usePageGuards } from './page-app-env.js';

/** A small in-process token bucket: `burst` at once, then `perMinute`. */
function bucket(perMinute: number, burst: number, now: () => number) {
  const map = new Map<string, { tokens: number; at: number }>();
  return (key: string): boolean => {
    const t = now();
    const b = map.get(key) ?? { tokens: burst, at: t };
    b.tokens = Math.min(burst, b.tokens + ((t - b.at) * perMinute) / 60_000);
    b.at = t;
    if (map.size > 20_000) map.clear();
    map.set(key, b);
    if (b.tokens < 1) return false;
    b.tokens -= 1;
    return true;
  };
}

const refusal = (c: Context<AppEnv>, status: number, heading: string, detail: string) =>
  htmlPage(c, <LinkMessagePage status={status} heading={heading} detail={detail} />, status as ContentfulStatusCode);

/**
 * The pages an emailed action link opens, with no key: GET shows (and changes
 * nothing), the page's form POSTs to act, from this site only (Origin check)
 * and with the page's form token. Each link is rate-limited, and so are
 * refused links (guessing gets slow). Acting twice says what already happened.
 */
export function createActionPagesApp(): Hono<AppEnv> {
  const pages = new Hono<AppEnv>().basePath('/a');
  const perLink = bucket(30, 10, Date.now);
  const refusedAll = bucket(120, 60, Date.now);
  pages.onError((err, c) => {
    if (err instanceof LinkRefused) return refusal(c, err.status, err.heading, err.detail);
    if (err instanceof DomainError)
      return refusal(c, err.status, err.status === 404 ? 'Nothing to show' : 'This could not be done', err.message);
    if (err instanceof HTTPException) {
      const detail =
        err.status === 403
          ? 'This form must be sent from the page the link opened. Open the link again and use its buttons.'
          : err.status === 413
            ? 'The form sent more data than a page accepts.'
            : err.message;
      return refusal(c, err.status, err.status === 403 ? 'Not allowed' : 'Refused', detail);
    }
    console.error(
      JSON.stringify({ level: 'error', msg: 'unhandled action page error', err: String(err), stack: err.stack }),
    );
    return refusal(
      c,
      500,
      'Something went wrong',
      'An unexpected error occurred; it has been logged. Try the link again in a moment.',
    );
  });
  usePageGuards(pages, (c) => refusal(c, 413, 'Refused', 'The form sent more data than a page accepts.'));

  /** The link of the request, checked; rate-limited per link and, for refused links, overall. */
  const linkOf = async (c: Context<AppEnv>): Promise<OpenLink> => {
    const token = c.req.param('token') ?? '';
    if (!perLink(token.slice(-43)))
      throw new LinkRefused(
        429,
        'Too many requests',
        'This link was opened too often in a short time. Wait a minute and try again.',
      );
    try {
      return await c.var.services.actionLinks.open(token);
    } catch (err) {
      if (err instanceof LinkRefused && !refusedAll('refused'))
        throw new LinkRefused(
          429,
          'Too many requests',
          'Too many invalid links were tried. Wait a minute and try again.',
        );
      throw err;
    }
  };
  const now = (c: Context<AppEnv>) => c.var.services.deps.clock.now();

  pages.get('/:token', async (c) => {
    const link = await linkOf(c);
    switch (link.claims.kind) {
      case 'review': {
        const m = await loadReview(c.var.services, link, now(c), c.req.query('do'));
        return htmlPage(c, <ReviewPage m={m} />, m.state === 'revoked' ? 403 : 200);
      }
      case 'manual':
        return htmlPage(c, <ManualPage m={await loadManual(c.var.services, link)} />);
      case 'ack':
        return htmlPage(c, <AckPage m={await loadAck(c.var.services, link)} />);
      case 'answer':
        return htmlPage(c, <AnswerPage m={await loadAnswer(c.var.services, link)} />);
    }
  });

  pages.post('/:token', async (c) => {
    const link = await linkOf(c);
    const form = await c.req.parseBody();
    if (!(await c.var.services.actionLinks.formHolds(link, form.formToken))) {
      return refusal(
        c,
        403,
        'Not allowed',
        'This form must be sent from the page the link opened. Open the link again and use its buttons.',
      );
    }
    const s = c.var.services;
    const ws = link.claims.workspaceId;
    const id = link.claims.objectId;
    const again = () => c.redirect(`/a/${link.token}`, 303);
    switch (link.claims.kind) {
      case 'review': {
        const m = await loadReview(s, link, now(c));
        if (m.state === 'changed') return htmlPage(c, <ReviewPage m={m} />, 409);
        if (m.state === 'revoked') return htmlPage(c, <ReviewPage m={m} />, 403);
        if (m.state === 'done') return htmlPage(c, <ReviewPage m={m} />);
        const note = typeof form.note === 'string' ? form.note.trim().slice(0, 2000) : '';
        const actor = { keyId: link.actorId, voiceId: m.reviewer.id };
        // The version the link was sent for: an edit landing between the check above and the write is a 409, not an approval of unseen text.
        const decision = { voiceId: m.reviewer.id, expectedRev: link.claims.rev, ...(note ? { note } : {}) };
        try {
          if (form.decision === 'approve') await s.approvals.approve(ws, id, decision, actor);
          else if (form.decision === 'changes') {
            if (!note)
              return htmlPage(
                c,
                <ReviewPage
                  m={{ ...m, intent: 'changes' }}
                  error="Say what should change: the note goes to the author."
                />,
                422,
              );
            await s.approvals.reject(ws, id, decision, actor);
          } else return htmlPage(c, <ReviewPage m={m} error="Choose Approve or Request changes." />, 400);
        } catch (err) {
          // Changed under the form (edited, decided by someone else, its time passed): show the post as it now stands.
          if (err instanceof Conflict)
            return htmlPage(c, <ReviewPage m={await loadReview(s, link, now(c))} error={err.message} />, 409);
          throw err;
        }
        return again();
      }
      case 'manual': {
        const m = await loadManual(s, link);
        if (m.state === 'done') return htmlPage(c, <ManualPage m={m} />);
        const raw = typeof form.url === 'string' ? form.url.trim() : '';
        const url = z.safeParse(Url, raw);
        if (!url.success)
          return htmlPage(
            c,
            <ManualPage
              m={{ ...m, url: raw, error: 'Enter the full address of the published post, starting with https://' }}
            />,
            422,
          );
        await s.publisher.recordManual(
          ws,
          id,
          { url: url.data },
          { keyId: link.actorId, voiceId: link.claims.subject },
        );
        return again();
      }
      case 'ack': {
        const m = await loadAck(s, link);
        if (m.state === 'done') return htmlPage(c, <AckPage m={m} />);
        const { recipient } = await s.actionLinks.alertOf(link);
        await s.alerts.ack(ws, id, link.actorId, undefined, recipient);
        return again();
      }
      case 'answer': {
        const m = await loadAnswer(s, link);
        if (m.state === 'done') return htmlPage(c, <AnswerPage m={m} />);
        const text = typeof form.text === 'string' ? form.text.replace(/\r\n/g, '\n').trim() : '';
        if (!text) return htmlPage(c, <AnswerPage m={{ ...m, error: 'Write the answer first.' }} />, 422);
        // The link is the person's: the answer is theirs (their voice), entered through the link.
        await s.conversations.reply(ws, id, { text }, { keyId: link.actorId, voiceId: m.person.id });
        return again();
      }
    }
  });

  pages.all('*', (c) =>
    refusal(
      c,
      404,
      'Nothing to show',
      'This address is not a drumbeat link. Open the link from your email exactly as it came.',
    ),
  );
  return pages;
}
