// The embedded DynamoDB engine's own thread: dynalite on 127.0.0.1, so the
// engine's work (LevelDB, request parsing) runs beside the API's event loop
// instead of on it. Plain JavaScript: no TypeScript loader reaches a worker.
import { mkdirSync } from 'node:fs';
import { parentPort, workerData } from 'node:worker_threads';
import dynalite from 'dynalite';
import { fixDynaliteIterators } from './dynalite-iterator-fix.mjs';

fixDynaliteIterators();
const { path } = workerData ?? {};
if (path) mkdirSync(path, { recursive: true });
const server = dynalite({ ...(path ? { path } : {}), createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 });
server.once('error', (err) => parentPort.postMessage({ error: String(err) }));
server.listen(0, '127.0.0.1', () => parentPort.postMessage({ port: server.address().port }));
parentPort.on('message', (m) => {
  if (m !== 'close') return;
  server.closeAllConnections?.();
  server.close(() => parentPort.postMessage({ closed: true }));
});
