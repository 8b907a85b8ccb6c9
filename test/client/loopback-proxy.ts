/**
 * A real HTTP proxy on 127.0.0.1 in front of a drumbeat server, for the
 * client's retry tests: it forwards each request, and a rule may swap the
 * answer for a failure (after forwarding, as when a response is lost, or
 * instead of forwarding, as an overloaded server would).
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One request the proxy saw. */
export interface Seen {
  method: string;
  path: string;
  headers: Record<string, string>;
}

/** What to do with a request: forward it, forward it and answer a failure instead, or only answer a failure. */
export type Rule = (
  req: Seen,
  index: number,
) => 'forward' | { status: number; headers?: Record<string, string>; forward: boolean | 'without-waiting' };

/** A running proxy. */
export interface LoopbackProxy {
  url: string;
  seen: Seen[];
  close(): Promise<void>;
}

async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const c of req) chunks.push(c as Buffer);
  return Buffer.concat(chunks);
}

/** Starts a proxy to `target` applying `rule` to each request. */
export async function startProxy(target: string, rule: Rule): Promise<LoopbackProxy> {
  const seen: Seen[] = [];
  const server = createServer(async (req: IncomingMessage, res: ServerResponse) => {
    const headers: Record<string, string> = {};
    for (const [k, v] of Object.entries(req.headers)) if (typeof v === 'string') headers[k] = v;
    const s: Seen = { method: req.method ?? 'GET', path: req.url ?? '/', headers };
    seen.push(s);
    const body = await readBody(req);
    const decision = rule(s, seen.length - 1);
    const forward = decision === 'forward' || decision.forward;
    let upstream: Response | undefined;
    if (forward) {
      const { host: _host, connection: _c, 'content-length': _l, ...rest } = headers;
      const sent = fetch(`${target}${s.path}`, { method: s.method, headers: rest, ...(body.length ? { body } : {}) });
      // A gateway that gives up while the server still works: the failure is answered at once.
      if (decision !== 'forward' && decision.forward === 'without-waiting')
        void sent.then((r) => r.arrayBuffer()).catch(() => undefined);
      else upstream = await sent;
    }
    if (decision !== 'forward') {
      await upstream?.arrayBuffer();
      res.writeHead(decision.status, { 'Content-Type': 'application/problem+json', ...(decision.headers ?? {}) });
      res.end(
        JSON.stringify({
          type: 'about:blank',
          title: 'Proxy failure',
          status: decision.status,
          detail: 'the proxy dropped the answer',
        }),
      );
      return;
    }
    const out: Record<string, string> = {};
    upstream!.headers.forEach((v, k) => {
      if (k !== 'content-length' && k !== 'transfer-encoding' && k !== 'connection') out[k] = v;
    });
    res.writeHead(upstream!.status, out);
    res.end(Buffer.from(await upstream!.arrayBuffer()));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    seen,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
