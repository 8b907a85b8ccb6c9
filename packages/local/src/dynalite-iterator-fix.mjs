// Plain JavaScript: it runs inside the engine's worker thread (dynamo-thread.mjs), which no TypeScript loader reaches.
import { createRequire } from 'node:module';
import { Readable } from 'node:stream';

/*
 * dynalite 4 turns LevelDB iterators into streams but never closes them: its
 * streams call `iterator.return()`, which abstract-level 3 iterators do not
 * have, so every Query and Scan leaks an open iterator (and the native memory
 * and snapshot it pins) — the soak test saw RSS climb by megabytes a second.
 * This wraps dynalite's store factory so its value and key streams close their
 * iterator when they end or are destroyed. Applied once per thread, before any store.
 */

let applied = false;

function closingStream(iterator) {
  let closed = false;
  const close = () => {
    if (closed) return Promise.resolve();
    closed = true;
    return iterator.close();
  };
  return new Readable({
    objectMode: true,
    read() {
      iterator.next().then(
        (value) => {
          if (value === undefined)
            close().then(
              () => this.push(null),
              (err) => this.destroy(err),
            );
          else this.push(value);
        },
        (err) => this.destroy(err),
      );
    },
    destroy(err, callback) {
      close().then(
        () => callback(err),
        () => callback(err),
      );
    },
  });
}

/** Stores dynalite created on this thread, newest last (the engine's flush reaches LevelDB through them). */
export const createdStores = [];

/** Patches dynalite's store factory (idempotent). */
export function fixDynaliteIterators() {
  if (applied) return;
  applied = true;
  const require = createRequire(import.meta.url);
  const dbModule = require('dynalite/db/index.js');
  const create = dbModule.create;
  dbModule.create = function patchedCreate(options) {
    const store = create(options);
    const db = store.db;
    db.createValueStream = (o) => closingStream(db.values(o));
    db.createKeyStream = (o) => closingStream(db.keys(o));
    createdStores.push(store);
    return store;
  };
}
