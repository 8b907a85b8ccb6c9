// The embedded DynamoDB engine's own thread: dynalite on 127.0.0.1, so the
// engine's work (LevelDB, request parsing) runs beside the API's event loop
// instead of on it. Plain JavaScript: no TypeScript loader reaches a worker.
import { mkdirSync } from 'node:fs';
import { parentPort, workerData } from 'node:worker_threads';
import dynalite from 'dynalite';
import { createdStores, fixDynaliteIterators } from './dynalite-iterator-fix.mjs';
import { flusherFor } from './engine-flush.mjs';
import { guardEngine } from './engine-guard.mjs';

fixDynaliteIterators();
const { path, secret } = workerData ?? {};
if (path) mkdirSync(path, { recursive: true, mode: 0o700 });
const server = dynalite({ ...(path ? { path } : {}), createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 });
const flush = path ? flusherFor(createdStores.at(-1)) : () => Promise.resolve();
if (secret) guardEngine(server, secret);
server.once('error', (err) => parentPort.postMessage({ error: String(err) }));
server.listen(0, '127.0.0.1', () => parentPort.postMessage({ port: server.address().port }));
parentPort.on('message', (m) => {
  if (m?.flush !== undefined) {
    flush().then(
      () => parentPort.postMessage({ flushed: m.flush }),
      (err) => parentPort.postMessage({ flushed: m.flush, error: String(err) }),
    );
    return;
  }
  if (m !== 'close') return;
  server.closeAllConnections?.();
  server.close(() => parentPort.postMessage({ closed: true }));
});
