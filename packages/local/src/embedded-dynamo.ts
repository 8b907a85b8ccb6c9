import type { AddressInfo } from 'node:net';
import { randomBytes } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { once } from 'node:events';
import { Worker } from 'node:worker_threads';
import dynalite from 'dynalite';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { createdStores, fixDynaliteIterators } from './dynalite-iterator-fix.mjs';
import { flusherFor } from './engine-flush.mjs';
import { ENGINE_SECRET_HEADER, guardEngine } from './engine-guard.mjs';

/** A DynamoDB-compatible server running in this process, and a real SDK client pointed at it. */
export interface EmbeddedDynamo {
  endpoint: string;
  client: DynamoDBClient;
  /** Resolves once every write acknowledged so far is on disk (at once in memory). */
  flush(): Promise<void>;
  close(): Promise<void>;
}

/**
 * Signs nothing: the embedded engine checks that a request carries SigV4
 * headers, not what they say, so computing signatures for a loopback engine of
 * this very process is pure cost (about a third of each request's CPU). Every
 * other client (AWS) signs as usual. What the engine does check is this
 * process's engine secret (engine-guard.mjs), sent on every request.
 */
const loopbackSigner = (secret: string) => ({
  async sign<R extends { headers: Record<string, string> }>(request: R): Promise<R> {
    request.headers['x-amz-date'] = '20260101T000000Z';
    request.headers.authorization = 'AWS4-HMAC-SHA256 Credential=local/20260101/local/dynamodb/aws4_request, SignedHeaders=host;x-amz-date, Signature=0';
    if (secret) request.headers[ENGINE_SECRET_HEADER] = secret;
    return request;
  },
});

function clientFor(port: number, secret: string): { endpoint: string; client: DynamoDBClient } {
  const endpoint = `http://127.0.0.1:${port}`;
  const client = new DynamoDBClient({
    endpoint,
    region: 'local',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    signer: loopbackSigner(secret),
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
 * AWS SDK client, so the store's code is the same as on AWS. The engine
 * answers only requests carrying a secret random to this process (the port is
 * on loopback, where any local process could otherwise read the table).
 */
export async function startEmbeddedDynamo(opts: { path?: string | undefined; thread?: 'worker' | 'main'; open?: boolean } = {}): Promise<EmbeddedDynamo> {
  // `open`: no engine secret, for tests where other clients stand in for AWS's (Lambda handlers building their own).
  const secret = opts.open ? '' : randomBytes(32).toString('base64url');
  return opts.thread === 'main' ? onThisThread(opts.path, secret) : onWorker(opts.path, secret);
}

async function onWorker(path: string | undefined, secret: string): Promise<EmbeddedDynamo> {
  const worker = new Worker(new URL('./dynamo-thread.mjs', import.meta.url), { workerData: { path, secret } });
  const [first] = (await once(worker, 'message')) as [{ port?: number; error?: string }];
  if (!first.port) {
    await worker.terminate();
    throw new Error(`the embedded DynamoDB engine did not start: ${first.error ?? 'no port'}`);
  }
  const { endpoint, client } = clientFor(first.port, secret);
  const flushes = new Map<number, { resolve(): void; reject(err: Error): void }>();
  let nextFlush = 0;
  worker.on('message', (m: { flushed?: number; error?: string }) => {
    if (m.flushed === undefined) return;
    const f = flushes.get(m.flushed);
    flushes.delete(m.flushed);
    if (m.error) f?.reject(new Error(`the embedded store could not sync its log: ${m.error}`));
    else f?.resolve();
  });
  let closing: Promise<void> | undefined;
  return {
    endpoint,
    client,
    flush: () =>
      path
        ? new Promise<void>((resolve, reject) => {
            const id = nextFlush++;
            flushes.set(id, { resolve, reject });
            worker.postMessage({ flush: id });
          })
        : Promise.resolve(),
    close: () =>
      (closing ??= (async () => {
        client.destroy();
        const closed = new Promise<void>((resolve) => worker.on('message', (m: { closed?: boolean }) => m.closed && resolve()));
        worker.postMessage('close');
        await closed;
        await worker.terminate();
      })()),
  };
}

async function onThisThread(path: string | undefined, secret: string): Promise<EmbeddedDynamo> {
  fixDynaliteIterators();
  if (path) mkdirSync(path, { recursive: true });
  const server = dynalite({ ...(path ? { path } : {}), createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 });
  const flush = path ? flusherFor(createdStores.at(-1)!) : () => Promise.resolve();
  if (secret) guardEngine(server, secret);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { endpoint, client } = clientFor((server.address() as AddressInfo).port, secret);
  return {
    endpoint,
    client,
    flush,
    close: async () => {
      client.destroy();
      server.closeAllConnections?.();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
