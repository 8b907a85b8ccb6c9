import type { RestBody } from './internal-call.js';
import { McpServer, ResourceTemplate } from '@modelcontextprotocol/sdk/server/mcp.js';
import { WebStandardStreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/webStandardStreamableHttp.js';
import * as z from 'zod/mini';
import type { InnerCall } from './internal-call.js';
import { registerTools, type McpCaller } from './mcp-tools.js';

/** The drumbeat MCP server for one request, acting as one key through `call`. */
export function buildServer(call: InnerCall, caller: McpCaller, version: string): McpServer {
  const server = new McpServer(
    { name: 'drumbeat', version },
    {
      instructions:
        'drumbeat keeps social accounts on a sustained cadence. Plan posts into empty slots as a named voice (list_voices); every post planned here is disclosed as drafted with an assistant.',
    },
  );
  registerTools(server, call, caller);
  server.registerResource(
    'calendar',
    new ResourceTemplate('drumbeat://accounts/{accountId}/calendar', {
      list: async () => {
        const page = await call('GET', '/v1/accounts', { query: { limit: 200 } });
        const items = (page.ok ? page.body.items : []) as RestBody[];
        return {
          resources: items.map((a) => ({
            uri: `drumbeat://accounts/${a.id}/calendar`,
            name: `${a.handle} calendar`,
            mimeType: 'application/json',
          })),
        };
      },
    }),
    {
      description: "An account's calendar for its lookahead: slots, posts, gaps and lapses",
      mimeType: 'application/json',
    },
    async (uri, { accountId }) => {
      const c = await call('GET', `/v1/accounts/${String(accountId)}/calendar`);
      if (!c.ok) throw new Error(c.body?.detail ?? `HTTP ${c.status}`);
      return { contents: [{ uri: uri.href, mimeType: 'application/json', text: JSON.stringify(c.body) }] };
    },
  );
  server.registerPrompt(
    'plan_empty_slots',
    {
      description: 'Plan the empty slots of next week',
      argsSchema: { account: z.string(), ideas: z.optional(z.string()), voice: z.optional(z.string()) },
    },
    ({ account, ideas, voice }) => ({
      messages: [
        {
          role: 'user',
          content: {
            type: 'text',
            text:
              `Fill the empty slots of next week on ${account}. Read its calendar with get_calendar (from next Monday 00:00 to the Monday after, in the account's time zone), ` +
              `then plan one post per empty slot with plan_post (slot: "next" or the slot's instant)${voice ? `, written as ${voice} (find the voice id with list_voices)` : ''}.` +
              (ideas ? ` Ideas: ${ideas}` : '') +
              ' Say which posts wait for approval.',
          },
        },
      ],
    }),
  );
  server.registerPrompt('attention_today', { description: 'What needs attention today' }, () => ({
    messages: [
      {
        role: 'user',
        content: {
          type: 'text',
          text: 'What needs attention today on drumbeat? Use list_accounts (health), list_alerts (status: open), list_pending_approvals, and get_calendar for empty slots in the next 24 hours. List what to do first.',
        },
      },
    ],
  }));
  return server;
}

/** Answers one MCP request statelessly (a new server and transport per request; JSON answers, no SSE stream to keep). */
export async function handleMcp(req: Request, call: InnerCall, caller: McpCaller, version: string): Promise<Response> {
  const server = buildServer(call, caller, version);
  const transport = new WebStandardStreamableHTTPServerTransport({
    sessionIdGenerator: undefined,
    enableJsonResponse: true,
  });
  await server.connect(transport);
  try {
    return await transport.handleRequest(req);
  } finally {
    void server.close();
  }
}
