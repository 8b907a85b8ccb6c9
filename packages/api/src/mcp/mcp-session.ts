import { createHmac, timingSafeEqual } from 'node:crypto';

/** The MCP client as its handshake named it. */
export interface McpClientInfo {
  name: string;
  version: string;
}

const mac = (key: Buffer, body: string) => createHmac('sha256', key).update(`mcp|${body}`).digest('base64url');

/**
 * The session id drumbeat gives an MCP client at `initialize`: the client's
 * name and version and the key it connected with, signed. The server keeps no
 * session (any container answers any request): the client sends the id back
 * on every request, and the id alone says which assistant drafts the posts.
 */
export function signSession(key: Buffer, keyId: string, client: McpClientInfo): string {
  const body = Buffer.from(
    JSON.stringify({ k: keyId, n: client.name.slice(0, 100), v: client.version.slice(0, 40) }),
  ).toString('base64url');
  return `dbm.${body}.${mac(key, body)}`;
}

/** The client named by a session id that this server signed for this same API key; null otherwise. */
export function readSession(key: Buffer, keyId: string, id: string | undefined): McpClientInfo | null {
  const parts = (id ?? '').split('.');
  if (parts.length !== 3 || parts[0] !== 'dbm') return null;
  const expected = Buffer.from(mac(key, parts[1]!));
  const given = Buffer.from(parts[2]!);
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return null;
  try {
    const claims = JSON.parse(Buffer.from(parts[1]!, 'base64url').toString('utf8')) as {
      k?: unknown;
      n?: unknown;
      v?: unknown;
    };
    if (claims.k !== keyId || typeof claims.n !== 'string' || typeof claims.v !== 'string') return null;
    return { name: claims.n, version: claims.v };
  } catch {
    return null;
  }
}

/** The source of a post drafted through MCP: `{kind: "mcp", client: "<name> <version>"}`. */
export function mcpSource(client: McpClientInfo | null): { kind: 'mcp'; client?: string } {
  return client ? { kind: 'mcp', client: `${client.name} ${client.version}`.trim() } : { kind: 'mcp' };
}
