// Plain JavaScript: it runs inside the engine's worker thread (dynamo-thread.mjs), which no TypeScript loader reaches.

/** A key of the engine's own, outside every dynalite table's prefix. */
const FLUSH_KEY = '\u0000drumbeat-flush';

/**
 * Returns `flush()` for a dynalite store: it resolves once every write the
 * engine has acknowledged so far is on disk. One LevelDB write with
 * `sync: true` fsyncs the write-ahead log, and the log holds the writes before
 * it in order, so one synced write makes all of them durable. Calls that
 * arrive while a sync is under way share the next one (group commit): each
 * caller waits for a sync that started after it asked.
 */
export function flusherFor(store) {
  const db = store.db;
  // dynalite wraps put() without its options; the class's own put() takes { sync }.
  const put = Object.getPrototypeOf(db).put;
  let n = 0;
  let running;
  let queued;
  const syncOnce = () => put.call(db, FLUSH_KEY, String(++n), { sync: true });
  const flush = () => {
    if (!running) {
      running = syncOnce().finally(() => (running = undefined));
      return running;
    }
    queued ??= running.then(
      () => ((queued = undefined), flush()),
      () => ((queued = undefined), flush()),
    );
    return queued;
  };
  return flush;
}
