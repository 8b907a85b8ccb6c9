/**
 * A small HTTP proxy on 127.0.0.1 in front of a real server, to stage the
 * faults a network shows: an outage (nothing listens: connection refused) and
 * a lost answer (the request reaches the server, which acts on it, and the
 * answer never comes back: the connection is cut). Records the paths it saw.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface FaultProxy {
  url: string;
  /** Paths of the requests forwarded (query string included). */
  seen: string[];
  /** Calls to `nsid` (an XRPC method name) forwarded so far. */
  calls(nsid: string): number;
  /** The next `n` requests whose path starts with `prefix` are forwarded, and their answers dropped. */
  loseAnswers(prefix: string, n?: number): void;
  /** Stops listening (connections refused) until `up()`. */
  down(): Promise<void>;
  up(): Promise<void>;
  close(): Promise<void>;
}

/** Starts a proxy to `target` (an origin such as http://localhost:2583). */
export async function startFaultProxy(target: string): Promise<FaultProxy> {
  const seen: string[] = [];
  const losing: { prefix: string; left: number }[] = [];
  const handler = async (req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const path = req.url ?? '/';
    seen.push(path);
    const headers: Record<string, string> = {};
    for (const [k, v] of Object.entries(req.headers))
      if (typeof v === 'string' && !['host', 'connection', 'content-length'].includes(k)) headers[k] = v;
    const body = chunks.length ? Buffer.concat(chunks) : undefined;
    let answer: Response;
    try {
      answer = await fetch(`${target}${path}`, { method: req.method ?? 'GET', headers, ...(body ? { body } : {}) });
    } catch {
      res.socket?.destroy();
      return;
    }
    const text = Buffer.from(await answer.arrayBuffer());
    const lose = losing.find((l) => l.left > 0 && path.startsWith(l.prefix));
    if (lose) {
      lose.left--;
      res.socket?.destroy(); // the server acted; its answer is lost on the way back
      return;
    }
    const out: Record<string, string> = {};
    answer.headers.forEach((v, k) => {
      if (!['content-length', 'content-encoding', 'transfer-encoding', 'connection', 'keep-alive'].includes(k))
        out[k] = v;
    });
    res.writeHead(answer.status, out).end(text);
  };
  const server = createServer((req, res) => void handler(req, res));
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  const listening = () => server.listening;
  return {
    url: `http://127.0.0.1:${port}`,
    seen,
    calls: (nsid) => seen.filter((p) => p.startsWith(`/xrpc/${nsid}`)).length,
    loseAnswers(prefix, n = 1) {
      losing.push({ prefix, left: n });
    },
    async down() {
      if (!listening()) return;
      const closed = new Promise<void>((r) => server.close(() => r()));
      server.closeAllConnections();
      await closed;
    },
    async up() {
      if (listening()) return;
      await new Promise<void>((r) => server.listen(port, '127.0.0.1', r));
    },
    async close() {
      if (!listening()) return;
      const closed = new Promise<void>((r) => server.close(() => r()));
      server.closeAllConnections();
      await closed;
    },
  };
}
