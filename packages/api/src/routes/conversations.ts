import { requestSource } from '../mcp/internal-call.js';
import type { Hono } from 'hono';
import {
  Conversation,
  ConversationAssign,
  ConversationDismiss,
  ConversationIngest,
  ConversationIngestResult,
  ConversationListQuery,
  ConversationReply,
  ConversationReport,
  ConversationReportQuery,
  ingestItems,
  Page,
} from '@drumbeat/core';
import type { AppEnv } from '../env.js';
import { defineRoute } from '../openapi/route-def.js';
import { route } from '../openapi/route.js';
import { errorResponses, guarded, IdParams, jsonBody, jsonResponse } from '../openapi/common.js';

const tags = ['Conversations'];

const ingest = defineRoute({
  method: 'post',
  path: '/v1/accounts/{id}/conversations',
  operationId: 'ingestConversations',
  tags,
  summary: "Add inbound items (mentions, replies, questions) to an account's inbox",
  description:
    'One item, or `{items: [...]}` (up to 500). Idempotent by `externalId` within the account: an item sent again is left as it is. New items get their response deadline and are routed by the account’s rules.',
  ...guarded('editor'),
  request: { params: IdParams, body: jsonBody(ConversationIngest) },
  responses: { 200: jsonResponse(ConversationIngestResult, 'What was added'), ...errorResponses },
});
const list = defineRoute({
  method: 'get',
  path: '/v1/accounts/{id}/conversations',
  operationId: 'listConversations',
  tags,
  summary: "List an account's inbox, oldest first (the longest waiting on top)",
  description:
    'Filter by `status`, `assignee` (a voice) and `overdue=true` (open items past their deadline). A filtered page is filled: it is empty only at the end.',
  ...guarded('viewer'),
  request: { params: IdParams, query: ConversationListQuery },
  responses: { 200: jsonResponse(Page(Conversation), 'A page of conversations'), ...errorResponses },
});
const report = defineRoute({
  method: 'get',
  path: '/v1/accounts/{id}/conversations/report',
  operationId: 'getConversationReport',
  tags,
  summary:
    'How fast an account answers: volume per week, first-response time, share within the SLA, who answered, the longest waits',
  description:
    'Over the items received in [`from`, `to`) (default: the last 90 days; at most 366 days). Weeks are ISO weeks in the account time zone; waits count only the opening hours when the account sets `responses.hours`, as its deadlines do.',
  ...guarded('viewer'),
  request: { params: IdParams, query: ConversationReportQuery },
  responses: { 200: jsonResponse(ConversationReport, 'The report'), ...errorResponses },
});
const get = defineRoute({
  method: 'get',
  path: '/v1/conversations/{id}',
  operationId: 'getConversation',
  tags,
  summary: 'Read a conversation',
  ...guarded('viewer'),
  request: { params: IdParams },
  responses: { 200: jsonResponse(Conversation, 'The conversation'), ...errorResponses },
});
const assign = defineRoute({
  method: 'post',
  path: '/v1/conversations/{id}/assign',
  operationId: 'assignConversation',
  tags,
  summary: 'Ask a voice to answer: they are emailed the question, its thread and a link to answer it',
  ...guarded('editor'),
  request: { params: IdParams, body: jsonBody(ConversationAssign) },
  responses: { 200: jsonResponse(Conversation, 'The conversation'), ...errorResponses },
});
const dismiss = defineRoute({
  method: 'post',
  path: '/v1/conversations/{id}/dismiss',
  operationId: 'dismissConversation',
  tags,
  summary: 'Close an item that needs no answer, with the reason',
  ...guarded('editor'),
  request: { params: IdParams, body: jsonBody(ConversationDismiss) },
  responses: { 200: jsonResponse(Conversation, 'The dismissed conversation'), ...errorResponses },
});
const reply = defineRoute({
  method: 'post',
  path: '/v1/conversations/{id}/reply',
  operationId: 'replyToConversation',
  tags,
  summary: 'Answer an item: published once as a reply in its thread, in the voice’s name, and recorded in the ledger',
  description:
    'The answer is a post of the account whose id derives from the conversation’s and the attempt number, so a call repeated while an answer is on its way (awaiting approval, scheduled, publishing) or out is a 409. An answer whose publication failed for good (or was missed awaiting approval) puts the item back to open, on the response-deadline list, and a new call is a new attempt (a new post id; the first attempt keeps the id `pst_` + the conversation id’s suffix), at most 20. Signed per the account’s disclosure; where the account requires approval of answers it waits for one, then goes out at once.',
  ...guarded('editor'),
  request: { params: IdParams, body: jsonBody(ConversationReply) },
  responses: {
    200: jsonResponse(Conversation, 'The conversation (answered once the reply is out)'),
    ...errorResponses,
  },
});

/** Inbox routes (issue 18). */
export function conversationRoutes(app: Hono<AppEnv>): void {
  const ws = (c: { var: AppEnv['Variables'] }) => c.var.principal.workspaceId;
  const inbox = (c: { var: AppEnv['Variables'] }) => c.var.services.conversations;
  route(app, ingest, async (c) =>
    c.json(await inbox(c).ingestItems(ws(c), c.req.valid('param').id, ingestItems(c.req.valid('json'))), 200),
  );
  route(app, list, async (c) => c.json(await inbox(c).list(ws(c), c.req.valid('param').id, c.req.valid('query')), 200));
  route(app, report, async (c) =>
    c.json(await inbox(c).report(ws(c), c.req.valid('param').id, c.req.valid('query')), 200),
  );
  route(app, get, async (c) => c.json(await inbox(c).get(ws(c), c.req.valid('param').id), 200));
  route(app, assign, async (c) =>
    c.json(await inbox(c).assign(ws(c), c.req.valid('param').id, c.req.valid('json'), c.var.principal), 200),
  );
  route(app, dismiss, async (c) =>
    c.json(await inbox(c).dismiss(ws(c), c.req.valid('param').id, c.req.valid('json').reason), 200),
  );
  route(app, reply, async (c) =>
    c.json(
      await inbox(c).reply(ws(c), c.req.valid('param').id, c.req.valid('json'), {
        ...c.var.principal,
        source: requestSource(c.env),
      }),
      200,
    ),
  );
}
