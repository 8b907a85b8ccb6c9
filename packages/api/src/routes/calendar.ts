import type { Context, Hono } from 'hono';
import * as z from 'zod/mini';
import { Calendar, CalendarQuery, withMeta } from '@drumbeat/core';
import { sha256Hex } from '@drumbeat/services';
import type { AppEnv } from '../env.js';
import { defineRoute } from '../openapi/route-def.js';
import { route } from '../openapi/route.js';
import { errorResponses, guarded, PUBLIC, IdParams, jsonResponse, textResponse } from '../openapi/common.js';

const tags = ['Calendar'];
const FeedUrl = z
  .object({ url: withMeta(z.string(), { description: 'Subscribe to this URL in a calendar app; it needs no key' }) })
  .register(z.globalRegistry, { id: 'FeedUrl' });

const calendar = defineRoute({
  method: 'get',
  path: '/v1/accounts/{id}/calendar',
  operationId: 'getCalendar',
  tags,
  summary: 'Slots (filled or empty), posts, gaps and lapses of a window, in UTC and local time',
  ...guarded('viewer'),
  request: { params: IdParams, query: CalendarQuery },
  responses: { 200: jsonResponse(Calendar, 'The calendar'), ...errorResponses },
});
const calendarIcs = defineRoute({
  method: 'get',
  path: '/v1/accounts/{id}/calendar.ics',
  operationId: 'getCalendarIcs',
  tags,
  summary:
    'The calendar as iCalendar (RFC 5545): one event per post, tentative events for empty slots; without `to`, every post planned ahead too',
  ...guarded('viewer'),
  request: { params: IdParams, query: CalendarQuery },
  responses: { 200: textResponse('text/calendar', 'iCalendar'), ...errorResponses },
});
const feed = defineRoute({
  method: 'get',
  path: '/v1/accounts/{id}/feed',
  operationId: 'getCalendarFeed',
  tags,
  summary: 'The secret calendar feed URL of an account',
  ...guarded('viewer'),
  request: { params: IdParams },
  responses: { 200: jsonResponse(FeedUrl, 'The feed URL'), ...errorResponses },
});
const rotate = defineRoute({
  method: 'post',
  path: '/v1/accounts/{id}/feed/rotate',
  operationId: 'rotateCalendarFeed',
  tags,
  summary: 'Replace the feed URL; the old one stops working',
  ...guarded('owner'),
  request: { params: IdParams },
  responses: { 200: jsonResponse(FeedUrl, 'The new feed URL'), ...errorResponses },
});
const publicFeed = defineRoute({
  method: 'get',
  path: '/feeds/{file}',
  operationId: 'getCalendarFeedByToken',
  tags,
  summary: 'A calendar feed by its secret URL (no key): /feeds/{token}.ics',
  ...PUBLIC,
  request: { params: z.object({ file: z.string().check(z.maxLength(200)) }) },
  responses: {
    200: textResponse('text/calendar', 'iCalendar'),
    304: { description: 'Not modified' },
    404: errorResponses[404],
  },
});

const FEED_PAST_DAYS = 30;
const FEED_FUTURE_DAYS = 62;

function origin(c: Context<AppEnv>): string {
  return c.var.config.publicUrl ?? new URL(c.req.url).origin;
}

/** An iCalendar answer; `allAhead` adds every post planned after the window (an export or feed without an end). */
async function icsResponse(
  c: Context<AppEnv>,
  ws: string,
  accountId: string,
  q: { from?: string; to?: string },
  cache: string,
  allAhead: boolean,
) {
  const {
    account,
    calendar: cal,
    voices,
    changedAt,
  } = await c.var.services.calendar.withVoices(ws, accountId, q, { allAhead });
  // Loaded on first use, off the Lambda cold start (infra/README.md, Bundles).
  const { renderIcs } = await import('../ics.js');
  const body = renderIcs(account, cal, voices, changedAt);
  const etag = `"${sha256Hex(body).slice(0, 32)}"`;
  c.header('Cache-Control', cache);
  c.header('ETag', etag);
  if (c.req.header('If-None-Match') === etag) return c.body(null, 304);
  return c.body(body, 200, { 'Content-Type': 'text/calendar; charset=utf-8' });
}

/** Calendar view, iCalendar export and secret feeds. */
export function calendarRoutes(app: Hono<AppEnv>): void {
  const ws = (c: { var: AppEnv['Variables'] }) => c.var.principal.workspaceId;
  route(app, calendar, async (c) =>
    c.json(await c.var.services.calendar.calendar(ws(c), c.req.valid('param').id, c.req.valid('query')), 200),
  );
  route(app, calendarIcs, (c) =>
    icsResponse(
      c,
      ws(c),
      c.req.valid('param').id,
      c.req.valid('query'),
      'private, no-cache',
      c.req.valid('query').to === undefined,
    ),
  );
  route(app, feed, async (c) =>
    c.json(
      { url: `${origin(c)}/feeds/${await c.var.services.feeds.current(ws(c), c.req.valid('param').id)}.ics` },
      200,
    ),
  );
  route(app, rotate, async (c) =>
    c.json({ url: `${origin(c)}/feeds/${await c.var.services.feeds.rotate(ws(c), c.req.valid('param').id)}.ics` }, 200),
  );
  route(app, publicFeed, async (c) => {
    const file = c.req.valid('param').file;
    const account = await c.var.services.feeds.resolve(file.endsWith('.ics') ? file.slice(0, -4) : '');
    const now = c.var.services.deps.clock.now().getTime();
    const window = {
      from: new Date(now - FEED_PAST_DAYS * 86_400_000).toISOString(),
      to: new Date(now + FEED_FUTURE_DAYS * 86_400_000).toISOString(),
    };
    // The secret in the path makes each feed its own cache key: an edge may keep it for five minutes.
    return icsResponse(c, account.workspaceId, account.id, window, 'public, max-age=300', true);
  });
}
