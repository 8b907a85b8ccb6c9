import type { RestBody } from './internal-call.js';
import * as z from 'zod/mini';
import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import {
  AlertListQuery,
  CalendarQuery,
  ConversationListQuery,
  ConversationReply,
  Id,
  PostCreate,
  PostPatch,
  roleAllows,
  type Role,
} from '@drumbeat/core';
import type { InnerAnswer, InnerCall } from './internal-call.js';

/** Who is calling: the key's role and, for a personal key, its person. */
export interface McpCaller {
  role: Role;
  voiceId?: string | undefined;
}

/** A tool's answer: the REST answer as structured content plus a short text, or the problem's detail as a tool error. */
export function toolResult(a: InnerAnswer, summary: (body: RestBody) => string): CallToolResult {
  if (!a.ok) {
    const p = a.body ?? {};
    const fields =
      Array.isArray(p.errors) && p.errors.length
        ? ` (${p.errors.map((e: RestBody) => `${e.path}: ${e.message}`).join('; ')})`
        : '';
    return {
      isError: true,
      content: [{ type: 'text', text: `${p.detail ?? p.title ?? `HTTP ${a.status}`}${fields}` }],
      structuredContent: typeof p === 'object' ? p : { status: a.status },
    };
  }
  const body = Array.isArray(a.body) ? { items: a.body } : a.body;
  return { content: [{ type: 'text', text: summary(body) }], structuredContent: body };
}

const accountId = Id('account');
const postId = Id('post');
const conversationId = Id('conversation');

/** Registers the tools: each is one REST call (or a few reads) made as the caller's key. */
export function registerTools(server: McpServer, call: InnerCall, caller: McpCaller): void {
  server.registerTool(
    'list_accounts',
    {
      description: 'The accounts of the workspace with their health: open alerts by kind ("ok" when none)',
      inputSchema: z.object({}),
      annotations: { readOnlyHint: true },
    },
    async () => {
      const accounts = await call('GET', '/v1/accounts', { query: { limit: 200 } });
      if (!accounts.ok) return toolResult(accounts, () => '');
      const alerts = await call('GET', '/v1/alerts', { query: { status: 'open', limit: 200 } });
      const open = alerts.ok ? (alerts.body.items as RestBody[]) : [];
      const items = (accounts.body.items as RestBody[]).map((a) => {
        const mine = open.filter((al) => al.accountId === a.id).map((al) => al.kind as string);
        return {
          id: a.id,
          name: a.name,
          network: a.network,
          handle: a.handle,
          timezone: a.timezone,
          health: mine.length ? 'attention' : 'ok',
          openAlerts: mine,
        };
      });
      return toolResult(
        { ok: true, status: 200, body: { items } },
        () =>
          items
            .map(
              (a) =>
                `${a.handle} (${a.network}, ${a.id}): ${a.health}${a.openAlerts.length ? ` — ${a.openAlerts.join(', ')}` : ''}`,
            )
            .join('\n') || 'No accounts.',
      );
    },
  );
  server.registerTool(
    'list_voices',
    {
      description: 'The voices (people and teams who write) of the workspace, to name the author of a post',
      inputSchema: z.object({}),
      annotations: { readOnlyHint: true },
    },
    async () =>
      toolResult(
        await call('GET', '/v1/voices', { query: { limit: 200 } }),
        (b) =>
          (b.items as RestBody[])
            .map((v) => `${v.name} (${v.affiliation}${v.organization ? `, ${v.organization}` : ''}): ${v.id}`)
            .join('\n') || 'No voices.',
      ),
  );
  server.registerTool(
    'get_calendar',
    {
      description:
        "An account's calendar for a window: slots (filled or empty), posts, gaps and lapses, in UTC and local time",
      inputSchema: z.extend(CalendarQuery, { accountId }),
      annotations: { readOnlyHint: true },
    },
    async ({ accountId: id, ...q }) =>
      toolResult(await call('GET', `/v1/accounts/${id}/calendar`, { query: q }), (c) => {
        const empty = (c.slots as RestBody[]).filter((s) => s.postId === null);
        return `${c.slots.length} slots from ${c.from} to ${c.to} (${c.timezone}): ${empty.length} empty${
          empty.length
            ? ` (${empty
                .slice(0, 10)
                .map((s) => s.local)
                .join(', ')}${empty.length > 10 ? ', …' : ''})`
            : ''
        }; ${c.posts.length} posts; ${(c.lapses ?? []).length} lapses`;
      }),
  );
  server.registerTool(
    'plan_post',
    {
      description:
        'Plan a post on an account, written as a named voice (voiceId), in the next free slot (slot: "next") or at an instant (at). It is recorded as drafted with an assistant.',
      inputSchema: z.object({ accountId, post: PostCreate }),
    },
    async ({ accountId: id, post }) =>
      toolResult(
        await call('POST', `/v1/accounts/${id}/posts`, { body: post }),
        (p) => `Planned ${p.id} for ${p.scheduledLocal} (${p.status}).`,
      ),
  );
  server.registerTool(
    'edit_post',
    {
      description: 'Edit the text or media of a post before it is published (an edit starts a new approval round)',
      inputSchema: z.object({ postId, patch: PostPatch }),
    },
    async ({ postId: id, patch }) =>
      toolResult(
        await call('PATCH', `/v1/posts/${id}`, { body: patch }),
        (p) => `Edited ${p.id}: ${p.status}, due ${p.scheduledLocal}.${p.warnings ? ` ${p.warnings.join(' ')}` : ''}`,
      ),
  );
  server.registerTool(
    'reschedule_post',
    {
      description: 'Move a post to an instant (at) or to the next free slot (slot: "next")',
      inputSchema: z.object({ postId, at: PostPatch.shape.at, slot: PostPatch.shape.slot }),
    },
    async ({ postId: id, at, slot }) =>
      toolResult(
        await call('PATCH', `/v1/posts/${id}`, { body: { at, slot } }),
        (p) => `Rescheduled ${p.id} to ${p.scheduledLocal}.`,
      ),
  );
  server.registerTool(
    'cancel_post',
    {
      description: 'Cancel a post before it is published; its slot frees up',
      inputSchema: z.object({ postId }),
      annotations: { destructiveHint: true },
    },
    async ({ postId: id }) => toolResult(await call('DELETE', `/v1/posts/${id}`), (p) => `Canceled ${p.id}.`),
  );
  server.registerTool(
    'list_open_questions',
    {
      description:
        'The inbox of an account: mentions, replies and questions that await an answer (open), oldest first; filter by assignee, or overdue only',
      inputSchema: z.object({
        accountId,
        assignee: ConversationListQuery.shape.assignee,
        overdue: z.optional(z.boolean()),
      }),
      annotations: { readOnlyHint: true },
    },
    async ({ accountId: id, assignee, overdue }) =>
      toolResult(
        await call('GET', `/v1/accounts/${id}/conversations`, {
          query: {
            status: 'open',
            limit: 200,
            ...(assignee ? { assignee } : {}),
            ...(overdue === undefined ? {} : { overdue: String(overdue) }),
          },
        }),
        (b) => {
          const items = (b.items ?? []) as RestBody[];
          if (!items.length) return 'No open question.';
          return `${items.length} open: ${items
            .map((i) => `${i.id} from ${i.author?.handle}${i.dueAt ? ` (due ${i.dueAt})` : ''}`)
            .join('; ')}`;
        },
      ),
  );
  server.registerTool(
    'draft_answer',
    {
      description:
        'Draft the answer to an open question, in the name of the voice who answers (voiceId). It is recorded as drafted with an assistant and is never published as is: it waits for a person’s approval, as a post does.',
      inputSchema: z.object({ conversationId, answer: ConversationReply }),
    },
    async ({ conversationId: id, answer }) =>
      toolResult(
        await call('POST', `/v1/conversations/${id}/reply`, { body: answer }),
        (c) => `Drafted answer ${c.answerPostId} to ${c.id}: it awaits approval before it goes out.`,
      ),
  );
  server.registerTool(
    'list_pending_approvals',
    {
      description: 'Posts waiting for approval, of one account or all',
      inputSchema: z.object({ accountId: z.optional(accountId) }),
      annotations: { readOnlyHint: true },
    },
    async ({ accountId: only }) => {
      const ids = only
        ? [only]
        : (((await call('GET', '/v1/accounts', { query: { limit: 200 } })).body?.items ?? []) as RestBody[]).map(
            (a) => a.id as string,
          );
      const items: RestBody[] = [];
      for (const id of ids) {
        const page = await call('GET', `/v1/accounts/${id}/posts`, {
          query: { status: 'pending_approval', limit: 200 },
        });
        if (!page.ok) return toolResult(page, () => '');
        items.push(...page.body.items);
      }
      return toolResult({ ok: true, status: 200, body: { items } }, () =>
        items.length
          ? items.map((p) => `${p.id} due ${p.scheduledLocal}: ${String(p.text).slice(0, 60)}`).join('\n')
          : 'Nothing waits for approval.',
      );
    },
  );
  server.registerTool(
    'list_alerts',
    {
      description: 'Open and resolved alerts, newest first',
      inputSchema: AlertListQuery,
      annotations: { readOnlyHint: true },
    },
    async (q) =>
      toolResult(
        await call('GET', '/v1/alerts', { query: q }),
        (b) =>
          (b.items as RestBody[])
            .map(
              (a) =>
                `${a.id} ${a.kind} on ${a.accountId}${a.resolvedAt ? ' (resolved)' : a.ackedAt ? ' (acknowledged)' : ''}`,
            )
            .join('\n') || 'No alerts.',
      ),
  );
  server.registerTool(
    'acknowledge_alert',
    {
      description: 'Acknowledge an alert: someone is on it (it stays open until its problem clears)',
      inputSchema: z.object({ alertId: Id('alert') }),
    },
    async ({ alertId }) => toolResult(await call('POST', `/v1/alerts/${alertId}/ack`), (a) => `Acknowledged ${a.id}.`),
  );
  server.registerTool(
    'get_stats',
    {
      description:
        "An account's publishing health: posts per week, longest gap, slot streak, time to approval, open alerts",
      inputSchema: z.object({ accountId }),
      annotations: { readOnlyHint: true },
    },
    async ({ accountId: id }) => toolResult(await call('GET', `/v1/accounts/${id}/stats`), () => `Stats of ${id}.`),
  );
  server.registerTool(
    'verify_ledger',
    {
      description: "Recompute the workspace's attribution hash chain and name the first broken entry",
      inputSchema: z.object({}),
      annotations: { readOnlyHint: true },
    },
    async () =>
      toolResult(await call('GET', '/v1/attribution/verify'), (v) =>
        v.ok
          ? `The ledger holds: ${v.entries} entries.`
          : `Broken at entry ${v.firstBroken?.seq}: ${v.firstBroken?.reason}`,
      ),
  );
  // An assistant never approves on someone's behalf: only a person's own approver key gets this tool.
  if (caller.voiceId && roleAllows(caller.role, 'approver')) {
    server.registerTool(
      'approve_post',
      {
        description: `Approve a pending post as the key's own person (${caller.voiceId}); the account's approvers list still applies`,
        inputSchema: z.object({ postId, note: z.optional(z.string().check(z.maxLength(2000))) }),
      },
      async ({ postId: id, note }) =>
        toolResult(
          await call('POST', `/v1/posts/${id}/approve`, { body: note ? { note } : {} }),
          (p) => `Approved ${p.id}: ${p.status}.`,
        ),
    );
  }
}
