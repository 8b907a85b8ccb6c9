import type { AddressInfo } from 'node:net';
import { mkdirSync } from 'node:fs';
import { once } from 'node:events';
import { Worker } from 'node:worker_threads';
import dynalite from 'dynalite';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { fixDynaliteIterators } from './dynalite-iterator-fix.mjs';

/** A DynamoDB-compatible server running in this process, and a real SDK client pointed at it. */
export interface EmbeddedDynamo {
  endpoint: string;
  client: DynamoDBClient;
  close(): Promise<void>;
}

/**
 * Signs nothing: the embedded engine checks that a request carries SigV4
 * headers, not what they say, so computing signatures for a loopback engine of
 * this very process is pure cost (about a third of each request's CPU). Every
 * other client (AWS) signs as usual.
 */
const loopbackSigner = {
  async sign<R extends { headers: Record<string, string> }>(request: R): Promise<R> {
    request.headers['x-amz-date'] = '20260101T000000Z';
    request.headers.authorization = 'AWS4-HMAC-SHA256 Credential=local/20260101/local/dynamodb/aws4_request, SignedHeaders=host;x-amz-date, Signature=0';
    return request;
  },
};

function clientFor(port: number): { endpoint: string; client: DynamoDBClient } {
  const endpoint = `http://127.0.0.1:${port}`;
  const client = new DynamoDBClient({
    endpoint,
    region: 'local',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    signer: loopbackSigner,
    // The runtime runs up to 256 handlers at once; the SDK's default pool of 50 sockets would queue them.
    requestHandler: { httpAgent: { keepAlive: true, maxSockets: 256 } },
    maxAttempts: 3,
  });
  return { endpoint, client };
}

/**
 * Starts dynalite on 127.0.0.1 (a free port): on disk under `path`, or in
 * memory when `path` is undefined. It runs in a worker thread of this process
 * (`thread: 'main'` keeps it on this one, for tests that look inside the
 * engine), so the engine and the API each have a core. The client is the real
 * AWS SDK client, so the store's code is the same as on AWS.
 */
export async function startEmbeddedDynamo(opts: { path?: string | undefined; thread?: 'worker' | 'main' } = {}): Promise<EmbeddedDynamo> {
  return opts.thread === 'main' ? onThisThread(opts.path) : onWorker(opts.path);
}

async function onWorker(path: string | undefined): Promise<EmbeddedDynamo> {
  const worker = new Worker(new URL('./dynamo-thread.mjs', import.meta.url), { workerData: { path } });
  const [first] = (await once(worker, 'message')) as [{ port?: number; error?: string }];
  if (!first.port) {
    await worker.terminate();
    throw new Error(`the embedded DynamoDB engine did not start: ${first.error ?? 'no port'}`);
  }
  const { endpoint, client } = clientFor(first.port);
  let closing: Promise<void> | undefined;
  return {
    endpoint,
    client,
    close: () =>
      (closing ??= (async () => {
        client.destroy();
        const closed = once(worker, 'message');
        worker.postMessage('close');
        await closed;
        await worker.terminate();
      })()),
  };
}

async function onThisThread(path: string | undefined): Promise<EmbeddedDynamo> {
  fixDynaliteIterators();
  if (path) mkdirSync(path, { recursive: true });
  const server = dynalite({ ...(path ? { path } : {}), createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { endpoint, client } = clientFor((server.address() as AddressInfo).port);
  return {
    endpoint,
    client,
    close: async () => {
      client.destroy();
      server.closeAllConnections?.();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
