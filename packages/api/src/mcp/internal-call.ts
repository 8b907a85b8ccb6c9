import type { PostSource } from '@drumbeat/core';

/**
 * The key under which an MCP tool's inner request carries its source. A
 * Symbol: no outside request can set it, so only the MCP server can mark a
 * post as drafted with an assistant (and no MCP post can pass as `api`).
 */
export const INNER_SOURCE = Symbol('drumbeat.source');

/** The source of the request: what the MCP server set on its inner call, else the REST API. */
export function requestSource(env: unknown): PostSource {
  const s = (env as { [INNER_SOURCE]?: PostSource } | undefined)?.[INNER_SOURCE];
  return s ?? { kind: 'api' };
}

/** What a tool's inner REST call answered. */
/** A REST answer's JSON body, as the route wrote it (already validated there): tools read fields off it freely. */
// biome-ignore lint/suspicious/noExplicitAny: the body is the route's own validated JSON, read field by field
export type RestBody = any;

export interface InnerAnswer {
  ok: boolean;
  status: number;
  body: RestBody;
}

/** Calls the REST API in-process as the same key: the same validation, roles, tenancy and errors as any client. */
export type InnerCall = (
  method: string,
  path: string,
  opts?: { query?: Record<string, unknown>; body?: unknown },
) => Promise<InnerAnswer>;

/** An InnerCall over `fetch` (the Hono app's) with the caller's Authorization header and source. */
export function innerCall(
  fetch: (req: Request, env: unknown) => Response | Promise<Response>,
  authorization: string,
  source: PostSource,
): InnerCall {
  return async (method, path, opts = {}) => {
    const qs = new URLSearchParams();
    for (const [k, v] of Object.entries(opts.query ?? {})) if (v !== undefined && v !== null) qs.set(k, String(v));
    const url = `http://drumbeat.internal${path}${qs.size ? `?${qs}` : ''}`;
    const headers: Record<string, string> = { Authorization: authorization };
    if (opts.body !== undefined) headers['Content-Type'] = 'application/json';
    const res = await fetch(
      new Request(url, { method, headers, ...(opts.body !== undefined ? { body: JSON.stringify(opts.body) } : {}) }),
      { [INNER_SOURCE]: source },
    );
    const text = await res.text();
    let body: unknown = text;
    try {
      body = text ? JSON.parse(text) : undefined;
    } catch {
      /* keep the text */
    }
    return { ok: res.ok, status: res.status, body };
  };
}
