import type { Hono } from 'hono';
import * as z from 'zod/mini';
import {
  Instant,
  InstantOut,
  Page,
  Post,
  PostCreate,
  PostListQuery,
  PostPatch,
  toPost,
  Url,
  withMeta,
} from '@drumbeat/core';
import type { AppEnv } from '../env.js';
import { requestSource } from '../mcp/internal-call.js';
import { defineRoute } from '../openapi/route-def.js';
import { route } from '../openapi/route.js';
import { errorResponses, guarded, IdParams, jsonBody, jsonResponse, optionalJsonBody } from '../openapi/common.js';

const tags = ['Posts'];
const create = defineRoute({
  method: 'post',
  path: '/v1/accounts/{id}/posts',
  operationId: 'createPost',
  tags,
  summary: 'Plan a post at an explicit time or in the next free slot',
  description:
    'Give `at` (a future instant) or `slot: "next"`. Concurrent requests for the next slot never take the same one.',
  ...guarded('editor'),
  request: { params: IdParams, body: jsonBody(PostCreate) },
  responses: { 201: jsonResponse(Post, 'The post'), ...errorResponses },
});
const list = defineRoute({
  method: 'get',
  path: '/v1/accounts/{id}/posts',
  operationId: 'listPosts',
  tags,
  summary: "List an account's posts by scheduled time",
  ...guarded('viewer'),
  request: { params: IdParams, query: PostListQuery },
  responses: { 200: jsonResponse(Page(Post), 'A page of posts, oldest first'), ...errorResponses },
});
const get = defineRoute({
  method: 'get',
  path: '/v1/posts/{id}',
  operationId: 'getPost',
  tags,
  summary: 'Read a post',
  ...guarded('viewer'),
  request: { params: IdParams },
  responses: { 200: jsonResponse(Post, 'The post'), ...errorResponses },
});
const patch = defineRoute({
  method: 'patch',
  path: '/v1/posts/{id}',
  operationId: 'updatePost',
  tags,
  summary: 'Edit or reschedule a post before it is published (an edit resets approval)',
  ...guarded('editor'),
  request: { params: IdParams, body: jsonBody(PostPatch) },
  responses: { 200: jsonResponse(Post, 'The post'), ...errorResponses },
});
const cancel = defineRoute({
  method: 'delete',
  path: '/v1/posts/{id}',
  operationId: 'cancelPost',
  tags,
  summary: 'Cancel a post before it is published; its slot frees up',
  ...guarded('editor'),
  request: { params: IdParams },
  responses: { 200: jsonResponse(Post, 'The canceled post'), ...errorResponses },
});

const ManualPublished = z
  .strictObject({
    url: withMeta(z.optional(Url), { description: 'Where the post can be seen' }),
    publishedAt: withMeta(z.optional(Instant), { description: 'When it went out (default: now)' }),
  })
  .register(z.globalRegistry, { id: 'ManualPublished' });
const published = defineRoute({
  method: 'post',
  path: '/v1/posts/{id}/published',
  operationId: 'recordManualPublication',
  tags,
  summary: 'Record that a manual-channel post was published by a person (appends to the ledger)',
  ...guarded('editor'),
  request: { params: IdParams, body: optionalJsonBody(ManualPublished) },
  responses: { 200: jsonResponse(Post, 'The published post'), ...errorResponses },
});

const DecisionBody = z
  .strictObject({
    voiceId: withMeta(z.optional(z.string().check(z.minLength(1), z.maxLength(64))), {
      description:
        "The voice deciding (never the author). A personal key decides as its own voice: omit it, or give that same voice (another is refused with 403). A workspace key must name it, and may only where the account's approval.onBehalf is true",
    }),
    note: z.optional(z.string().check(z.maxLength(2000))),
  })
  .register(z.globalRegistry, { id: 'Decision' });
const approve = defineRoute({
  method: 'post',
  path: '/v1/posts/{id}/approve',
  operationId: 'approvePost',
  tags,
  summary: 'Approve a pending post (the author never can); it becomes scheduled',
  description:
    "Approves as the personal key's voice; a workspace key approves on behalf of `voiceId` only where the account allows it (`approval.onBehalf`). The approval records the voice and the key that entered it.",
  ...guarded('approver'),
  request: { params: IdParams, body: jsonBody(DecisionBody) },
  responses: { 200: jsonResponse(Post, 'The approved post'), ...errorResponses },
});
const reject = defineRoute({
  method: 'post',
  path: '/v1/posts/{id}/reject',
  operationId: 'rejectPost',
  tags,
  summary: 'Reject a pending post; it stays pending until edited',
  ...guarded('approver'),
  request: { params: IdParams, body: jsonBody(DecisionBody) },
  responses: { 200: jsonResponse(Post, 'The post with the rejection recorded'), ...errorResponses },
});

/** Post routes. */
export function postRoutes(app: Hono<AppEnv>): void {
  const ws = (c: { var: AppEnv['Variables'] }) => c.var.principal.workspaceId;
  const posts = (c: { var: AppEnv['Variables'] }) => c.var.services.posts;
  route(app, create, async (c) =>
    c.json(await posts(c).create(ws(c), c.req.valid('param').id, c.req.valid('json'), requestSource(c.env)), 201),
  );
  route(app, list, async (c) => c.json(await posts(c).list(ws(c), c.req.valid('param').id, c.req.valid('query')), 200));
  route(app, get, async (c) => c.json(await posts(c).get(ws(c), c.req.valid('param').id), 200));
  route(app, patch, async (c) =>
    c.json(
      await posts(c).update(ws(c), c.req.valid('param').id, c.req.valid('json'), {
        ...c.var.principal,
        source: requestSource(c.env),
      }),
      200,
    ),
  );
  route(app, cancel, async (c) => c.json(await posts(c).cancel(ws(c), c.req.valid('param').id), 200));
  route(app, approve, async (c) =>
    c.json(
      await c.var.services.approvals.approve(ws(c), c.req.valid('param').id, c.req.valid('json'), c.var.principal),
      200,
    ),
  );
  route(app, reject, async (c) =>
    c.json(
      await c.var.services.approvals.reject(ws(c), c.req.valid('param').id, c.req.valid('json'), c.var.principal),
      200,
    ),
  );
  route(app, published, async (c) => {
    const post = await c.var.services.publisher.recordManual(
      ws(c),
      c.req.valid('param').id,
      c.req.valid('json'),
      c.var.principal,
    );
    const account = await c.var.services.accounts.record(ws(c), post.accountId);
    return c.json(toPost(post, account.timezone), 200);
  });
}

const ReviewLinkCreate = z
  .strictObject({
    voiceId: withMeta(z.string().check(z.minLength(1), z.maxLength(64)), {
      description: "The approver the link is for: one of the account's approvers, never the author or last editor",
    }),
  })
  .register(z.globalRegistry, {
    id: 'ReviewLinkCreate',
    description: 'Whose review link to make',
    example: { voiceId: 'vce_01jd8x3k2m9q4r7s0t1v2w3x4z' },
  });
const ReviewLink = z
  .object({
    url: withMeta(z.string(), {
      description:
        "The review page of the post for that approver: opening it changes nothing; its form approves or requests changes in the approver's voice. A credential: hand it only to that person",
    }),
    expiresAt: withMeta(InstantOut, { description: "The link works until then: the post's time, at most 7 days" }),
  })
  .register(z.globalRegistry, {
    id: 'ReviewLink',
    description: 'A signed review link for one approver and this version of the post',
    example: {
      url: 'http://127.0.0.1:8787/a/r.ws_….pst_….vce_….Hq3….1795437000.1.…',
      expiresAt: '2026-11-25T08:30:00.000Z',
    },
  });
const reviewLinks = defineRoute({
  method: 'post',
  path: '/v1/posts/{id}/review-links',
  operationId: 'createReviewLink',
  tags,
  summary: 'The review link of a pending post for a named approver, to send through your own tool',
  description:
    'An edit of the post makes the link show the new version instead of approving it; the workspace secret that signs links rolls over weekly.',
  ...guarded('editor'),
  request: { params: IdParams, body: jsonBody(ReviewLinkCreate) },
  responses: { 200: jsonResponse(ReviewLink, 'The link'), ...errorResponses },
});

/** POST /v1/posts/{id}/review-links: a review link for agencies that send it themselves. */
export function reviewLinkRoutes(app: Hono<AppEnv>): void {
  route(app, reviewLinks, async (c) =>
    c.json(
      await c.var.services.actionLinks.reviewLink(
        c.var.principal.workspaceId,
        c.req.valid('param').id,
        c.req.valid('json').voiceId,
      ),
      200,
    ),
  );
}
