/**
 * The HTTP side the AWS stand-ins share: a server on a random loopback port,
 * its close, a request's body, and the REST-JSON error answer (Scheduler, SES).
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** Listens on 127.0.0.1 (a random port) with `handle`: the server and the endpoint an SDK client is pointed at. */
export async function listenLoopback(
  handle: (req: IncomingMessage, res: ServerResponse) => Promise<void>,
): Promise<{ server: Server; endpoint: string }> {
  const server = createServer((req, res) => void handle(req, res));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { server, endpoint: `http://127.0.0.1:${port}` };
}

/** Stops listening and drops open connections. */
export async function closeServer(server: Server): Promise<void> {
  server.closeAllConnections();
  await new Promise<void>((resolve, reject) => server.close((err) => (err ? reject(err) : resolve())));
}

/** A request's whole body, as UTF-8 text. */
export async function bodyText(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

/** A request's JSON body as the AWS JSON protocols read it: `{}` when it is empty or not JSON. */
export async function jsonBody(req: IncomingMessage): Promise<Record<string, unknown>> {
  const raw = await bodyText(req);
  try {
    return JSON.parse(raw || '{}') as Record<string, unknown>;
  } catch {
    return {};
  }
}

/** An error a REST-JSON service answers: its HTTP status and error type. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly type: string,
    message: string,
  ) {
    super(message);
  }
}

/** A REST-JSON error as AWS answers it: `x-amzn-errortype` of `type` in the service's `namespace`, a request id, `body`. */
export function restJsonError(
  res: ServerResponse,
  e: { status: number; type: string },
  namespace: string,
  requestId: string,
  body: Record<string, string>,
): void {
  res
    .writeHead(e.status, {
      'content-type': 'application/json',
      'x-amzn-errortype': `${e.type}:http://internal.amazon.com/coral/${namespace}/`,
      'x-amzn-requestid': requestId,
    })
    .end(JSON.stringify(body));
}
