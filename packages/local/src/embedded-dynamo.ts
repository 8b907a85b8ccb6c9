import type { AddressInfo } from 'node:net';
import { mkdirSync } from 'node:fs';
import dynalite from 'dynalite';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { fixDynaliteIterators } from './dynalite-iterator-fix.js';

/** A DynamoDB-compatible server running in this process, and a real SDK client pointed at it. */
export interface EmbeddedDynamo {
  endpoint: string;
  client: DynamoDBClient;
  close(): Promise<void>;
}

/**
 * Starts dynalite on 127.0.0.1 (a free port): on disk under `path`, or in
 * memory when `path` is undefined. The client is the real AWS SDK client, so
 * the store's code is the same as on AWS.
 */
export async function startEmbeddedDynamo(opts: { path?: string | undefined } = {}): Promise<EmbeddedDynamo> {
  fixDynaliteIterators();
  if (opts.path) mkdirSync(opts.path, { recursive: true });
  const server = dynalite({ ...(opts.path ? { path: opts.path } : {}), createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  const endpoint = `http://127.0.0.1:${port}`;
  const client = new DynamoDBClient({
    endpoint,
    region: 'local',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    maxAttempts: 3,
  });
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
