/**
 * A local stand-in for Lambda's `Invoke` in its REST wire format
 * (`POST /2015-03-31/functions/{name}/invocations`, `X-Amz-Invocation-Type`),
 * enough for the real `@aws-sdk/client-lambda`. An `Event` (asynchronous)
 * invocation is answered 202 and queued; the test then runs the target
 * handler with each queued payload, as Lambda's async queue would.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface QueuedInvocation {
  functionName: string;
  payload: unknown;
}

export class LambdaStandin {
  readonly queued: QueuedInvocation[] = [];
  private constructor(
    private readonly server: Server,
    readonly endpoint: string,
  ) {}

  static async start(known: string[]): Promise<LambdaStandin> {
    let standin: LambdaStandin | undefined;
    const server = createServer(async (req, res) => {
      const chunks: Buffer[] = [];
      for await (const c of req) chunks.push(c as Buffer);
      const m = /^\/2015-03-31\/functions\/([^/]+)\/invocations$/.exec(req.url ?? '');
      const name = m ? decodeURIComponent(m[1]!) : '';
      const error = (status: number, type: string, message: string) =>
        res
          .writeHead(status, { 'content-type': 'application/json', 'x-amzn-errortype': type })
          .end(JSON.stringify({ Type: 'User', message }));
      if (req.method !== 'POST' || !m) return error(404, 'UnknownOperationException', 'unknown operation');
      if (!known.includes(name)) return error(404, 'ResourceNotFoundException', `Function not found: ${name}`);
      if (req.headers['x-amz-invocation-type'] !== 'Event')
        return error(400, 'InvalidParameterValueException', 'only Event invocations are stood in');
      const body = Buffer.concat(chunks);
      // Lambda caps an asynchronous payload at 256 KB.
      if (body.length > 256 * 1024) return error(413, 'RequestEntityTooLargeException', 'payload too large');
      standin!.queued.push({ functionName: name, payload: JSON.parse(body.toString('utf8')) });
      res.writeHead(202, { 'x-amzn-requestid': 'standin-request' }).end();
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    standin = new LambdaStandin(server, `http://127.0.0.1:${(server.address() as AddressInfo).port}`);
    return standin;
  }

  /** Removes and returns what was queued. */
  take(): QueuedInvocation[] {
    return this.queued.splice(0);
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}
