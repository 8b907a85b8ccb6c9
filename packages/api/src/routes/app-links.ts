import type { Hono } from 'hono';
import * as z from 'zod/mini';
import { InstantOut, withMeta } from '@drumbeat/core';
import type { AppEnv } from '../env.js';
import { defineRoute } from '../openapi/route-def.js';
import { route } from '../openapi/route.js';
import { errorResponses, guarded, jsonResponse, optionalJsonBody } from '../openapi/common.js';
import { appTokenKey, LINK_SECONDS } from '../pages/session.js';
import { signToken } from '../pages/session-token.js';

const AppLinkCreate = z
  .strictObject({
    path: z
      .optional(
        z
          .string()
          .check(
            z.maxLength(512),
            z.regex(/^\/app(?:[/?][^\\\s]*)?$/, 'must be a path of the /app pages, e.g. /app/accounts/acc_…/calendar'),
          ),
      )
      .register(z.globalRegistry, {
        description: 'The page the link opens (default: /app, the accounts overview)',
        example: '/app/accounts/acc_01jd8x3k2m9q4r7s0t1v2w3x4y/calendar?view=month',
      }),
  })
  .register(z.globalRegistry, {
    id: 'AppLinkCreate',
    description: 'Which page a signed link opens',
    example: { path: '/app/accounts/acc_01jd8x3k2m9q4r7s0t1v2w3x4y/calendar' },
  });

const AppLink = z
  .object({
    url: withMeta(z.string(), {
      description:
        'Open it in a browser before it expires: it signs in as the calling key (its role, until it is revoked) for 12 hours',
    }),
    expiresAt: withMeta(InstantOut, { description: 'The link works until then (10 minutes)' }),
  })
  .register(z.globalRegistry, {
    id: 'AppLink',
    description: 'A short-lived signed link to the calendar pages',
    example: {
      url: 'http://127.0.0.1:8787/app/link?token=dbl.ws_….key_….1795437000.…&next=%2Fapp',
      expiresAt: '2026-11-23T10:10:00.000Z',
    },
  });

const create = defineRoute({
  method: 'post',
  path: '/v1/app-links',
  operationId: 'createAppLink',
  tags: ['App pages'],
  summary: 'A signed link (valid 10 minutes) that opens the calendar pages signed in as this key',
  description:
    'For tools that send a person to the calendar without asking for a key: the link signs the browser in as the calling key. It is a credential: hand it only to that person.',
  ...guarded('viewer'),
  request: { body: optionalJsonBody(AppLinkCreate) },
  responses: { 200: jsonResponse(AppLink, 'The link'), ...errorResponses },
});

/** POST /v1/app-links: short-lived signed links into the /app pages. */
export function appLinkRoutes(app: Hono<AppEnv>): void {
  route(app, create, async (c) => {
    const { workspaceId, keyId } = c.var.principal;
    const expiresAt = Math.floor(c.var.services.deps.clock.now().getTime() / 1000) + LINK_SECONDS;
    const token = signToken(appTokenKey(c), 'link', { workspaceId, keyId, expiresAt });
    const origin = c.var.config.publicUrl ?? new URL(c.req.url).origin;
    const next = c.req.valid('json').path ?? '/app';
    return c.json(
      {
        url: `${origin}/app/link?token=${token}&next=${encodeURIComponent(next)}`,
        expiresAt: new Date(expiresAt * 1000).toISOString(),
      },
      200,
    );
  });
}
