import type { AddressInfo } from 'node:net';
import { serve, type ServerType } from '@hono/node-server';

/** The runtime's HTTP listener, bound before the app exists so links can name the real port. */
export interface HttpFront {
  url: string;
  /** Routes requests to `fetch` from now on (503 until then). */
  serve(fetch: (req: Request) => Response | Promise<Response>): void;
  /** Stops accepting, lets requests under way finish (at most `graceMs`), then drops what is left. */
  close(graceMs: number): Promise<void>;
}

/** Binds `host:port` (0 picks a free port) and answers 503 until `serve()` is called. */
export async function startHttpFront(
  host: string,
  port: number,
  opts: { requestTimeoutMs?: number } = {},
): Promise<HttpFront> {
  let handle: (req: Request) => Response | Promise<Response> = () => new Response('starting', { status: 503 });
  // Requests being handled, so close() lets them finish before the store closes under them.
  const inFlight = new Set<Promise<Response>>();
  const track = (req: Request) => {
    const p = Promise.resolve(handle(req));
    inFlight.add(p);
    p.finally(() => inFlight.delete(p)).catch(() => undefined);
    return p;
  };
  const server: ServerType = await new Promise((resolve) => {
    // A request (headers and body) not received within requestTimeoutMs is cut with a 408, checked every second (Node's defaults: 300 s, checked every 30 s).
    const t = opts.requestTimeoutMs;
    const serverOptions = t ? { requestTimeout: t, headersTimeout: t, connectionsCheckingInterval: 1_000 } : undefined;
    const s = serve({ fetch: track, port, hostname: host, ...(serverOptions ? { serverOptions } : {}) }, () =>
      resolve(s),
    );
  });
  const bound = (server.address() as AddressInfo).port;
  const conns = server as { closeIdleConnections?: () => void; closeAllConnections?: () => void };
  return {
    url: `http://${host === '0.0.0.0' ? '127.0.0.1' : host}:${bound}`,
    serve(fetch) {
      handle = fetch;
    },
    async close(graceMs) {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      conns.closeIdleConnections?.();
      // A kept-alive connection may bring one more request while others finish: wait until none is left.
      const deadline = Date.now() + graceMs;
      while (inFlight.size > 0 && Date.now() < deadline) {
        let timer: NodeJS.Timeout | undefined;
        await Promise.race([
          Promise.allSettled([...inFlight]),
          new Promise((r) => (timer = setTimeout(r, deadline - Date.now()))),
        ]);
        clearTimeout(timer);
        conns.closeIdleConnections?.();
      }
      conns.closeAllConnections?.();
      await closed;
    },
  };
}
