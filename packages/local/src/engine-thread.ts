import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { Worker } from 'node:worker_threads';

/**
 * The embedded engine's worker thread (dynamo-thread.mjs), started but not
 * necessarily ready: `port` resolves once it listens. Light on purpose (no
 * AWS SDK): `npm start` starts it first, so the engine boots on its own core
 * while the main thread loads the rest of drumbeat.
 */
export interface EngineThread {
  /** The loopback port the engine listens on; rejects when it did not start. */
  port: Promise<number>;
  /** This process's engine secret ('' when open), sent on every request. */
  secret: string;
  /** Resolves once every write acknowledged so far is on disk (at once in memory). */
  flush(): Promise<void>;
  close(): Promise<void>;
}

/**
 * Starts dynalite on a worker thread: on disk under `path`, or in memory when
 * undefined. `open`: no engine secret (see startEmbeddedDynamo).
 */
export function startEngineThread(path: string | undefined, opts: { open?: boolean } = {}): EngineThread {
  const secret = opts.open ? '' : randomBytes(32).toString('base64url');
  const worker = new Worker(new URL('./dynamo-thread.mjs', import.meta.url), { workerData: { path, secret } });
  const port = (async () => {
    const [first] = (await once(worker, 'message')) as [{ port?: number; error?: string }];
    if (first.port) return first.port;
    await worker.terminate();
    throw new Error(`the embedded DynamoDB engine did not start: ${first.error ?? 'no port'}`);
  })();
  // Awaited by whoever uses the engine; a failure noticed by nobody (a start that failed elsewhere first) is not an unhandled rejection.
  port.catch(() => undefined);
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
    port,
    secret,
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
        // A thread that never listened has nothing to close but itself.
        if (
          !(await port.then(
            () => true,
            () => false,
          ))
        )
          return void (await worker.terminate());
        const closed = new Promise<void>((resolve) =>
          worker.on('message', (m: { closed?: boolean }) => m.closed && resolve()),
        );
        worker.postMessage('close');
        await closed;
        await worker.terminate();
      })()),
  };
}
