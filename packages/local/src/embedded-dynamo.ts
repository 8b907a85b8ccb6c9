import type { AddressInfo } from 'node:net';
import { randomBytes } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { ENGINE_SECRET_HEADER } from './engine-guard.mjs';
import { startEngineThread, type EngineThread } from './engine-thread.js';

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
    request.headers.authorization =
      'AWS4-HMAC-SHA256 Credential=local/20260101/local/dynamodb/aws4_request, SignedHeaders=host;x-amz-date, Signature=0';
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
export async function startEmbeddedDynamo(
  opts: { path?: string | undefined; thread?: 'worker' | 'main'; open?: boolean } = {},
): Promise<EmbeddedDynamo> {
  // `open`: no engine secret, for tests where other clients stand in for AWS's (Lambda handlers building their own).
  if (opts.thread === 'main') return onThisThread(opts.path, opts.open ? '' : randomBytes(32).toString('base64url'));
  return embeddedDynamoOn(startEngineThread(opts.path, { open: opts.open ?? false }));
}

/** The engine of a worker thread already started (startEngineThread), once it listens, with its client. */
export async function embeddedDynamoOn(thread: EngineThread): Promise<EmbeddedDynamo> {
  let port: number;
  try {
    port = await thread.port;
  } catch (err) {
    await thread.close();
    throw err;
  }
  const { endpoint, client } = clientFor(port, thread.secret);
  return {
    endpoint,
    client,
    flush: () => thread.flush(),
    close: async () => {
      client.destroy();
      await thread.close();
    },
  };
}

async function onThisThread(path: string | undefined, secret: string): Promise<EmbeddedDynamo> {
  // Loaded here only: the runtime's engine runs on its worker thread, and the main thread need not load it.
  const [{ default: dynalite }, { createdStores, fixDynaliteIterators }, { flusherFor }, { guardEngine }] =
    await Promise.all([
      import('dynalite'),
      import('./dynalite-iterator-fix.mjs'),
      import('./engine-flush.mjs'),
      import('./engine-guard.mjs'),
    ]);
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
