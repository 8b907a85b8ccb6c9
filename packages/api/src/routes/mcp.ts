import type { Hono } from 'hono';
import * as z from 'zod/mini';
import type { AppEnv } from '../env.js';
import { authenticate } from '../middleware/auth.js';
import { defineRoute } from '../openapi/route-def.js';
import { documentRoute } from '../openapi/route.js';
import { errorResponses, jsonBody, jsonResponse } from '../openapi/common.js';
import { appTokenKey } from '../pages/session.js';

const JsonRpc = z
  .looseObject({
    jsonrpc: z.literal('2.0'),
    method: z.optional(z.string()),
    id: z.optional(z.union([z.string(), z.number()])),
    params: z.optional(z.record(z.string(), z.unknown())),
  })
  .register(z.globalRegistry, {
    id: 'JsonRpcMessage',
    description:
      'A JSON-RPC 2.0 message of the Model Context Protocol (initialize, tools/list, tools/call, resources/read, prompts/get …)',
  });

const mcp = defineRoute({
  method: 'post',
  path: '/mcp',
  operationId: 'mcp',
  tags: ['MCP'],
  summary: 'Model Context Protocol server (Streamable HTTP, stateless, JSON answers)',
  description:
    "The API as MCP tools, resources and prompts for assistants (Claude, ChatGPT, Cursor, n8n). Same API keys (`Authorization: Bearer`), roles and tenancy as the REST API; a refusal is a tool error carrying the problem's detail. " +
    'The `Mcp-Session-Id` answered to `initialize` is a signed record of the client\'s name and version (no server state): every post planned or edited through MCP records it as `source: {kind: "mcp", client}`. GET (SSE stream) and DELETE answer 405.',
  security: [{ bearer: [] }],
  request: { body: jsonBody(JsonRpc) },
  responses: {
    200: jsonResponse(JsonRpc, 'The JSON-RPC response'),
    202: { description: 'A notification or response was accepted' },
    ...errorResponses,
  },
});

/** The package version the MCP server reports. */
const VERSION = '0.1.0';

/**
 * POST /mcp: the MCP server. Its SDK is imported on the first MCP request, so
 * the API's cold start (Lambda) does not load it. Each tool is an in-process
 * call of the REST route as the same key, marked with the MCP source.
 */
export function mcpRoutes(app: Hono<AppEnv>, root: Hono<AppEnv> = app): void {
  documentRoute(app, mcp);
  app.post('/mcp', authenticate, async (c) => {
    const [{ handleMcp }, { innerCall }, session] = await Promise.all([
      import('../mcp/mcp-server.js'),
      import('../mcp/internal-call.js'),
      import('../mcp/mcp-session.js'),
    ]);
    const principal = c.var.principal;
    const key = appTokenKey(c);
    const req = c.req.raw;
    const body = (await req
      .clone()
      .json()
      .catch(() => undefined)) as
      | { method?: string; params?: { clientInfo?: { name?: unknown; version?: unknown } } }
      | undefined;
    const client = session.readSession(key, principal.keyId, c.req.header('Mcp-Session-Id'));
    const call = innerCall((r, env) => root.fetch(r, env), c.req.header('Authorization')!, session.mcpSource(client));
    const res = await handleMcp(req, call, principal, VERSION);
    const info = body?.method === 'initialize' ? body.params?.clientInfo : undefined;
    if (info && typeof info.name === 'string' && res.ok) {
      const headers = new Headers(res.headers);
      headers.set(
        'Mcp-Session-Id',
        session.signSession(key, principal.keyId, {
          name: info.name,
          version: typeof info.version === 'string' ? info.version : '',
        }),
      );
      return new Response(res.body, { status: res.status, headers });
    }
    return res;
  });
  app.on(['GET', 'DELETE'], '/mcp', (c) => c.body(null, 405, { Allow: 'POST' }));
}
